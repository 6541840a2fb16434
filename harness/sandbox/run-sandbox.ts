// An open run: its socket table, how to launch and find its programs, and the end of the run (barrier,
// tcpdump stop, leftovers).
import { randomBytes } from "node:crypto";
import { statfsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ProgramCgroup } from "./cgroups.ts";
import { SandboxError } from "./errors.ts";
import type { Holder, HolderReport } from "./holder.ts";
import { runHostCommand } from "./host-command.ts";
import type { RunIdentity } from "./identity.ts";
import { forgetRun, trackRun } from "./interrupt.ts";
import { hostLaunch, type LaunchPlan, type LaunchRequest, namespaceLaunch } from "./launcher.ts";
import type { ResourceLimits } from "./limits.ts";
import type { SocketCounts, SocketEntry, SocketProtocol } from "./proc-net.ts";
import {
  environmentHas,
  listProcesses,
  namespacePids,
  type ProcessInfo,
  pidNamespaceOf,
  processTree,
  readProcessInfo,
  signalProcesses,
} from "./process-tree.ts";
import { finishRunDirs, type RunDirs } from "./run-dirs.ts";
import { readSocketCounts, readSocketTable } from "./socket-table.ts";
import {
  BARRIER_ALLOWANCE,
  type CaptureBudget,
  type ProgramProcessSet,
  type Sandbox,
  type SandboxCloseResult,
  type SandboxMode,
} from "./types.ts";

/** On top of the barrier: tcpdump's exit and the holder's. */
const STOP_SLACK_MS = 3000;
/** The /tmp folders the holder makes in the work tmpfs (holder.sh: .tmp/0 … .tmp/31). */
const PROGRAM_TMP_DIRS = 32;
/** How long close() waits for processes it had to kill. */
const LEFTOVER_WAIT_MS = 2000;

export interface RunSandboxParts {
  readonly mode: SandboxMode;
  readonly identity: RunIdentity;
  readonly dirs: RunDirs;
  readonly holder: Holder;
  readonly limits: ResourceLimits;
  readonly warnings: string[];
  readonly capture: boolean;
  readonly barrierTimeoutMs: number;
  readonly captureBudget: CaptureBudget;
  readonly release: () => void;
  /** Whether /work is the holder's tmpfs (with the programs' /tmp folders in it). */
  readonly workTmpfs: boolean;
  /** The compiled system-call filter every program starts under (namespace mode, known architectures). */
  readonly seccompFile?: string;
  /** The run's /etc/hosts, naming its host (namespace mode). */
  readonly hostsFile?: string;
}

/** A sandbox whose holder is running: launch, observe and end the run. */
export class RunSandbox implements Sandbox {
  readonly mode: SandboxMode;
  readonly holderPid: number;
  readonly outDir: string;
  readonly limits: ResourceLimits;
  readonly warnings: readonly string[];
  closing = false;
  private aborted = false;
  private readonly parts: RunSandboxParts;
  /** The run's pid namespace (namespace mode), to find anything left in it. */
  private readonly pidNamespace: string | undefined;
  /** How many pid namespaces deep the grader is; student processes are two deeper. */
  private readonly ownDepth: number;
  /** In host mode, an environment entry that marks every program of this run. */
  private readonly runToken = `SOCKLAB_RUN=${randomBytes(8).toString("hex")}`;
  private readonly closingListeners: Array<() => void> = [];
  /** The control groups of the run's programs (none where the machine has no cgroups for socklab). */
  private readonly cgroups: ProgramCgroup[] = [];
  private readonly groupOfLauncher = new Map<number, ProgramCgroup>();
  private readonly runName = `run-${randomBytes(6).toString("hex")}`;
  private tmpCount = 0;
  private closed: Promise<SandboxCloseResult> | undefined;

