// Cross-testing checks: the student's server driven by the reference client or socklab's probe, and the
// student's client against the reference server — so a pair that only works with itself is caught.

import type { ProgramRecord, RunRecord } from "../../session/index.ts";
import { type CheckDefinition, defineCheck, fail, pass, type Verdict } from "../check.ts";
import { outputRefs, tracebackLine } from "../evidence.ts";
import type { AnyOptions } from "../manifest.ts";
import { probeReport, probeReportBase } from "../probe-report.ts";
import type { TaskEvidence } from "../task.ts";
import { clientEndedWell } from "./programs.ts";
import { runOf } from "./run-check.ts";

export interface CrossOptions<O = AnyOptions> {
  readonly id: string;
  readonly title: string;
  readonly points: number;
  readonly run: string;
  /** What the run proves when it passes, for the message. */
  readonly proves: string;
  readonly help: string;
  /** Another check that must hold on this run too (e.g. the echo in the capture), built for the run's name. */
  readonly also?: (run: string) => CheckDefinition<TaskEvidence<O>>;
  /** Extra judgement once every client exited 0; null means fine. */
  readonly judge?: (run: RunRecord, evidence: TaskEvidence<O>) => Verdict | null;
  /** Set when the student's side of this run is the client (the server is the reference). */
  readonly studentIsClient?: boolean;
  /** The readiness check this one needs (default "server-ready"; none when the student is the client). */
  readonly dependsOn?: string;
  /**
   * The judgement is about the server's side only: when it holds, how the student's client ended does not
   * matter (a struct client that waits for a reply of its own design, which the reference server, like the
   * handout's, never sends).
   */
  readonly serverSideOnly?: boolean;
}

function problem(record: ProgramRecord): string {
  const tb = tracebackLine(record.outcome);
  const last = record.outcome.stdout.trim().split("\n").pop() ?? "";
  return `${record.role.name} (${record.role.source}) ${record.outcome.description}${tb ? ` — ${tb}` : last ? ` — printed "${last.slice(0, 200)}"` : ""}`;
}

/** A run passes when its server became ready, every client exited 0, and the extra judgement holds. */
export function crossRunCheck<O = AnyOptions>(options: CrossOptions<O>): CheckDefinition<TaskEvidence<O>> {
  return defineCheck<TaskEvidence<O>>({
    id: options.id,
    title: options.title,
    points: options.points,
    ...(options.studentIsClient ? {} : { dependsOn: options.dependsOn ?? "server-ready" }),
    run: (evidence) => {
      const run = runOf(evidence, options.run);
      if (run.serverReady?.status !== "done") {
        return fail({
          message: `the ${options.studentIsClient ? "reference" : "student's"} server did not become ready in the '${run.name}' run`,
          actual: run.serverReady?.status === "ended" ? run.serverReady.outcome.description : "not ready",
          help: options.help,
        });
      }
      // socklab's probes report what they saw as JSON and exit 0 whatever the server did; a probe without a
      // report failed on its own, which is socklab's fault, never the student's (an error, not a verdict).
      const probe = run.clients.find((c) => c.role.source === "probe");
      const report = probe ? probeReport(run, probeReportBase) : null;
      if (probe && (report === null || report.error !== undefined)) {
        throw new Error(
          `socklab's probe ${report ? `failed: ${report.error}` : `printed no report (${probe.outcome.description})`}`,
        );
      }
      const bad = run.clients.filter((c) => c.role.source !== "probe" && !clientEndedWell(c));
      if (bad.length > 0 && options.serverSideOnly && options.judge) {
        const judged = options.judge(run, evidence);
        if (judged === null || judged.pass) {
          return pass(
            `${options.proves}; only the server's side is judged here (afterwards: ${bad.map(problem).join("; ")})`,
          );
        }
      }
      if (bad.length > 0) {
        return fail({
          message: `${options.title}: ${bad.length === 1 ? "the client" : `${bad.length} clients`} failed`,
          expected: `${options.proves}`,
          actual: bad.map(problem).join("; "),
          evidence: [
            ...outputRefs(run, bad[0]!),
            ...(run.server ? outputRefs(run, run.server, /Traceback|Error/) : []),
          ],
          help: options.help,
        });
      }
      const also = options.also?.(run.name).run(evidence);
      if (also && !also.pass) return also;
      const judged = options.judge?.(run, evidence);
      if (judged && !judged.pass) return judged;
      return pass(options.proves);
    },
  });
}
