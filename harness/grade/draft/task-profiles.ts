// What the programs of each of the lab's tasks look like in source, for `socklab init`: the socket type,
// what the pair does (echo, one-way, struct, sensor readings), whether the server must serve several
// clients at once or deliver reliably, and the placeholders the task's commands may use (docs/manifest.md).
// A task with no profile here is placed by its file-name hints alone.
import type { Meaning, Transport } from "./program-facts.ts";

export type ProgramKind = "echo" | "oneway" | "struct" | "sensor";

export interface TaskProfile {
  readonly transport: Transport;
  readonly kind: ProgramKind;
  /** The server serves several clients at once (threads, processes, select). */
  readonly concurrent: boolean;
  /** Readings are delivered reliably, in order, over a lossy link. */
  readonly reliable: boolean;
  /** The client is typed at, line after line, until its quit word. */
  readonly interactive: boolean;
  /** The placeholders its commands may use. */
  readonly placeholders: readonly Meaning[];
}

const ADDRESS: readonly Meaning[] = ["host", "port"];
const SENSOR: readonly Meaning[] = [...ADDRESS, "count", "interval", "duration"];

const profile = (
  transport: Transport,
  kind: ProgramKind,
  placeholders: readonly Meaning[],
  extra: Partial<Pick<TaskProfile, "concurrent" | "reliable" | "interactive">> = {},
): TaskProfile => ({
  transport,
  kind,
  placeholders,
  concurrent: extra.concurrent ?? false,
  reliable: extra.reliable ?? false,
  interactive: extra.interactive ?? false,
});

/** The lab's tasks by id. */
export const TASK_PROFILES: Readonly<Record<string, TaskProfile>> = {
  "tcp-echo": profile("tcp", "echo", ADDRESS),
  "udp-oneway": profile("udp", "oneway", ADDRESS),
  "udp-echo": profile("udp", "echo", ADDRESS),
  "struct-binary": profile("tcp", "struct", [...ADDRESS, "format", "values"]),
  "threaded-echo": profile("tcp", "echo", [...ADDRESS, "quit", "clients"], {
    concurrent: true,
    interactive: true,
  }),
  "sensor-tcp": profile("tcp", "sensor", SENSOR),
  "sensor-udp": profile("udp", "sensor", SENSOR),
  "sensor-tcp-threaded": profile("tcp", "sensor", [...SENSOR, "clients"], { concurrent: true }),
  "sensor-udp-reliable": profile("udp", "sensor", SENSOR, { reliable: true }),
};
