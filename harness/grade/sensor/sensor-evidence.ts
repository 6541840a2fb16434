// The sensor tasks' view of a run: the student's messages read from the capture with the task's protocol,
// computed once per run, port and protocol, and shared by the checks and the report.
import type { Conversation } from "../../analyse/types.ts";
import type { Protocol } from "../../protocol/index.ts";
import type { RunRecord } from "../../session/index.ts";
import { conversations } from "../evidence.ts";
import { type SensorTraffic, sensorTraffic } from "./sensor-traffic.ts";

const cache = new WeakMap<RunRecord, Map<number, WeakMap<Protocol, SensorTraffic>>>();

/** The conversations of a run whose server side is `port` (with socklab's link in between: one leg). */
export function legConversations(run: RunRecord, port = run.port): Conversation[] {
  return conversations(run).filter((c) => c.server.port === port);
}

/**
 * The readings and replies of a run's conversations with `port` — by default the server's, the leg the server
 * saw when socklab's link sat in between — read with `protocol` (cached).
 */
export function trafficOf(run: RunRecord, protocol: Protocol | null, port = run.port): SensorTraffic {
  if (protocol === null) return sensorTraffic([], null, 0);
  let byPort = cache.get(run);
  if (!byPort) {
    byPort = new Map();
    cache.set(run, byPort);
  }
  let byProtocol = byPort.get(port);
  if (!byProtocol) {
    byProtocol = new WeakMap();
    byPort.set(port, byProtocol);
  }
  const known = byProtocol.get(protocol);
  if (known) return known;
  const traffic = sensorTraffic(
    legConversations(run, port),
    protocol,
    run.analysis?.capture.firstTimeUs ?? 0,
  );
  byProtocol.set(protocol, traffic);
  return traffic;
}
