// The sensor deliverable's grading: its options, runs (with socklab's probe and lossy link), the readings
// and replies read from the captures with the student's protocol, and the checks over them.
export { deliveredPattern, deliveredSequence, describeDelivery, judgeDelivery } from "./delivery.ts";
export { clientTakesPort, LINK_PROGRAM, linkOf } from "./link-evidence.ts";
export { readingMessage } from "./probe-readings.ts";
export {
  deliveryCheck,
  givesUpCheck,
  linkSummary,
  numberedReadings,
  seededLinksCheck,
} from "./reliable-checks.ts";
export { groupCount, type ReliableOptions, reliableOptions } from "./reliable-options.ts";
export { gradedSeeds, linkPort, reliableRuns, SCRIPTED } from "./reliable-runs.ts";
export { replyTo } from "./reply-pairs.ts";
export {
  messagesDecodeCheck,
  periodicCheck,
  protocolDesignCheck,
  randomValuesCheck,
  repliesCheck,
  sensorProbeCheck,
  sequenceCheck,
} from "./sensor-checks.ts";
export { legConversations, trafficOf } from "./sensor-evidence.ts";
export {
  type SensorOptions,
  sensorOptions,
  sensorOptionsShape,
  sensorPlaceholders,
} from "./sensor-options.ts";
export { clientTimeoutMs, SERVER_SLACK_MS, sensorRuns, sensorServer } from "./sensor-runs.ts";
export type { SensorTraffic, TimedMessage } from "./sensor-traffic.ts";
