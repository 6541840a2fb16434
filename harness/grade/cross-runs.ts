// The usual runs of a client/server task: the student's pair together, the student's server with the
// reference client (and optionally a socklab probe), and the student's client with the reference server.
import type { ScriptStep } from "../run/index.ts";
import { z } from "../schema/index.ts";
import type { ProgramRole, RunContext, RunSpec } from "../session/index.ts";
import { probe as probeRole, role } from "./commands.ts";
import type { TaskEntry } from "./manifest.ts";

/**
 * The `input` option of the one-shot client tasks: lines socklab types on the client's standard input before
 * closing it (end of file), for a client that asks for its message with input(). Clients that read nothing
 * are unaffected.
 */
export const typedInputOption = z.array(z.string().max(1000)).max(50).default(["Hello, world"]);

/** The lines to type, from an entry's options (none when the task has no `input` option). */
export function typedInput(entry: TaskEntry): readonly string[] {
  const input = entry.options.input;
  return Array.isArray(input) ? input.map(String) : [];
}

/**
 * Runs a one-shot client to its end: its standard input gets the typed lines, then end of file. The server's
 * output is watched from here on: `serverLinesBefore` is how many lines it had printed when the client started.
 */
export async function runTypedClient(
  ctx: RunContext,
  client: ProgramRole,
  lines: readonly string[],
): Promise<{ serverLinesBefore: number }> {
  const serverLinesBefore = ctx.server.lineCount();
  const script: ScriptStep[] = [...lines.map((send) => ({ send })), { closeStdin: true }];
  await ctx.runClient({ ...client, stdin: "pipe" }, script);
  return { serverLinesBefore };
}

/** Waits (bounded) until the server prints a line after `before` lines, or ends. */
export async function awaitServerLine(ctx: RunContext, before: number, what: string): Promise<void> {
  await ctx.server.waitForLines((lines) => lines.length > before, 2000, what);
}

export interface CrossRunsOptions {
  readonly entry: TaskEntry;
  /** The reference's entry (with the student's host, port and options). */
  readonly reference: TaskEntry;
  readonly protocol: "tcp" | "udp";
  /** socklab's probe: its script in tasks/probes/, its arguments, and a title for the run. */
  readonly probe?: {
    readonly script: string;
    readonly args: readonly (string | number)[];
    readonly title: string;
  };
  /** What to wait for after the client ended (e.g. the server printing what it received). */
  readonly after?: (ctx: RunContext, client: { serverLinesBefore: number }) => Promise<void>;
}

/** main, reference-client, [probe], reference-server. */
export function crossRuns(options: CrossRunsOptions): RunSpec[] {
  const { entry, reference, protocol } = options;
  const base = { protocol, port: entry.port } as const;
  const input = typedInput(entry);
  // socklab's probes read no typed input; the student's and the reference's clients get the typed lines.
  const clientThen = (client: ProgramRole) => async (ctx: RunContext) => {
    const started = await runTypedClient(ctx, client, client.source === "probe" ? [] : input);
    await options.after?.(ctx, started);
  };
  const runs: RunSpec[] = [
    {
      ...base,
      name: "main",
      title: "the student's server with the student's client",
      server: role(entry, "server", "student"),
      drive: clientThen(role(entry, "client", "student")),
    },
    {
      ...base,
      name: "reference-client",
      title: "the student's server with the reference client",
      server: role(entry, "server", "student"),
      drive: clientThen(role(reference, "client", "reference", "reference client")),
    },
  ];
  if (options.probe) {
    runs.push({
      ...base,
      name: "probe",
      title: options.probe.title,
      server: role(entry, "server", "student"),
      drive: clientThen(probeRole("probe", options.probe.script, options.probe.args)),
    });
  }
  runs.push({
    ...base,
    name: "reference-server",
    title: "the student's client with the reference server",
    server: role(reference, "server", "reference", "reference server"),
    drive: clientThen(role(entry, "client", "student")),
  });
  return runs;
}
