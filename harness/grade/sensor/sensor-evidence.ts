// The sensor tasks' view of a run: the student's messages read from the capture with the task's protocol,
// computed once per run record and shared by the checks and the report.
import type { Protocol } from "../../protocol/index.ts";
import { conversations } from "../evidence.ts";
import type { RunRecord } from "../run-session.ts";
import { type SensorTraffic, sensorTraffic } from "./sensor-traffic.ts";

const cache = new WeakMap<RunRecord, WeakMap<Protocol, SensorTraffic>>();

/** The capture's first packet time, µs (0 for an empty capture). */
export function captureStartUs(run: RunRecord): number {
  const row = conversations(run)
    .flatMap((c) => (c.timeline?.[0] ? [c.timeline[0]] : []))
    .at(0);
  return row ? row.timeUs - row.relativeUs : 0;
}

/** The readings and replies of a run's conversations with its server port (with socklab's link in between:
 * the leg the server saw), read with `protocol` (cached per run). */
export function trafficOf(run: RunRecord, protocol: Protocol | null): SensorTraffic {
  if (protocol === null) return sensorTraffic([], null, 0);
  let byProtocol = cache.get(run);
  if (!byProtocol) {
    byProtocol = new WeakMap();
    cache.set(run, byProtocol);
  }
  const known = byProtocol.get(protocol);
  if (known) return known;
  const traffic = sensorTraffic(
    conversations(run).filter((c) => c.server.port === run.port),
    protocol,
    captureStartUs(run),
  );
  byProtocol.set(protocol, traffic);
  return traffic;
}