  constructor(parts: RunSandboxParts) {
    this.parts = parts;
    this.mode = parts.mode;
    this.holderPid = parts.holder.pid;
    this.outDir = parts.dirs.outDir;
    this.limits = parts.limits;
    this.warnings = parts.warnings;
    this.pidNamespace = parts.mode === "namespace" ? pidNamespaceOf(this.holderPid, true) : undefined;
    this.ownDepth = namespacePids(process.pid)?.length ?? 1;
    trackRun(this);
  }

  /** Ends the run at its root now (socklab is being stopped): every program goes; close() still follows. */
  abort(): void {
    this.aborted = true;
    if (this.mode === "host") {
      signalProcesses(
        this.runMembers().map((p) => p.pid),
        "SIGKILL",
      );
    }
    void this.parts.holder.kill();
  }

  socketTable(protocols?: readonly SocketProtocol[]): Promise<SocketEntry[]> {
    return readSocketTable(this.mode === "namespace" ? this.holderPid : process.pid, protocols);
  }

  socketCounts(): SocketCounts {
    return readSocketCounts(this.mode === "namespace" ? this.holderPid : process.pid);
  }

  async ss(): Promise<string> {
    const enter = [
      "nsenter",
      `--target=${this.holderPid}`,
      "--user",
      "--net",
      // The run's mount namespace has the run's own /proc: ss names processes by their pids in the run,
      // never the host's.
      "--mount",
      "--preserve-credentials",
      "--",
    ];
    const command =
      this.mode === "namespace"
        ? [...this.parts.identity.prefix, ...enter, "ss", "-tanup"]
        : ["ss", "-tanup"];
    const result = await runHostCommand(command[0]!, command.slice(1), {
      timeoutMs: 5000,
      env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", LANG: "C.UTF-8" },
    });
    return result.exitCode === 0
      ? boundedLines(result.stdout, MAX_SS_LINES, "sockets")
      : `ss failed: ${result.spawnError ?? result.stderr.trim()}`;
  }

  workDiskFull(): boolean | undefined {
    if (this.mode !== "namespace" || !this.parts.workTmpfs) return undefined;
    try {
      const disk = statfsSync(this.workPath(""));
      // Full: less room than a page, or no inode left (a tmpfs keeps a few for itself).
      return disk.bavail * disk.bsize < 4096 || disk.ffree < 2;
    } catch {
      return undefined;
    }
  }

  workPath(relativePath: string): string {
    const inWork = join(this.parts.dirs.work, relativePath);
    // The tmpfs exists only in the run's mount namespace, which /proc/H/root shows.
    return this.mode === "namespace" ? `/proc/${this.holderPid}/root${inWork}` : inWork;
  }

  launchPlan(request: LaunchRequest): LaunchPlan {
    if (this.closing) throw new SandboxError("SANDBOX_CLOSED", "cannot start a program: the run has ended");
    if (this.aborted)
      throw new SandboxError("INTERRUPTED", "cannot start a program: socklab was interrupted");
    const { identity, limits, dirs } = this.parts;
    const paths = { work: dirs.work, ...(dirs.sub === undefined ? {} : { sub: dirs.sub }) };
    const cgroup = ProgramCgroup.create(`${this.runName}-${this.cgroups.length}`, limits);
    if (cgroup) this.cgroups.push(cgroup);
    const cgroupProcs = cgroup?.procsFiles ?? [];
    const tmpDir = this.mode === "namespace" && this.parts.workTmpfs ? this.programTmp() : undefined;
    const plan =
      this.mode === "namespace"
        ? namespaceLaunch(request, {
            holderPid: this.holderPid,
            identity,
            limits,
            paths,
            cgroupProcs,
            ...(tmpDir === undefined ? {} : { tmpDir }),
            ...(this.parts.seccompFile === undefined ? {} : { seccompFile: this.parts.seccompFile }),
            ...(this.parts.hostsFile === undefined ? {} : { hostsFile: this.parts.hostsFile }),
          })
        : hostLaunch(request, { identity, limits, paths, runToken: this.runToken, cgroupProcs });
    return cgroup ? { ...plan, cgroup } : plan;
  }

