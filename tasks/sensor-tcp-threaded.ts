// Optional deliverable 1: a multi-threaded TCP sensor server. Several sensor clients start at once; each must
// be served while the others send — its period kept, each reading answered within one interval — seen on the
// wire as replies to every connection interleaved in time (the run's socket table corroborates).
import {
  clientsExitCheck,
  clientTimeoutMs,
  defineTask,
  fail,
  messagesDecodeCheck,
  packetRef,
  pass,
  periodicCheck,
  replyTo,
  role,
  runOf,
  type SensorOptions,
  type SensorTraffic,
  sensorOptionsShape,
  sensorPlaceholders,
  sensorServer,
  serverReadyCheck,
  taskCheck,
  trafficOf,
  z,
} from "../harness/grade/index.ts";
import { sensorSections } from "../harness/report/index.ts";

const options = z.object({
  ...sensorOptionsShape,
  /** How many sensor clients run at once. */
  clients: z.number().int().min(2).max(10).default(3),
});
type Options = SensorOptions & { clients: number };

/** Per connection, when its replies started and ended (µs). */
export function replySpans(
  traffic: SensorTraffic,
): { conversation: number; firstUs: number; lastUs: number }[] {
  return traffic.conversations.flatMap((conversation) => {
    const times = traffic.replies.filter((m) => m.conversation === conversation).map((m) => m.timeUs);
    return times.length === 0
      ? []
      : [{ conversation, firstUs: Math.min(...times), lastUs: Math.max(...times) }];
  });
}

const seconds = (us: number, startUs: number) => `${((us - startUs) / 1e6).toFixed(2)} s`;

