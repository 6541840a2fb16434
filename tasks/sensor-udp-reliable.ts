// Optional deliverable 2: reliable, in-order sensor readings over UDP. socklab puts its seeded lossy link
// (harness/impair) between the student's client and server — the client is given the link's port as {port} —
// and grades the server's delivered sequence: every reading exactly once and in order, over a fixed list of
// seeds (each chosen so that it drops a reading and a reply, duplicates one reading and reorders two) and four
// scripted cases; and the client must give up in bounded time on a link that delivers nothing. Where the
// client's command takes no {port}, deterministic kernel drops (nftables `numgen inc`) replace the link.
import {
  defineTask,
  deliveryCheck,
  givesUpCheck,
  messagesDecodeCheck,
  numberedReadings,
  reliableOptions,
  reliableRuns,
  SCRIPTED,
  seededLinksCheck,
  sensorPlaceholders,
  serverReadyCheck,
} from "../harness/grade/index.ts";
import { sensorSections } from "../harness/report/index.ts";

export default defineTask({
  id: "sensor-udp-reliable",
  title: "Reliable, in-order sensor readings over UDP (optional 2)",
  optional: true,
  section: "Optional 2",
  summary:
    "The UDP sensor pair made reliable: socklab inserts a seeded lossy link between client and server that " +
    "drops, duplicates and reorders datagrams both ways (fates depend on the seed and on each datagram's " +
    "identity — its message and sequence number — never on timing, so every run replays from its seed). The " +
    "server's delivered sequence, read from its output, must hold every reading exactly once and in order, on " +
    "every seed and in four scripted cases; and the client must give up in bounded time when nothing gets through.",
  defaults: { host: "127.0.0.1", port: 9001 },
  placeholders: sensorPlaceholders,
  init: {
    match: [
      ["sensor", "reliable"],
      ["sensor", "fiable"],
      ["sensor", "rdt"],
      ["sensor", "ack"],
      ["sensor", "arq"],
    ],
    rank: 95,
  },
  options: reliableOptions,
  runs: reliableRuns,
  checks: [
    serverReadyCheck({ points: 1, run: "clean" }),
    numberedReadings(messagesDecodeCheck({ points: 1, run: "clean" })),
    deliveryCheck("clean-link", "over a perfect link, every reading is delivered once, in order", 1, "clean"),
    seededLinksCheck(),
    ...SCRIPTED.map((s) =>
      deliveryCheck(s.name, `${s.title}: every reading still delivered once, in order`, 1, s.name),
    ),
    givesUpCheck(),
  ],
  sections: (evidence) => sensorSections(evidence, "udp", { reliable: true }),
});
