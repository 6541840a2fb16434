// The usual runs of a client/server task: the student's pair together, the student's server with the
// reference client (and optionally a socklab probe), and the student's client with the reference server.
import { probe as probeRole, role } from "./commands.ts";
import type { TaskEntry } from "./manifest.ts";
import type { RunContext, RunSpec } from "./run-session.ts";

export interface CrossRunsOptions {
  readonly entry: TaskEntry<unknown>;
  /** The reference's entry (with the student's host, port and options). */
  readonly reference: TaskEntry<unknown>;
  readonly protocol: "tcp" | "udp";
  /** socklab's probe: its script in tasks/probes/, its arguments, and a title for the run. */
  readonly probe?: {
    readonly script: string;
    readonly args: readonly (string | number)[];
    readonly title: string;
  };
  /** What to wait for after the client ended (e.g. the server printing what it received). */
  readonly after?: (ctx: RunContext) => Promise<void>;
}

/** main, reference-client, [probe], reference-server. */
export function crossRuns(options: CrossRunsOptions): RunSpec[] {
  const { entry, reference, protocol } = options;
  const base = { protocol, port: entry.port } as const;
  const clientThen = (client: ReturnType<typeof role>) => async (ctx: RunContext) => {
    await ctx.runClient(client);
    await options.after?.(ctx);
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
