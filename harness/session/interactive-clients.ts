// Drives several interactive clients against one server, the way Task 1.5 asks: start them one after the other
// and keep them all connected, take a socket snapshot with all of them connected, type a line on each and
// watch for its echo in that client's output, then type each its quit word.
//
// Nothing here assumes who speaks first: a client may greet the server (the handout's does) or wait for the
// user's first line; the server may send a welcome banner or not; a client may print a prompt. socklab waits
// for each client's connection in the socket table, never for its output, before typing.
import type { InteractiveReport } from "./interactive-report.ts";
import type { ProgramRole, RunContext } from "./run-session.ts";

export interface InteractiveOptions {
  readonly clients: number;
  readonly quit: string;
  /** The role of client i (1-based). */
  readonly role: (i: number) => ProgramRole;
  /** How long to wait for each client's connection, and for the echoes of the typed lines. */
  readonly echoTimeoutMs?: number;
  /** When every client still running is killed, from the start of the scenario (default 10 s). */
  readonly clientTimeoutMs?: number;
}

/** The default moment, from the scenario's start, at which every client still running is killed. */
export const CLIENT_TIMEOUT_MS = 15_000;

/** The line socklab types on client i (1-based). */
export function typedLine(i: number): string {
  return `line from client ${i}`;
}

/** Runs the scenario and records it under `ctx.note("interactive", …)`. */
export async function driveInteractiveClients(
  ctx: RunContext,
  options: InteractiveOptions,
): Promise<InteractiveReport> {
  const timeout = options.echoTimeoutMs ?? 3000;
  // Every client is killed at the same moment if the scenario overruns: were the first client killed alone
  // (its own time limit running from its own start), a one-at-a-time server would serve the next one in
  // between, and the verdict would depend on the machine's load.
  const deadline = performance.now() + (options.clientTimeoutMs ?? CLIENT_TIMEOUT_MS);
  const started: { name: string; program: Awaited<ReturnType<RunContext["start"]>> }[] = [];
  // One budget for all the connection waits: a client that connects only once it has its first line (it
  // asks for input before connecting) must not make the scenario wait once per client.
  const connectBudgetEnds = performance.now() + timeout;
  for (let i = 1; i <= options.clients; i++) {
    const role = {
      ...options.role(i),
      stdin: "pipe" as const,
      timeoutMs: Math.max(1000, Math.round(deadline - performance.now())),
    };
    started.push({ name: role.name, program: await ctx.start(role) });
    // The kernel completes a client's handshake whether or not the server accepts it, so this waits for the
    // client to connect, not for the server to serve it.
    const budget = Math.max(0, Math.round(connectBudgetEnds - performance.now()));
    await ctx.waitForEstablished(i, Math.min(budget, 1000));
  }
  const rest = Math.max(0, Math.round(connectBudgetEnds - performance.now()));
  const allConnected = await ctx.waitForEstablished(options.clients, rest);
  await ctx.snapshot(
    allConnected ? "all clients connected" : "while the clients were running",
    options.clients,
  );
  const idleAtUs = [Date.now() * 1000];
  // Every client types its line at once and waits for its echo: a concurrent server answers them all.
  const echoes = await Promise.all(
    started.map(async (s, index) => {
      const line = typedLine(index + 1);
      s.program.write(`${line}\n`);
      const echoed = await s.program.waitForOutput(line, timeout, `the echo of "${line}"`);
      return echoed.status === "done";
    }),
  );
  // A client that connects only once it has its first line is connected now: look again.
  if (!allConnected && (await ctx.waitForEstablished(options.clients, 500))) {
    await ctx.snapshot("all clients connected, after their first line", options.clients);
  }
  idleAtUs.push(Date.now() * 1000);
  for (const s of started) s.program.write(`${options.quit}\n`);
  // A client may wait a while for the server to close after its quit word: it has until the deadline.
  const left = Math.max(1000, Math.round(deadline - performance.now()));
  await Promise.all(started.map((s) => s.program.waitForExit(left)));
  const report: InteractiveReport = {
    allConnected,
    idleAtUs,
    clients: started.map((s, i) => ({
      name: s.name,
      echoed: echoes[i]!,
      line: typedLine(i + 1),
    })),
  };
  ctx.note("interactive", report);
  return report;
}
