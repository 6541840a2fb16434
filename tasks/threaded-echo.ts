// Task 1.5 — a multi-threaded TCP echo server with interactive clients (127.0.0.1:8080). Several clients
// connect one after the other and stay connected; each must be served while the others are. The handout's
// own server fails two checks here: it loops for ever on an empty recv() when a client leaves (burning CPU),
// and it prints a global instead of the thread's own client address.
import type { TcpConversation } from "../harness/analyse/types.ts";
import {
  clientsExitCheck,
  crossRunCheck,
  defineTask,
  driveInteractiveClients,
  fail,
  type InteractiveReport,
  pass,
  type RunRecord,
  role,
  runOf,
  serverReadyCheck,
  serverSurvivesCheck,
  taskCheck,
  tcpConversations,
  z,
} from "../harness/grade/index.ts";

const options = z.object({
  /** The word that ends a client (the handout's client says `end`). */
  quit: z.string().min(1).default("end"),
  /** How many clients run at once. */
  clients: z.number().int().min(2).max(10).default(3),
});
type Options = z.infer<typeof options>;

const IDLE_WINDOW_MS = 600;
/** CPU a server may use while idle: 5 % of the window (a spinning thread uses close to 100 %). */
const IDLE_CPU_LIMIT_MS = IDLE_WINDOW_MS * 0.05;

function report(run: RunRecord): InteractiveReport | null {
  return (run.notes.interactive as InteractiveReport | undefined) ?? null;
}

/** The largest number of the port's TCP connections open at the same moment, from the capture. */
export function maxOverlap(convs: readonly TcpConversation[]): number {
  const events = convs.flatMap((c) => [
    { t: c.firstTimeUs, d: 1 },
    { t: c.lastTimeUs, d: -1 },
  ]);
  events.sort((a, b) => a.t - b.t || b.d - a.d);
  let open = 0;
  let max = 0;
  for (const e of events) {
    open += e.d;
    max = Math.max(max, open);
  }
  return max;
}

