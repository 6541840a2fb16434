// Processes as /proc shows them: the tree below a pid, CPU time, pid namespaces. Synchronous on purpose: a
// scan of /proc is a few hundred small reads and must not interleave with a kill sequence.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** Linux reports times in /proc/<pid>/stat in USER_HZ ticks, which is 100 on every architecture Node runs on. */
const MS_PER_TICK = 10;

export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  readonly sid: number;
  /** The kernel's short name (at most 15 characters). */
  readonly comm: string;
  /** R, S, D, Z, T, … */
  readonly state: string;
  /** user+sys of the process itself plus its waited-for children, in ms. */
  readonly cpuMs: number;
  /** When the process started, in clock ticks since boot: with the pid, it names one process for good. */
  readonly startTicks: number;
}

/** Parses the text of /proc/<pid>/stat (the name may contain spaces and parentheses). */
export function parseProcStat(pid: number, text: string): ProcessInfo | undefined {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return undefined;
  const rest = text
    .slice(close + 2)
    .trim()
    .split(" ");
  const num = (i: number) => Number(rest[i]);
  if (rest.length < 15) return undefined;
  return {
    pid,
    ppid: num(1),
    pgid: num(2),
    sid: num(3),
    comm: text.slice(open + 1, close),
    state: rest[0] ?? "?",
    cpuMs: (num(11) + num(12) + num(13) + num(14)) * MS_PER_TICK,
    startTicks: num(19),
  };
}

/** How many threads of these processes are running or ready to run (state R): a thread blocked in recv()
 * or accept() sleeps (S); one that loops without blocking is R even when a loaded machine does not run it. */
export function runnableThreads(pids: Iterable<number>): number {
  let runnable = 0;
  for (const pid of pids) {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const info = parseProcStat(Number(tid), readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8"));
        if (info?.state === "R") runnable++;
      } catch {
        // The thread ended meanwhile.
      }
    }
  }
  return runnable;
}

/** Every process on the machine (that this user may see), by pid. */
export function listProcesses(): Map<number, ProcessInfo> {
  const table = new Map<number, ProcessInfo>();
  for (const name of readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const info = readProcessInfo(pid);
    if (info) table.set(pid, info);
  }
  return table;
}

/** One process, or undefined when it is gone. */
export function readProcessInfo(pid: number): ProcessInfo | undefined {
  try {
    return parseProcStat(pid, readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return undefined;
  }
}

/** `root` (if alive) and every process below it, parents before children. */
export function processTree(root: number, table: Map<number, ProcessInfo> = listProcesses()): ProcessInfo[] {
  const children = new Map<number, ProcessInfo[]>();
  for (const info of table.values()) {
    const siblings = children.get(info.ppid);
    if (siblings) siblings.push(info);
    else children.set(info.ppid, [info]);
  }
  const result: ProcessInfo[] = [];
  const first = table.get(root);
  const queue = first ? [first] : (children.get(root) ?? []);
  while (queue.length > 0) {
    const next = queue.shift()!;
    result.push(next);
    queue.push(...(children.get(next.pid) ?? []));
  }
  return result;
}

/** The pid of a process in each pid namespace it is in, outermost first (the NSpid line). */
export function namespacePids(pid: number): number[] | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8")
      .split("\n")
      .find((l) => l.startsWith("NSpid:"));
    return line
      ?.slice(6)
      .trim()
      .split(/\s+/)
      .map((v) => Number(v));
  } catch {
    return undefined;
  }
}

/** The identity of a process's pid namespace (or the one its children get), e.g. `pid:[4026532178]`. */
export function pidNamespaceOf(pid: number | "self", forChildren = false): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/${forChildren ? "pid_for_children" : "pid"}`);
  } catch {
    return undefined;
  }
}

/** Whether a process's environment holds `entry` (e.g. `SOCKLAB_RUN=…`); false when unreadable. */
export function environmentHas(pid: number, entry: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").includes(entry);
  } catch {
    return false;
  }
}

/** Sends `signal` to each pid, ignoring processes that are already gone; returns how many were signalled. */
export function signalProcesses(pids: Iterable<number>, signal: NodeJS.Signals): number {
  let count = 0;
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
      count++;
    } catch {
      // Gone already, or exited between the scan and the kill.
    }
  }
  return count;
}