export default defineTask({
  id: "sensor-tcp-threaded",
  title: "Multi-threaded TCP sensor server (optional 1)",
  optional: true,
  section: "Optional 1",
  summary:
    "The TCP sensor server with one thread per client: socklab starts several sensor clients at once and " +
    "checks that they are served together — replies to all of them interleaved in time (the run's socket " +
    "table shows one ESTABLISHED connection each), each client keeping its own period and every reading " +
    "answered within one interval.",
  defaults: { host: "127.0.0.1", port: 9000 },
  placeholders: sensorPlaceholders,
  init: {
    match: [
      ["sensor", "thread"],
      ["sensor", "threaded"],
      ["sensor", "threads"],
      ["sensor", "threading"],
      ["sensor", "hilos"],
      ["sensor", "concurrent"],
      ["sensor", "multithread"],
    ],
    rank: 95,
    clientFrom: "sensor-tcp",
  },
  options,
  runs: ({ entry }) => [
    {
      name: "main",
      title: `the student's server with ${entry.options.clients} of the student's sensor clients at once`,
      protocol: "tcp",
      port: entry.port,
      server: sensorServer(entry, clientTimeoutMs(entry)),
      drive: async (ctx) => {
        const n = entry.options.clients;
        const programs = await Promise.all(
          Array.from({ length: n }, (_, i) =>
            ctx.start(
              role(entry, "client", "student", `client ${i + 1}`, { timeoutMs: clientTimeoutMs(entry) }),
            ),
          ),
        );
        const connected = await ctx.waitForEstablished(n, 3000);
        await ctx.snapshot(connected ? `${n} clients connected` : `waiting for ${n} clients (timed out)`, n);
        await Promise.all(programs.map((p) => p.outcome));
      },
    },
  ],
  checks: [
    serverReadyCheck({ points: 1 }),
    clientsExitCheck({ id: "clients-exit", title: "every client exits with code 0 in time", points: 1 }),
    messagesDecodeCheck({ points: 1 }),
    taskCheck<Options>({
      id: "concurrent",
      title: "the clients are served at the same time",
      points: 2,
      dependsOn: "server-ready",
      run: (evidence) => {
        const run = runOf(evidence, "main");
        const n = evidence.env.entry.options.clients;
        const traffic = trafficOf(run, evidence.env.protocol);
        const shot = run.snapshots.find((s) => s.kind === "during");
        const established =
          shot?.sockets.filter((s) => s.localPort === run.port && s.state === "ESTABLISHED").length ?? 0;
        const spans = replySpans(traffic);
        const startUs = Math.min(...traffic.readings.map((m) => m.timeUs), Number.POSITIVE_INFINITY);
        const together =
          spans.length >= n &&
          Math.max(...spans.map((s) => s.firstUs)) < Math.min(...spans.map((s) => s.lastUs));
        const spanText = spans
          .map(
            (s) =>
              `connection ${s.conversation} answered ${seconds(s.firstUs, startUs)}–${seconds(s.lastUs, startUs)}`,
          )
          .join(", ");
        // The wire decides: replies to every connection interleaved in time cannot come from a server that
        // serves one client after another. The snapshot corroborates when it caught them (it is taken by
        // socklab while the run goes on, so on a loaded machine it may come late).
        if (together) {
          return pass(
            `replies to all ${n} connections interleaved in time: ${spanText}` +
              (established >= n
                ? `; ${established} ESTABLISHED connections on port ${run.port} at once in the snapshot`
                : ""),
          );
        }
        const answered = spans.filter((s) => s.lastUs > s.firstUs).length;
        return fail({
          message:
            spans.length < n && established < n
              ? `only ${Math.max(established, spans.length)} of ${n} clients were served at once`
              : answered < n
                ? `only ${answered} of ${n} connections got more than one decodable reply, so they were not served together`
                : `the ${n} connections were answered one after the other, not at the same time`,
          expected: `replies to every one of the ${n} clients interleaved in time`,
          actual: `${established} ESTABLISHED in the snapshot "${shot?.label ?? "none"}"; ${spanText || "no replies"}`,
          evidence: spans.slice(0, 3).flatMap((s) => {
            const first = traffic.replies.find((m) => m.conversation === s.conversation);
            return first ? [packetRef(run, first.packet)] : [];
          }),
          help:
            traffic.replies.length === 0
              ? "The server sent no reply socklab could read: answer every reading with a reply in the format socklab.yaml declares (see the replies check of sensor-tcp)."
              : established < n
                ? "Not every client could connect: keep the listening socket open with listen() and call accept() in a loop, while other clients are being served."
                : "accept() in a loop and hand each connection to its own thread (threading.Thread(target=handle, " +
                  "args=(conn, addr)).start()), so the main thread goes straight back to accept().",
        });
      },
    }),
    periodicCheck({
      id: "periods-kept",
      title: "each client keeps its period while the others send (no bursts, no stalls)",
      points: 2,
      stalls: true,
    }),
    taskCheck<Options>({
      id: "all-replied",
      title: "every reading of every client is answered within one interval",
      points: 2,
      dependsOn: "server-ready",
      run: (evidence) => {
        const run = runOf(evidence, "main");
        const o = evidence.env.entry.options;
        const traffic = trafficOf(run, evidence.env.protocol);
        const limitUs = Math.max(o.interval * 1e6, 50_000);
        if (traffic.readings.length === 0)
          return fail({ message: "no reading was captured", actual: "no readings" });
        const late = traffic.readings.flatMap((m) => {
          const reply = replyTo(traffic, m);
          const delayUs = reply ? reply.timeUs - m.timeUs : null;
          return delayUs === null || delayUs > limitUs ? [{ m, reply, delayUs }] : [];
        });
        if (late.length === 0) {
          const worst = Math.max(
            ...traffic.readings.map((m) => {
              const r = replyTo(traffic, m);
              return r ? r.timeUs - m.timeUs : 0;
            }),
          );
          return pass(
            `all ${traffic.readings.length} readings of ${traffic.conversations.length} clients answered, the slowest in ${(worst / 1000).toFixed(1)} ms`,
          );
        }
        const first = late[0]!;
        return fail({
          message: `${late.length} of ${traffic.readings.length} readings were not answered within ${limitUs / 1000} ms`,
          expected: `a reply within one interval (${limitUs / 1000} ms) of each reading`,
          actual: late
            .slice(0, 4)
            .map(
              (l) =>
                `connection ${l.m.conversation} ${l.m.name}${l.m.sequence === undefined ? ` in packet ${l.m.packet}` : ` seq ${String(l.m.sequence)}`}: ${l.delayUs === null ? "no reply" : `reply after ${(l.delayUs / 1000).toFixed(0)} ms`}`,
            )
            .join("; "),
          evidence: [
            packetRef(run, first.m.packet),
            ...(first.reply ? [packetRef(run, first.reply.packet)] : []),
          ],
          help: late.every((l) => l.reply === null)
            ? "No reading got a reply socklab could read: answer every reading with a reply in the declared format."
            : "Serve each client in its own thread, so one client's readings never wait for another client to finish.",
        });
      },
    }),
  ],
  sections: (evidence) => sensorSections(evidence, "tcp"),
});
