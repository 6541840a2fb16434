// What socklab's probes report: each prints one JSON line last, read here with the zod schema of its shape.
// A report that is missing or not of that shape is null: the probe failed on its own (socklab's fault).

import { z } from "../schema/index.ts";
import type { RunRecord } from "../session/index.ts";

/** What every probe report may say: its own failure. Other keys are the probe's own. */
export const probeReportBase = z.looseObject({ error: z.string().optional() });

/** The last line of a probe's output read as JSON with `schema`, or null. */
export function readProbeReport<S extends z.ZodType>(stdout: string, schema: S): z.output<S> | null {
  const line = stdout.trim().split("\n").pop() ?? "";
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The report of the run's probe (the client whose source is socklab's), read with `schema`, or null. */
export function probeReport<S extends z.ZodType>(run: RunRecord, schema: S): z.output<S> | null {
  const probe = run.clients.find((c) => c.role.source === "probe");
  return probe ? readProbeReport(probe.outcome.stdout, schema) : null;
}
