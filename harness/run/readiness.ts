// Waiting for a server to listen, without connecting to it: a probe connection would use up the accept()
// of a server that accepts exactly once. The run's socket table is read from /proc instead.
import { readdirSync, readlinkSync } from "node:fs";
import { backoff, type Sandbox, type SocketEntry, SocketWatch } from "../sandbox/index.ts";
import type { Outcome } from "./outcome.ts";
import type { Program } from "./process.ts";
import { type StepResult, stepEnded, stepTimeout } from "./step.ts";

export interface PortWait {
  readonly protocol: "tcp" | "udp";
  readonly port: number;
  /** The server; the wait ends early when it exits. */
  readonly program: Program;
  readonly timeoutMs: number;
}

/** How often at most a server that does not listen yet is looked at for being stuck (stopped, out of memory). */
const STUCK_CHECK_MS = 100;
/**
 * A server still busy when the wait's time is up (using CPU, or writing output) gets more time, a slice at a
 * time, up to this: on a loaded machine, or behind a reader slowed by load, its start takes longer, and the
 * verdict must not depend on that. One that waits for nothing ends at the first deadline.
 */
const BUSY_CAP_MS = 20_000;
const BUSY_SLICE_MS = 500;

/** Whether `entry` is a socket ready for clients on `port`: a TCP listener, or a bound unconnected UDP socket. */
export function isReadySocket(entry: SocketEntry, protocol: "tcp" | "udp", port: number): boolean {
  if (entry.localPort !== port) return false;
  if (protocol === "tcp")
    return (entry.protocol === "tcp" || entry.protocol === "tcp6") && entry.stateCode === 0x0a;
  return (
    (entry.protocol === "udp" || entry.protocol === "udp6") &&
    entry.stateCode === 0x07 &&
    entry.remotePort === 0
  );
}

/** The socket inodes that the given processes hold open. */
function socketInodes(pids: readonly number[]): Set<number> {
  const inodes = new Set<number>();
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const found = readlinkSync(`/proc/${pid}/fd/${fd}`).match(/^socket:\[(\d+)\]$/);
        if (found) inodes.add(Number(found[1]));
      } catch {
        // The fd closed meanwhile.
      }
    }
  }
  return inodes;
}

/**
 * Why a server that does not listen yet never will: it hit its memory limit, or every one of its processes is
 * stopped (SIGSTOP). Undefined while it may still be starting.
 */
function stuck(sandbox: Sandbox, program: Program): string | undefined {
  if (program.limitHits().some((h) => h.kind === "memory")) return "memory";
  if (program.pid === undefined) return undefined;
  const own = sandbox.programProcesses(program.pid, "student");
  // T is a stop signal's; t is a tracer's stop (a debugger or strace outside the run: the program cannot
  // ptrace), which ends as soon as the tracer lets it go.
  return own.length > 0 && own.every((p) => p.state === "T") ? "stopped" : undefined;
}

/**
 * Waits until the server listens on `port`, looking at the run's socket counters at a pause that grows from
 * 2 to 25 ms, and at the socket tables of the protocol's two families only when a counter changed (or every
 * 200 ms, and once more at the end): each table read walks the whole machine's socket table. In host mode the
 * socket must also belong to the server's processes, since the host table holds everyone's sockets. A server
 * that exits, hits its memory limit or stops (SIGSTOP) before it listens ends the wait at once (it is stopped,
 * and its outcome names the limit). One still busy at the deadline (CPU, output) gets more time, up to 20 s
 * more.
 */
export async function waitForPort(sandbox: Sandbox, wait: PortWait): Promise<StepResult<SocketEntry>> {
  const { protocol, port, program, timeoutMs } = wait;
  const what = `${program.name} to listen on ${protocol} port ${port}`;
  const started = performance.now();
  // Only the tables the server's socket can be in.
  const watch = new SocketWatch(sandbox, protocol === "tcp" ? ["tcp", "tcp6"] : ["udp", "udp6"]);
  let lastStuckCheck = Number.NEGATIVE_INFINITY;
  const poll = (ms: number) => pollWithBackoff(check, program.outcome, ms);
  let busy = { cpu: program.cpuTimeMs(), output: program.outputBytes() };
  let result = await poll(timeoutMs);
  let extended = false;
  while ("timedOut" in result && program.running && performance.now() - started < timeoutMs + BUSY_CAP_MS) {
    const now = { cpu: program.cpuTimeMs(), output: program.outputBytes() };
    const working = now.cpu > busy.cpu || now.output > busy.output;
    busy = now;
    if (!working) break;
    extended = true;
    result = await poll(BUSY_SLICE_MS);
  }
  const elapsedMs = Math.round(performance.now() - started);
  if ("value" in result) return { status: "done", what, elapsedMs, value: result.value };
  if ("ended" in result) {
    const outcome = result.ended;
    const how = outcome.signal !== null ? `killed by ${outcome.signal}` : `exit code ${outcome.exitCode}`;
    return stepEnded(what, elapsedMs, outcome, `${program.name} exited before it was ready (${how})`);
  }
  return stepTimeout(
    what,
    timeoutMs,
    elapsedMs,
    program.output(),
    extended
      ? `not listening on ${protocol} port ${port} after ${elapsedMs} ms (still busy at ${timeoutMs} ms, it was given more time)`
      : `not listening on ${protocol} port ${port} after ${timeoutMs} ms`,
  );

  async function check(last: boolean): Promise<SocketEntry | undefined> {
    const ready = (await watch.sockets(last)).filter((e) => isReadySocket(e, protocol, port));
    if (ready.length === 0 && performance.now() - lastStuckCheck >= STUCK_CHECK_MS) {
      lastStuckCheck = performance.now();
      const why = stuck(sandbox, program);
      if (why !== undefined) {
        void (why === "memory" ? program.stopForLimit() : program.stop());
        return undefined;
      }
    }
    if (ready.length === 0 || sandbox.mode === "namespace" || program.pid === undefined) return ready[0];
    const owned = socketInodes(sandbox.programProcesses(program.pid, "all").map((p) => p.pid));
    return ready.find((e) => owned.has(e.inode));
  }
}

/**
 * Looks with `check` until it returns a value, the program ends, or the timeout passes, pausing 2 ms after the
 * first look and twice as long after each next one, up to 25 ms. The last look, after the deadline or the
 * end, reads the tables whatever the counters say, so a late success still counts.
 */
async function pollWithBackoff<T>(
  check: (last: boolean) => Promise<T | undefined>,
  ended: Promise<Outcome>,
  timeoutMs: number,
): Promise<{ value: T } | { ended: Outcome } | { timedOut: true }> {
  const deadline = performance.now() + timeoutMs;
  let endedWith: { value: Outcome } | undefined;
  ended.then((value) => {
    endedWith = { value };
  });
  let pause: number | undefined;
  for (;;) {
    const last = endedWith !== undefined || performance.now() >= deadline;
    const value = await check(last);
    if (value !== undefined) return { value };
    if (last) return endedWith ? { ended: endedWith.value } : { timedOut: true };
    if (endedWith) continue;
    pause = backoff(pause);
    const left = deadline - performance.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(pause ?? 1, left))));
  }
}
