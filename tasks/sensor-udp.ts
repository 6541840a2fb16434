// Deliverable task, UDP version: the same sensor client and server over datagrams, one reading per datagram.
// socklab decodes each datagram with the student's protocol description and probes the server with a
// truncated and a garbage datagram before a valid one: a server must survive what the network delivers.
import {
  clientsExitCheck,
  defineTask,
  messagesDecodeCheck,
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
  id: "sensor-udp",
  title: "Sensor telemetry over UDP (deliverable)",
  section: "Deliverable",
  summary:
    "The deliverable over UDP: one datagram per reading, sent periodically, and one reply datagram per " +
    "reading. socklab decodes each datagram with the student's protocol description, measures the period, " +
    "checks values and sequence numbers, and sends the server a truncated and a garbage datagram before a " +
    "valid reading, which must still get its reply.",
  defaults: { host: "127.0.0.1", port: 9001 },
  placeholders: sensorPlaceholders,
  init: {
    match: [
      ["sensor", "udp"],
      ["sensores", "udp"],
      ["telemetry", "udp"],
    ],
    rank: 90,
  },
  options: sensorOptions,
  runs: (env) => sensorRuns(env, "udp"),
  checks: [
    serverReadyCheck({ points: 1 }),
    clientsExitCheck({ points: 1 }),
    serverSurvivesCheck({
      points: 1,
      help: "A datagram the server cannot read (struct.error) or a reply it cannot send (OSError) must not end the server: catch it, report it, and go on with the next datagram.",
    }),
    protocolDesignCheck({ points: 2 }),
    messagesDecodeCheck({ points: 2 }),
    repliesCheck({ points: 2 }),
    periodicCheck({ points: 2 }),
    randomValuesCheck({ points: 1 }),
    sequenceCheck({ points: 1 }),
    sensorProbeCheck({
      id: "probe-bad-datagram",
      what: "after a truncated and a garbage datagram, a valid reading still gets its reply",
      points: 2,
    }),
  ],
  sections: (evidence) => sensorSections(evidence, "udp"),
});