export default defineTask<Options>({
  id: "threaded-echo",
  title: "Multi-threaded TCP echo server",
  section: "1.5",
  summary:
    "The handout's concurrent server: one thread per client, so a client is served while others are connected. " +
    "socklab connects several interactive clients one after the other, keeps them connected, watches the " +
    "sockets inside the namespace (LISTEN plus one ESTABLISHED per client, as with netstat), and measures the " +
    "server's CPU time once they have left.",
  defaults: { host: "127.0.0.1", port: 8080 },
  options,
  runs: ({ entry, reference }) => {
    const { clients, quit } = entry.options;
    return [
      {
        name: "main",
        title: `the student's server with ${clients} of the student's clients at once`,
        protocol: "tcp",
        port: entry.port,
        server: role(entry, "server", "student"),
        idleCpuWindowMs: IDLE_WINDOW_MS,
        drive: async (ctx) => {
          await driveInteractiveClients(ctx, {
            clients,
            quit,
            role: (i) => role(entry, "client", "student", `client ${i}`),
          });
        },
      },
      {
        name: "reference-client",
        title: `the student's server with ${clients} reference clients at once`,
        protocol: "tcp",
        port: entry.port,
        server: role(entry, "server", "student"),
        drive: async (ctx) => {
          await driveInteractiveClients(ctx, {
            clients,
            quit,
            role: (i) => role(reference, "client", "reference", `reference client ${i}`),
          });
        },
      },
      {
        name: "reference-server",
        title: `the reference server with ${clients} of the student's clients`,
        protocol: "tcp",
        port: entry.port,
        server: role(reference, "server", "reference", "reference server"),
        drive: async (ctx) => {
          await driveInteractiveClients(ctx, {
            clients,
            quit,
            role: (i) => role(entry, "client", "student", `client ${i}`),
          });
        },
      },
    ];
  },
  checks: [
    serverReadyCheck({ points: 1 }),
    clientsExitCheck({
      id: "clients-exit",
      title: "every client exits with code 0 after its quit word",
      points: 1,
    }),
    taskCheck({
      id: "clients-echoed",
      title: "every client's line comes back",
      points: 1,
      dependsOn: "server-ready",
      run: (evidence) => {
        const r = report(runOf(evidence, "main"));
        const missing = r?.clients.filter((c) => !c.echoed) ?? [];
        if (r && missing.length === 0) return pass(`all ${r.clients.length} clients got their line back`);
        return fail({
          message: `${missing.length} client(s) did not get their line back`,
          expected: "each line a client sends to come back",
          actual:
            missing.map((c) => `${c.name}: no "${c.line}" in its output`).join("; ") ||
            "the scenario did not run",
          help: "Each client's thread must loop: recv(), send the same bytes back, until the client leaves.",
        });
      },
    }),
    taskCheck({
      id: "overlap",
      title: "the clients' connections overlap in time",
      points: 1,
      dependsOn: "server-ready",
      run: (evidence) => {
        const run = runOf(evidence, "main");
        const want = (evidence.env.entry.options as Options).clients;
        const convs = tcpConversations(run);
        const most = maxOverlap(convs);
        if (most >= want)
          return pass(
            `${most} connections were open at the same time (capture: ${convs.length} connections)`,
          );
        return fail({
          message: `at most ${most} of the ${want} clients' connections were open at the same time`,
          expected: `${want} connections open together`,
          actual: `${convs.length} connections, at most ${most} at once`,
          help: "The clients stay connected until they say the quit word; the server must accept new clients meanwhile.",
        });
      },
    }),
    taskCheck({
      id: "concurrent-echo",
      title: "a second client is echoed while the first is still connected",
      points: 2,
      dependsOn: "server-ready",
      run: (evidence) => {
        const r = report(runOf(evidence, "main"));
        const later = r?.clients.slice(1) ?? [];
        const unserved = later.find((c) => !c.firstReply || c.othersConnected === 0);
        if (r && later.length > 0 && !unserved) {
          return pass(
            `${later.map((c) => `${c.name} was answered while ${c.othersConnected} other(s) stayed connected`).join("; ")}`,
          );
        }
        return fail({
          message: unserved
            ? `${unserved.name} got no reply while the first client was connected`
            : "the scenario did not run",
          expected: "each new client answered at once, whoever else is connected",
          actual: unserved ? `no output from ${unserved.name} within 3 s` : "no clients",
          help: "Serve each client in its own thread (threading.Thread(target=…, args=(conn, addr)).start()) and go straight back to accept().",
        });
      },
    }),
    taskCheck({
      id: "socket-snapshot",
      title: "LISTEN plus one ESTABLISHED per client, inside the namespace",
      points: 1,
      dependsOn: "server-ready",
      run: (evidence) => {
        const run = runOf(evidence, "main");
        const want = (evidence.env.entry.options as Options).clients;
        const shot = run.snapshots.find((s) => s.label !== "after the clients left");
        const onPort = shot?.sockets.filter((s) => s.localPort === run.port) ?? [];
        const listen = onPort.filter((s) => s.state === "LISTEN").length;
        const established = onPort.filter((s) => s.state === "ESTABLISHED").length;
        if (listen >= 1 && established >= want) {
          return pass(
            `the snapshot "${shot!.label}" shows ${listen} LISTEN and ${established} ESTABLISHED sockets on port ${run.port}`,
          );
        }
        return fail({
          message: `the socket snapshot shows ${listen} LISTEN and ${established} ESTABLISHED on port ${run.port}`,
          expected: `1 LISTEN and ${want} ESTABLISHED (one per client) on the server's port`,
          actual: shot ? shot.ss.trim().split("\n").slice(0, 8).join(" | ") : "no snapshot",
          help: "Accepted connections stay ESTABLISHED while their client is connected; the listening socket stays open.",
        });
      },
    }),
    taskCheck({
      id: "keeps-listening",
      title: "the server keeps listening after the clients leave",
      points: 1,
      dependsOn: "server-ready",
      run: (evidence) => {
        const run = runOf(evidence, "main");
        if (run.listeningAfter) return pass(`port ${run.port} was still in LISTEN after the clients left`);
        return fail({
          message: "the server no longer listened after the clients left",
          expected: `a LISTEN socket on port ${run.port}`,
          actual: run.serverRunningAtEnd
            ? "the server ran but its listening socket was closed"
            : "the server had ended",
          help: "Keep the accept() loop (and the listening socket) open for ever; only the per-client sockets close.",
        });
      },
    }),
    taskCheck({
      id: "idle-cpu",
      title: "the server does not burn CPU once the clients have gone",
      points: 2,
      dependsOn: "server-ready",
      run: (evidence) => {
        const run = runOf(evidence, "main");
        const idle = run.idleCpu;
        if (!idle) {
          return fail({
            message: "the server's idle CPU time could not be measured",
            actual: "the server had ended before the measurement",
          });
        }
        if (idle.cpuMs <= IDLE_CPU_LIMIT_MS)
          return pass(`${idle.cpuMs} ms of CPU over ${idle.windowMs} ms after the clients left`);
        return fail({
          message: `the server used ${idle.cpuMs} ms of CPU in ${idle.windowMs} ms while no client was connected`,
          expected: `at most ${IDLE_CPU_LIMIT_MS} ms (an idle server waits in accept() and uses none)`,
          actual: `${Math.round((100 * idle.cpuMs) / idle.windowMs)} % of a core`,
          help: "A client that leaves makes recv() return b'' at once, for ever: end the thread's loop on an empty recv() (the handout's server only stops on 'bye', so it spins).",
        });
      },
    }),
    serverSurvivesCheck({ points: 1 }),
    crossRunCheck({
      id: "cross-reference-client",
      title: "reference clients are served",
      points: 1,
      run: "reference-client",
      proves: "the reference clients were served concurrently and left cleanly",
      help: "Your server must serve any client that speaks the protocol: echo each message, end on the quit word or an empty recv().",
    }),
    crossRunCheck({
      id: "cross-reference-server",
      title: "the clients work with the reference server",
      points: 1,
      run: "reference-server",
      studentIsClient: true,
      proves:
        "the student's clients exchanged their lines with the reference server and left on the quit word",
      help: "Your client must send its lines, print the replies, and close after the quit word.",
    }),
  ],
});
