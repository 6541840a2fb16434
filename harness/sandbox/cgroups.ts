// Control groups for student programs: each program gets a group of its own with a process limit (pids.max),
// a memory limit and CPU accounting (measured from outside, where the program cannot reach it), all of them inside one group for this socklab process whose memory limit bounds every
// run at once. Works with cgroup v2 (a subtree socklab may manage) and with v1's pids and memory hierarchies;
// where neither can be had (no root, no delegation), `cgroupLayout` says null and the per-process rlimits
// alone apply. What a program ran into is read back from the kernel's counters (refused forks, memory-limit
// hits, OOM kills), so that a limit hit can be named. Synchronous file operations on purpose: a launch plan
// is made synchronously, and each is a handful of small writes.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { totalmem } from "node:os";
import { join } from "node:path";
import { readProcessInfo } from "./process-tree.ts";

const ROOT = "/sys/fs/cgroup";
const BASE_PREFIX = "socklab-";

/** Where this process's groups live: one base folder per controller (the same folder with cgroup v2). */
export interface CgroupLayout {
  readonly version: 1 | 2;
  readonly pids: string;
  readonly memory: string;
  readonly cpu: string;
  /** The memory limit of the base group: every run of this process together. */
  readonly totalMemoryBytes: number;
}

/** What a program's group saw: forks refused at the process limit, memory-limit hits, OOM kills, peak use. */
export interface CgroupUsage {
  readonly forksRefused: number;
  readonly memoryLimitHits: number;
  readonly oomKills: number;
  readonly peakMemoryBytes: number | null;
}

export interface CgroupLimits {
  readonly processes: number;
  readonly memoryBytes: number;
}

/** Every run of one socklab together: half the machine's memory, at most 8 GiB. */
export function totalMemoryLimit(machineBytes: number = totalmem()): number {
  return Math.min(Math.floor(machineBytes / 2), 8 * 1024 ** 3);
}

let layout: CgroupLayout | null | undefined;

/** This process's cgroup layout, set up on first use (null when the machine offers none). */
export function cgroupLayout(): CgroupLayout | null {
  if (layout === undefined) {
    try {
      layout = setUp();
    } catch {
      layout = null;
    }
    if (layout) {
      const made = layout;
      process.once("exit", () => removeTree(made));
    }
  }
  return layout;
}

/** The group of one program: the files its launcher joins, its counters, its removal. */
export class ProgramCgroup {
  /** `cgroup.procs` files the launcher writes its own pid to before it becomes the program. */
  readonly procsFiles: readonly string[];
  private readonly dirs: readonly string[];

  private constructor(
    private readonly layout: CgroupLayout,
    private readonly name: string,
  ) {
    this.dirs = [...new Set([join(layout.pids, name), join(layout.memory, name), join(layout.cpu, name)])];
    this.procsFiles = this.dirs.map((d) => join(d, "cgroup.procs"));
  }

  /** Creates the group with its limits; null when the machine has no cgroups for socklab or it fails. */
  static create(name: string, limits: CgroupLimits): ProgramCgroup | null {
    const found = cgroupLayout();
    if (!found) return null;
    const group = new ProgramCgroup(found, name);
    try {
      for (const dir of group.dirs) mkdirSync(dir, { recursive: true });
      const pids = join(found.pids, name);
      const memory = join(found.memory, name);
      writeFileSync(join(pids, "pids.max"), String(limits.processes));
      if (found.version === 2) {
        writeFileSync(join(memory, "memory.max"), String(limits.memoryBytes));
        tryWrite(join(memory, "memory.swap.max"), "0");
      } else {
        writeFileSync(join(memory, "memory.limit_in_bytes"), String(limits.memoryBytes));
        tryWrite(join(memory, "memory.memsw.limit_in_bytes"), String(limits.memoryBytes));
      }
      return group;
    } catch {
      group.remove();
      return null;
    }
  }

  /** The kernel's counters for the group so far. */
  usage(): CgroupUsage {
    const { version } = this.layout;
    const pids = join(this.layout.pids, this.name);
    const memory = join(this.layout.memory, this.name);
    const events = keyed(read(join(pids, "pids.events")));
    if (version === 2) {
      const mem = keyed(read(join(memory, "memory.events")));
      return {
        forksRefused: events.max ?? 0,
        memoryLimitHits: mem.max ?? 0,
        oomKills: mem.oom_kill ?? 0,
        peakMemoryBytes: numberOf(read(join(memory, "memory.peak"))),
      };
    }
    return {
      forksRefused: events.max ?? 0,
      memoryLimitHits: numberOf(read(join(memory, "memory.failcnt"))) ?? 0,
      oomKills: keyed(read(join(memory, "memory.oom_control"))).oom_kill ?? 0,
      peakMemoryBytes: numberOf(read(join(memory, "memory.max_usage_in_bytes"))),
    };
  }

