// Deliverable task, TCP version: a sensor client sends a random reading every interval, packed with the
// student's own struct protocol (described in socklab.yaml); the server replies to each. socklab reads the
// capture with that description, and probes the server with readings coalesced and split across segments.
import {
  clientsExitCheck,
  defineTask,
  handshakeCheck,
  messagesDecodeCheck,
  orderlyCloseCheck,
  periodicCheck,
  protocolDesignCheck,
  randomValuesCheck,
  repliesCheck,
  sensorOptions,
  sensorPlaceholders,
  sensorProbeCheck,
  sensorRuns,
  sequenceCheck,
  serverReadyCheck,
  serverSurvivesCheck,
} from "../harness/grade/index.ts";
import { sensorSections } from "../harness/report/index.ts";

export default defineTask({
  id: "sensor-tcp",
  title: "Sensor telemetry over TCP (deliverable)",
  section: "Deliverable",
  summary:
    "A client sends randomly generated sensor readings periodically to a server over TCP, packed with an " +
    "application protocol of the student's design (struct formats described in socklab.yaml); the server " +
    "replies to each. socklab decodes every captured message with that description, measures the period, " +
    "checks that values vary and sequence numbers count, and probes the server with two readings in one " +
    "segment and one reading split in two: TCP is a byte stream, not a message service.",
  defaults: { host: "127.0.0.1", port: 9000 },
  placeholders: sensorPlaceholders,
  init: {
    match: [
      ["sensor", "tcp"],
      ["sensores", "tcp"],
      ["telemetry", "tcp"],
    ],
    rank: 90,
  },
  options: sensorOptions,
  runs: (env) => sensorRuns(env, "tcp"),
  checks: [
    serverReadyCheck({ points: 1 }),
    clientsExitCheck({ points: 1 }),
    serverSurvivesCheck({
      points: 1,
      help: "Handle the end of a client: recv() returns b'' when it leaves, and send() may raise BrokenPipeError or ConnectionResetError; end that client's loop, not the server.",
    }),
    protocolDesignCheck({ points: 2 }),
    handshakeCheck({ points: 1 }),
    messagesDecodeCheck({ points: 2 }),
    repliesCheck({ points: 2 }),
    periodicCheck({ points: 2 }),
    randomValuesCheck({ points: 1 }),
    sequenceCheck({ points: 1 }),
    sensorProbeCheck({
      id: "probe-stream",
      what: "readings coalesced in one segment and split across two each get their reply",
      points: 2,
    }),
    orderlyCloseCheck({ points: 1 }),
  ],
  sections: (evidence) => sensorSections(evidence, "tcp"),
});
