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
  probe,
  probeReport,
  type RunRecord,
  role,
  runOf,
  serverReadyCheck,
  serverSurvivesCheck,
  taskCheck,
  tcpConversations,
  z,
} from "../harness/grade/index.ts";

/** What socklab's concurrency probe (tasks/probes/threaded_echo_probe.py) prints. */
const concurrencyReport = z.object({
  ok: z.boolean().default(false),
  /** The probe's own failure. */
  error: z.string().optional(),
  connections: z.array(
    z.object({
      index: z.number(),
      echoed: z.boolean(),
      echoedAgain: z.boolean().nullable(),
      othersOpen: z.number(),
      error: z.string().optional(),
    }),
  ),
});

const options = z.object({
  /** The word that ends a client (the handout's client says `end`). */
  quit: z.string().min(1).default("end"),
  /** How many clients run at once. */
  clients: z.number().int().min(2).max(10).default(3),
});
type Options = z.infer<typeof options>;

const IDLE_WINDOW_MS = 600;
/** Lines an idle server may print during the window: a log line now and then, never a flood. */
const IDLE_LINES_LIMIT = 100;
/** CPU a server may use while idle: 5 % of the window (a spinning thread uses close to 100 %). */
const IDLE_CPU_LIMIT_MS = IDLE_WINDOW_MS * 0.05;

function report(run: RunRecord): InteractiveReport | null {
  return run.notes.interactive ?? null;
}

/** Every client of an interactive run printed the echo of its typed line in time (null), or a failure. */
function allEchoed(run: RunRecord, who: string) {
  const r = report(run);
  const missing = r?.clients.filter((c) => !c.echoed) ?? [];
  if (r && missing.length === 0) return null;
  return fail({
    message: `${missing.length} ${who}(s) did not print the echo of their typed line within 3 s`,
    expected: "each typed line echoed and printed while the other clients are connected",
    actual:
      missing.map((c) => `${c.name}: no "${c.line}" in its output`).join("; ") || "the scenario did not run",
  });
}