  programProcesses(launcherPid: number, which: ProgramProcessSet): ProcessInfo[] {
    const table = this.programTable(launcherPid);
    const tree = processTree(launcherPid, table);
    if (this.mode === "host") {
      // The launcher is the program's own shell; its session also holds children that left the tree.
      const inTree = new Set(tree.map((p) => p.pid));
      const sameGroup = [...table.values()].filter((p) => p.pgid === launcherPid && !inTree.has(p.pid));
      return [...tree, ...sameGroup];
    }
    if (which === "all") return tree;
    // Inside bwrap's pid namespace, except its init (pid 1 there): the reporter shell and the student's code.
    return tree.filter((p) => {
      const pids = namespacePids(p.pid);
      return pids !== undefined && pids.length >= this.ownDepth + 2 && pids[pids.length - 1] !== 1;
    });
  }

  /**
   * The processes among which a program's are: its control group's members where it has one (every process
   * of the program is born in it and cannot leave it), else every process of the machine. The group is known
   * once the launcher has joined it.
   */
  private programTable(launcherPid: number): Map<number, ProcessInfo> {
    let group = this.groupOfLauncher.get(launcherPid);
    if (group === undefined) {
      group = this.cgroups.find((g) => g.members().includes(launcherPid));
      if (group) this.groupOfLauncher.set(launcherPid, group);
    }
    if (!group) return listProcesses();
    const table = new Map<number, ProcessInfo>();
    for (const pid of group.members()) {
      const info = readProcessInfo(pid);
      if (info) table.set(pid, info);
    }
    return table;
  }

  onClosing(listener: () => void): void {
    this.closingListeners.push(listener);
  }

  close(): Promise<SandboxCloseResult> {
    this.closed ??= this.finish();
    return this.closed;
  }

  private async finish(): Promise<SandboxCloseResult> {
    this.closing = true;
    const warnings: string[] = [];
    const { holder, dirs, capture } = this.parts;
    for (const listener of this.closingListeners) {
      try {
        listener();
      } catch (error) {
        warnings.push(`a close listener failed: ${String(error)}`);
      }
    }
    // Who is in the run's pid namespace, taken while it is alive: once it is gone its inode number may be
    // reused by another run's new namespace, so it cannot name this run's processes afterwards.
    const members = this.runMembers();
    const report = await holder.stop(this.parts.barrierTimeoutMs + STOP_SLACK_MS);
    warnings.push(...report.warnings);
    if (report.barrierTimedOut)
      warnings.push("the capture barrier timed out: the capture may miss its last packets");
    try {
      warnings.push(...(await this.killLeftovers(members)));
    } catch (error) {
      warnings.push(`could not check for leftover processes: ${String(error)}`);
    }
    warnings.push(...(await this.removeCgroups()));
    const tcpdumpStderr = capture ? await readFile(dirs.tcpdumpErr, "utf8").catch(() => "") : "";
    await finishRunDirs(dirs).catch((error) =>
      warnings.push(`could not keep the capture in ${dirs.outDir} or remove ${dirs.stage}: ${String(error)}`),
    );
    this.parts.release();
    forgetRun(this);
    return {
      captureFile: capture ? dirs.captureFile : null,
      tcpdumpStderr,
      tcpdumpExitCode: report.tcpdumpExitCode,
      captureBudget: this.parts.captureBudget,
      budgetExceeded: capture ? budgetExceeded(report, tcpdumpStderr, this.parts.captureBudget) : null,
      captureEnded: report.captureEnded,
      barrierMs: report.barrierMs,
      barrierTimedOut: report.barrierTimedOut,
      warnings,
    };
  }

  /**
   * A /tmp for the next program: one of the folders the holder made in the run's work tmpfs, so that its size
   * and inode limits bound /tmp too; past them (a run of many programs), a tmpfs of the program's own.
   */
  private programTmp(): string | undefined {
    const n = this.tmpCount++;
    return n < PROGRAM_TMP_DIRS ? join(this.parts.dirs.work, ".tmp", String(n)) : undefined;
  }

