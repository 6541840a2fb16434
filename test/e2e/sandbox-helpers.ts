// Helpers for the sandbox end-to-end tests: temporary out dirs, a tiny pcap record counter, and a /proc scan
// for anything a run left behind.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const FIXTURES = join(import.meta.dirname, "sandbox-fixtures");
export const ECHO = join(FIXTURES, "echo");
export const PROGRAMS = join(FIXTURES, "programs");

/** The test context's onTestFinished (concurrent tests must use their own context's). */
export type OnFinished = (cleanup: () => Promise<void> | void) => void;

/** A fresh out dir under /tmp (reachable by the unprivileged uid), removed when the test ends. */
export async function tempOutDir(onFinished: OnFinished): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "socklab-e2e-"));
  onFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The records of a classic pcap file, counted from the record headers (µs or ns magic, either byte order). */
export async function countPcapRecords(file: string): Promise<number> {
  const data = await readFile(file);
  const magic = data.readUInt32LE(0);
  const little = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const big = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
  if (!little && !big) throw new Error(`${file} is not a classic pcap file (magic ${magic.toString(16)})`);
  let count = 0;
  for (let offset = 24; offset + 16 <= data.length; count++) {
    const included = little ? data.readUInt32LE(offset + 8) : data.readUInt32BE(offset + 8);
    offset += 16 + included;
    if (offset > data.length) throw new Error(`${file} ends inside record ${count + 1}`);
  }
  return count;
}

interface Found {
  readonly pid: number;
  readonly state: string;
  readonly cmdline: string;
}

/** What marks a run's processes: pids (and their descendants), a pid namespace, or text in the command line. */
export interface RunMarks {
  readonly pids?: readonly number[];
  readonly pidNamespace?: string;
  readonly text?: readonly string[];
}

function scan(marks: RunMarks): Found[] {
  const parents = new Map<number, number>();
  const info = new Map<number, Found>();
  for (const name of readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parents.set(pid, Number(rest[1]));
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
      info.set(pid, { pid, state: rest[0] ?? "?", cmdline });
    } catch {
      // Gone meanwhile.
    }
  }
  const roots = new Set(marks.pids ?? []);
  const belongs = (pid: number): boolean => {
    for (let p: number | undefined = pid, depth = 0; p !== undefined && p > 1 && depth < 64; depth++) {
      if (roots.has(p)) return true;
      p = parents.get(p);
    }
    const found = info.get(pid);
    if (found && (marks.text ?? []).some((t) => found.cmdline.includes(t))) return true;
    if (marks.pidNamespace !== undefined) {
      try {
        return readlinkSync(`/proc/${pid}/ns/pid`) === marks.pidNamespace;
      } catch {
        return false;
      }
    }
    return false;
  };
  return [...info.values()].filter((p) => belongs(p.pid));
}

/** Waits up to `timeoutMs` for every process of a run to be gone (zombies included); returns those left. The
 * wait is generous: on a loaded machine the holder may take seconds to reap tcpdump after its report. */
export async function leftovers(marks: RunMarks, timeoutMs = 15_000): Promise<Found[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = scan(marks);
    if (found.length === 0 || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The pid namespace a run's processes are in. */
export function runPidNamespace(holderPid: number): string {
  return readlinkSync(`/proc/${holderPid}/ns/pid_for_children`);
}