  /** user+sys CPU time of every process the program ever had, in ms (kept after they exit), or null. */
  cpuMs(): number | null {
    const dir = join(this.layout.cpu, this.name);
    if (this.layout.version === 2) {
      const usec = keyed(read(join(dir, "cpu.stat"))).usage_usec;
      return usec === undefined ? null : Math.round(usec / 1000);
    }
    const ns = numberOf(read(join(dir, "cpuacct.usage")));
    return ns === null ? null : Math.round(ns / 1e6);
  }

  /** The pids in the group now (every process of the program, however it left its tree). Every hierarchy
   * holds the same processes: the pids one is read. */
  members(): number[] {
    return read(join(this.layout.pids, this.name, "cgroup.procs"))
      .split("\n")
      .filter(Boolean)
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0);
  }

  /** Removes the group; true when it is gone (false while a process is still in it). */
  remove(): boolean {
    let gone = true;
    for (const dir of this.dirs) {
      try {
        rmdirSync(dir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") gone = false;
      }
    }
    return gone;
  }
}

function setUp(): CgroupLayout | null {
  const own = ownGroups();
  const base = `${BASE_PREFIX}${process.pid}`;
  const total = totalMemoryLimit();
  const v2 = own.get("");
  if (v2 !== undefined && existsSync(join(ROOT, "cgroup.controllers"))) {
    const parent = join(ROOT, v2);
    const controllers = read(join(parent, "cgroup.controllers")).split(/\s+/);
    if (!controllers.includes("pids") || !controllers.includes("memory")) return null;
    // Fails when socklab's own group holds processes and is not the root: then v2 is not ours to manage.
    writeFileSync(join(parent, "cgroup.subtree_control"), "+pids +memory");
    const dir = join(parent, base);
    removeStale(parent);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "cgroup.subtree_control"), "+pids +memory");
    writeFileSync(join(dir, "memory.max"), String(total));
    return { version: 2, pids: dir, memory: dir, cpu: dir, totalMemoryBytes: total };
  }
  // v1: each controller's hierarchy is mounted at /sys/fs/cgroup/<name> (cpuacct may share one with cpu).
  const parents: string[] = [];
  for (const controller of ["pids", "memory", "cpuacct"]) {
    const path = own.get(controller);
    const mount = [controller, "cpu,cpuacct", "cpuacct,cpu"]
      .map((m) => join(ROOT, m))
      .find((m) => existsSync(join(m, controller === "cpuacct" ? "cpuacct.usage" : "cgroup.procs")));
    if (path === undefined || mount === undefined || !existsSync(join(mount, path, "cgroup.procs")))
      return null;
    parents.push(join(mount, path));
  }
  for (const parent of parents) removeStale(parent);
  const [pids, memory, cpu] = parents.map((p) => join(p, base)) as [string, string, string];
  for (const dir of [pids, memory, cpu]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(memory, "memory.limit_in_bytes"), String(total));
  return { version: 1, pids, memory, cpu, totalMemoryBytes: total };
}

/** This process's group per controller ("" for v2's unified hierarchy), from /proc/self/cgroup. */
function ownGroups(): Map<string, string> {
  const groups = new Map<string, string>();
  for (const line of read("/proc/self/cgroup").split("\n")) {
    const [, controllers, path] = line.match(/^\d+:([^:]*):(.*)$/) ?? [];
    if (controllers === undefined || path === undefined) continue;
    for (const c of controllers.split(",")) groups.set(c, path);
  }
  return groups;
}

/** Removes the base groups of socklab processes that are gone (their groups are empty once they are). */
function removeStale(parent: string): void {
  for (const name of readdirSync(parent)) {
    const pid = Number(name.slice(BASE_PREFIX.length));
    if (!name.startsWith(BASE_PREFIX) || !Number.isInteger(pid) || readProcessInfo(pid)) continue;
    removeDir(join(parent, name));
  }
}

function removeTree(found: CgroupLayout): void {
  for (const dir of new Set([found.pids, found.memory, found.cpu])) removeDir(dir);
}

/** rmdir of a group and its children, deepest first; groups still holding processes stay. */
function removeDir(dir: string): void {
  try {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) removeDir(join(dir, entry.name));
    }
    rmdirSync(dir);
  } catch {
    // Busy or already gone.
  }
}

function read(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

function tryWrite(path: string, value: string): void {
  try {
    writeFileSync(path, value);
  } catch {
    // An optional knob the kernel does not have (no swap accounting).
  }
}

function numberOf(text: string): number | null {
  const n = Number(text.trim());
  return text.trim() !== "" && Number.isFinite(n) ? n : null;
}

/** "key value" lines as numbers. */
function keyed(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && Number.isFinite(Number(value))) out[key] = Number(value);
  }
  return out;
}