  /** Empties (SIGKILL) and removes the programs' control groups; warns about any that stays. */
  private async removeCgroups(): Promise<string[]> {
    const deadline = Date.now() + LEFTOVER_WAIT_MS;
    let left = this.cgroups.filter((g) => !g.remove());
    while (left.length > 0 && Date.now() < deadline) {
      signalProcesses(
        left.flatMap((g) => g.members()),
        "SIGKILL",
      );
      await new Promise((r) => setTimeout(r, 20));
      left = left.filter((g) => !g.remove());
    }
    return left.length === 0 ? [] : [`${left.length} control groups still held processes after SIGKILL`];
  }

  /** The run's processes now (pid and start time), by pid namespace or by the run's token in host mode. */
  private runMembers(): ProcessInfo[] {
    return [...listProcesses().values()].filter((p) =>
      this.mode === "namespace"
        ? this.pidNamespace !== undefined && pidNamespaceOf(p.pid) === this.pidNamespace
        : environmentHas(p.pid, this.runToken),
    );
  }

  /** Kills whichever of the run's processes are still alive after the holder ended; returns warnings naming them. */
  private async killLeftovers(members: readonly ProcessInfo[]): Promise<string[]> {
    const find = (): ProcessInfo[] => {
      const table = listProcesses();
      const same = members.filter((m) => {
        const now = table.get(m.pid);
        return now !== undefined && now.startTicks === m.startTicks && now.state !== "Z";
      });
      // Host mode: programs started after the snapshot still carry the run's token.
      return this.mode === "host"
        ? [...same, ...this.runMembers().filter((p) => p.state !== "Z" && !same.some((m) => m.pid === p.pid))]
        : same;
    };
    const leftovers = find().filter((p) => p.pid !== this.holderPid);
    if (leftovers.length === 0) return [];
    signalProcesses(
      leftovers.map((p) => p.pid),
      "SIGKILL",
    );
    const deadline = Date.now() + LEFTOVER_WAIT_MS;
    while (find().filter((p) => p.pid !== this.holderPid).length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const names = leftovers.map((p) => `${p.comm} (pid ${p.pid})`).join(", ");
    const still = find().filter((p) => p.pid !== this.holderPid);
    return [
      `killed processes left at the end of the run: ${names}`,
      ...(still.length > 0 ? [`still alive after SIGKILL: ${still.map((p) => p.pid).join(", ")}`] : []),
    ];
  }
}

/** At most this many lines of `ss` are kept per snapshot (a server may hold hundreds of sockets). */
const MAX_SS_LINES = 200;

/** The first `max` lines of `text`, and a line that counts the rest. */
function boundedLines(text: string, max: number, what: string): string {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  if (lines.length <= max) return text;
  return `${[...lines.slice(0, max), `… ${lines.length - max} more ${what}`].join("\n")}\n`;
}

/** 128 + SIGXFSZ: tcpdump's file reached its size limit. */
const FILE_SIZE_EXCEEDED = 153;

/**
 * Which part of the budget the run's traffic went past: the file's size (tcpdump died of SIGXFSZ), or its
 * packets (tcpdump stopped itself at its count, which it says as "N packets captured"). The limits tcpdump
 * ran under hold the barrier's allowance on top, so the barrier alone never reaches them.
 */
function budgetExceeded(
  report: HolderReport,
  tcpdumpStderr: string,
  budget: CaptureBudget,
): "bytes" | "packets" | null {
  if (report.tcpdumpExitCode === FILE_SIZE_EXCEEDED) return "bytes";
  const captured = Number(tcpdumpStderr.match(/^(\d+) packets? captured/m)?.[1] ?? Number.NaN);
  return captured >= budget.packets + BARRIER_ALLOWANCE.packets ? "packets" : null;
}
