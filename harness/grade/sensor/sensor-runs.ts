// The runs of the sensor deliverable (TCP and UDP): the student's client and server together, and the
// student's server with socklab's sensor probe, which sends readings built from the protocol description.

import type { RunSpec } from "../../session/index.ts";
import { probe, role } from "../commands.ts";
import type { TaskEntry } from "../manifest.ts";
import type { TaskEnvironment } from "../task.ts";
import { probeConfig } from "./probe-readings.ts";
import type { SensorOptions } from "./sensor-options.ts";

/** Extra time a client gets beyond its count × interval before it is stopped. */
export const CLIENT_SLACK_MS = 10_000;

/** How long a sensor client may run: its readings' schedule plus slack. */
export function clientTimeoutMs(entry: TaskEntry<SensorOptions>): number {
  const o = entry.options;
  return Math.round(o.count * o.interval * 1000) + CLIENT_SLACK_MS;
}

/** Extra time a server lives beyond the longest time its clients may take: teardown and waits after them. */
export const SERVER_SLACK_MS = 30_000;

/** The student's server for a run whose clients may take up to `clientMs`: it is never stopped by its own
 * time limit before them (socklab stops it when the run ends). */
export function sensorServer(entry: TaskEntry<SensorOptions>, clientMs: number) {
  return role(entry, "server", "student", "server", { timeoutMs: clientMs + SERVER_SLACK_MS });
}

/** main (student server + client) and probe (student server + socklab's probe). */
export function sensorRuns(env: TaskEnvironment<SensorOptions>, transport: "tcp" | "udp"): RunSpec[] {
  const { entry } = env;
  const base = { protocol: transport, port: entry.port } as const;
  const runs: RunSpec[] = [
    {
      ...base,
      name: "main",
      title: "the student's server with the student's sensor client",
      server: sensorServer(entry, clientTimeoutMs(entry)),
      drive: async (ctx) => {
        await ctx.runClient(
          role(entry, "client", "student", "client", { timeoutMs: clientTimeoutMs(entry) }),
        );
      },
    },
  ];
  const config = env.protocol ? probeConfig(env.protocol, transport, entry.host, entry.port) : null;
  if (config) {
    runs.push({
      ...base,
      name: "probe",
      title:
        transport === "tcp"
          ? "the student's server with socklab's probe (two readings in one segment, one reading in two)"
          : "the student's server with socklab's probe (a truncated and a garbage datagram, then a reading)",
      server: role(entry, "server", "student"),
      snapshotAfter: false,
      drive: async (ctx) => {
        await ctx.runClient(probe("probe", "sensor_probe.py", [config]));
      },
    });
  }
  return runs;
}
