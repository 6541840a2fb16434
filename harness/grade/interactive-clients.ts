// Drives several interactive clients against one server, the way Task 1.5 asks: start them one after the
// other while the earlier ones stay connected, check each is echoed while the others are connected, take a
// socket snapshot with all of them connected, exchange a line each, then send each its quit word.
import type { ProgramRole, RunContext } from "./run-session.ts";

export interface InteractiveOptions {
  readonly clients: number;
  readonly quit: string;
  /** The role of client i (1-based). */
  readonly role: (i: number) => ProgramRole;
  /** How long to wait for each echo. */
  readonly echoTimeoutMs?: number;
  /** When every client still running is killed, from the start of the scenario (default 10 s). */
  readonly clientTimeoutMs?: number;
}

/** The default moment, from the scenario's start, at which every client still running is killed. */
export const CLIENT_TIMEOUT_MS = 10_000;

/** What happened to one client, for the checks. */
export interface InteractiveClient {
  readonly name: string;
  /** Whether its first reply came, and how many other clients were connected (still running) at that moment. */
  readonly firstReply: boolean;
  readonly othersConnected: number;
  readonly firstReplyAtMs: number | null;
  /** Whether the line it sent later came back. */
  readonly echoed: boolean;
  readonly line: string;
}

export interface InteractiveReport {
  readonly clients: readonly InteractiveClient[];
  /** Whether the server side showed one ESTABLISHED connection per client at the same time. */
  readonly allConnected: boolean;
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
  const first: { ok: boolean; others: number; at: number | null }[] = [];
  for (let i = 1; i <= options.clients; i++) {
    const role = {
      ...options.role(i),
      stdin: "pipe" as const,
      timeoutMs: Math.max(1000, Math.round(deadline - performance.now())),
    };
    const program = await ctx.start(role);
    started.push({ name: role.name, program });
    const reply = await program.waitForOutput(/\S/, timeout, `${role.name}'s first reply`);
    const others = started.slice(0, -1).filter((s) => s.program.running).length;
    first.push({ ok: reply.status === "done", others, at: reply.status === "done" ? ctx.elapsed() : null });
  }
  const allConnected = await ctx.waitForEstablished(options.clients, timeout);
  await ctx.snapshot(allConnected ? "all clients connected" : "while the clients were running");
  const echoed: boolean[] = [];
  for (const [index, s] of started.entries()) {
    const line = `line from client ${index + 1}`;
    s.program.write(`${line}\n`);
    echoed.push((await s.program.waitForOutput(line, timeout, `the echo of "${line}"`)).status === "done");
  }
  for (const s of started) s.program.write(`${options.quit}\n`);
  await Promise.all(started.map((s) => s.program.waitForExit(timeout)));
  const report: InteractiveReport = {
    allConnected,
    clients: started.map((s, i) => ({
      name: s.name,
      firstReply: first[i]!.ok,
      othersConnected: first[i]!.others,
      firstReplyAtMs: first[i]!.at,
      echoed: echoed[i]!,
      line: `line from client ${i + 1}`,
    })),
  };
  ctx.note("interactive", report);
  return report;
}