/** How many of the conversations were open at wall-clock instant `atUs`. */
export function openAt(convs: readonly TcpConversation[], atUs: number): number {
  return convs.filter((c) => c.firstTimeUs <= atUs && atUs <= c.lastTimeUs).length;
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

export default defineTask({
  id: "threaded-echo",
  title: "Multi-threaded TCP echo server",
  section: "1.5",
  summary:
    "The handout's concurrent server: one thread per client, so a client is served while others are connected. " +
    "socklab connects several interactive clients one after the other, keeps them connected, watches the " +
    "sockets inside the namespace (LISTEN plus one ESTABLISHED per client, as with netstat), and measures the " +
    "server's CPU time once they have left.",
  defaults: { host: "127.0.0.1", port: 8080 },
  init: {
    match: [
      ["thread"],
      ["threaded"],
      ["threads"],
      ["threading"],
      ["hilos"],
      ["hilo"],
      ["concurrent"],
      ["concurrente"],
      ["multithread"],
      ["multi"],
    ],
    rank: 50,
  },
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
        name: "probe",
        title: `the student's server with ${clients} of socklab's probe connections at once`,
        protocol: "tcp",
        port: entry.port,
        server: role(entry, "server", "student"),
        drive: async (ctx) => {
          await ctx.runClient({
            ...probe("probe", "threaded_echo_probe.py", [entry.host, entry.port, clients, quit]),
            timeoutMs: 15_000,
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
    taskCheck<Options>({
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
    taskCheck<Options>({
      id: "overlap",
      title: "the clients' connections overlap in time",
      points: 1,
      dependsOn: "server-ready",
      run: (evidence) => {
        const run = runOf(evidence, "main");
        const want = evidence.env.entry.options.clients;
        const convs = tcpConversations(run);
        const instants = report(run)?.idleAtUs ?? [];
        // Connections open while every client sat idle, so the verdict does not hang on how the short
        // exchanges in between happened to interleave.
        const most =
          instants.length > 0 ? Math.max(...instants.map((t) => openAt(convs, t))) : maxOverlap(convs);
        if (most >= want)
          return pass(
            `${most} connections were open at the same time, while the clients waited for input (capture: ${convs.length} connections)`,
          );
        return fail({
          message: `at most ${most} of the ${want} clients' connections were open at the same time`,
          expected: `${want} connections open together`,
          actual: `${convs.length} connections, at most ${most} at once`,
          help: "The clients stay connected until they say the quit word; the server must accept new clients meanwhile.",
        });
      },
    }),
    taskCheck<Options>({
      id: "concurrent-echo",
      title: "a second client is echoed while the first is still connected",
      points: 2,
      dependsOn: "server-ready",
      run: (evidence) => {
        const run = runOf(evidence, "probe");
        const report = probeReport(run, concurrencyReport);
        const want = evidence.env.entry.options.clients;
        if (!report || report.error !== undefined) {
          // socklab's own program failed: not the student's fault (an error, not a verdict).
          const probe = run.clients.find((c) => c.role.source === "probe");
          throw new Error(
            `socklab's concurrency probe ${report?.error ? `failed: ${report.error}` : `printed no report (${probe?.outcome.description ?? "not started"})`}`,
          );
        }
        const conns = report.connections;
        if (report.ok && conns.length === want) {
          return pass(
            `socklab opened ${want} connections one after the other and kept them open: each was echoed at once ` +
              `(connection ${want} while ${conns.at(-1)!.othersOpen} others were open), and each again once all were open`,
          );
        }
        const bad = conns.find((c) => !c.echoed || c.echoedAgain === false) ?? conns.at(-1);
        const oneAtATime = bad !== undefined && !bad.echoed && bad.index > 1 && conns[0]?.echoed === true;
        return fail({
          message: bad
            ? `connection ${bad.index} of socklab's probe ${bad.echoed ? "was not echoed again after the other connections opened" : `got no echo while ${bad.othersOpen} other connection(s) stayed open`}`
            : "the probe opened no connection",
          expected: `each of ${want} connections, opened one after the other and kept open, echoed at once`,
          actual: bad ? (bad.error ?? "no echo") : "no connection",
          help: oneAtATime
            ? "The server serves one client at a time: connection 1 was echoed, connection 2 waited in the listen backlog. Hand each accepted connection to its own thread (threading.Thread(target=…, args=(conn, addr)).start()) and go straight back to accept()."
            : bad?.index === 1
              ? "Even the first connection got no echo: send back the bytes recv() returns, as they arrive (a server that waits for a newline or for more bytes never answers)."
              : "A connection that was served stopped being served once others arrived: keep each client's loop in its own thread until recv() returns b''.",
        });
      },
    }),
    taskCheck<Options>({
      id: "socket-snapshot",
      title: "LISTEN plus one ESTABLISHED per client, inside the namespace",
      points: 1,
      dependsOn: "server-ready",
      run: (evidence) => {
        const run = runOf(evidence, "main");
        const want = evidence.env.entry.options.clients;
        // The snapshot with the most connections while the clients ran.
        const connectedIn = (shot: (typeof run.snapshots)[number]) =>
          shot.sockets.filter((s) => s.localPort === run.port && s.state === "ESTABLISHED").length;
        const shot = run.snapshots
          .filter((s) => s.kind === "during")
          .sort((a, b) => connectedIn(b) - connectedIn(a))[0];
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
    taskCheck<Options>({
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
    taskCheck<Options>({
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
        // A spinning thread is runnable in nearly every sample even when a loaded machine gives it little CPU;
        // one that prints as it spins waits on its output pipe instead, and floods it.
        const spinning = idle.runnableSamples > idle.samples / 2 || idle.lines > IDLE_LINES_LIMIT;
        if (idle.cpuMs <= IDLE_CPU_LIMIT_MS && !spinning)
          return pass(
            `${idle.cpuMs} ms of CPU over ${idle.windowMs} ms after the clients left; a thread was runnable in ${idle.runnableSamples} of ${idle.samples} samples; ${idle.lines} line(s) printed`,
          );
        return fail({
          message: `the server used ${idle.cpuMs} ms of CPU in ${idle.windowMs} ms while no client was connected`,
          expected: `at most ${IDLE_CPU_LIMIT_MS} ms, every thread waiting (an idle server waits in accept() and uses none)`,
          actual: `${Math.round((100 * idle.cpuMs) / idle.windowMs)} % of a core; a thread was runnable in ${idle.runnableSamples} of ${idle.samples} samples; ${idle.lines} line(s) printed`,
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
      proves: "the reference clients were each echoed while the others were connected, and left cleanly",
      help: "Your server must serve any client that speaks the protocol: echo each message, end on the quit word or an empty recv().",
      judge: (run) => allEchoed(run, "reference client"),
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
      judge: (run) => allEchoed(run, "client"),
    }),
  ],
});
