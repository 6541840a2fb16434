// The public shape of a sandbox: one isolated grading run (its own loopback, capture and processes).
import type { LaunchPlan, LaunchRequest } from "./launcher.ts";
import type { ResourceLimits } from "./limits.ts";
import type { SocketCounts, SocketEntry, SocketProtocol } from "./proc-net.ts";
import type { ProcessInfo } from "./process-tree.ts";

/** `namespace`: the run's own user/net/pid/mount namespaces; `host`: the host loopback, no isolation. */
export type SandboxMode = "namespace" | "host";

/**
 * How much of a run socklab records. Traffic beyond it is the submission's doing (the handout's tasks
 * exchange kilobytes): the capture stops there, and the kernel enforces the size however fast the traffic.
 */
export interface CaptureBudget {
  /** Bytes of capture file (packet records and their headers). */
  readonly bytes: number;
  /** Packets. */
  readonly packets: number;
}

/** 64 MiB and 100,000 packets per run. */
export const DEFAULT_CAPTURE_BUDGET: CaptureBudget = { bytes: 64 * 1024 * 1024, packets: 100_000 };

/**
 * The capture barrier's own datagrams (a marker and its filler, under 1 MiB and 100 packets, plus any ICMP
 * they draw) on top of the budget: they never push a run over it.
 */
export const BARRIER_ALLOWANCE = { bytes: 1024 * 1024, packets: 200 } as const;

export interface SandboxOptions {
  /** Where capture.pcap and tcpdump.err go; created if missing. The caller owns it and removes it. */
  readonly outDir: string;
  /** A submission folder: shown read-only at /sub, and copied as the programs' working directory /work. */
  readonly submission?: string;
  /** nftables rules (the text of an `nft -f` file), loaded inside the run before the capture starts. */
  readonly nftRules?: string;
  /** The ports the run uses. Host mode filters the capture to them (plus the marker port). */
  readonly ports?: readonly number[];
  /** Size of the tmpfs on /work, bytes (default 32 MiB); 0 for a plain directory. Namespace mode only. */
  readonly workDirBytes?: number;
  /** Run tcpdump (default true). */
  readonly capture?: boolean;
  /** The capture budget (default DEFAULT_CAPTURE_BUDGET). */
  readonly captureBudget?: CaptureBudget;
  /** Per-process limits for student programs; missing ones take DEFAULT_LIMITS. */
  readonly limits?: Partial<ResourceLimits>;
  /** Default "auto": SOCKLAB_SANDBOX (host|namespace) if set, else namespaces (an error naming what is
   * missing when the preflight fails: never a silent fallback to the host). */
  readonly mode?: SandboxMode | "auto";
  /** How long tcpdump may take to print `listening on` (default 5000 ms). */
  readonly readyTimeoutMs?: number;
  /** How long the barrier waits for its marker in the capture (default 5000 ms). */
  readonly barrierTimeoutMs?: number;
  /** How long a host-mode run waits for the previous ones to finish (default an hour: they are bounded). */
  readonly hostLockTimeoutMs?: number;
  /** Runs the start of the run (directories, holder, tcpdump): a caller's limit on start-ups at once. */
  readonly startSlot?: <T>(job: () => Promise<T>) => Promise<T>;
}

/** What closing a sandbox produced. */
export interface SandboxCloseResult {
  /** The capture (classic pcap), or null when the run had no capture. */
  readonly captureFile: string | null;
  readonly tcpdumpStderr: string;
  readonly tcpdumpExitCode: number | null;
  /** The run's capture budget, and which part of it the run's traffic exceeded (the capture stops there). */
  readonly captureBudget: CaptureBudget;
  readonly budgetExceeded: "bytes" | "packets" | null;
  /** tcpdump ended before the run did (the budget reached, or tcpdump failed): no barrier ran. */
  readonly captureEnded: boolean;
  /** How long the capture barrier waited for its marker, or null if it did not run. */
  readonly barrierMs: number | null;
  readonly barrierTimedOut: boolean;
  /** Everything that went less than perfectly: processes that had to be killed, a slow holder, … */
  readonly warnings: readonly string[];
}

/** Which of a program's processes: the student's own, or everything including the launcher. */
export type ProgramProcessSet = "student" | "all";

/** One isolated grading run. Close it in `finally`. */
export interface Sandbox {
  readonly mode: SandboxMode;
  /** H: the `unshare` process (namespace mode), whose /proc/H/net shows the run's sockets; the holder in host mode. */
  readonly holderPid: number;
  readonly outDir: string;
  readonly limits: ResourceLimits;
  /** Warnings from opening the sandbox (e.g. the host fallback). */
  readonly warnings: readonly string[];
  /** True from the moment close() is called. */
  readonly closing: boolean;
  /** The run's sockets (TCP and UDP, IPv4 and IPv6, or only the tables named), read from /proc without
   * entering the run. Each table read makes the kernel walk every socket of the machine: read what is needed. */
  socketTable(protocols?: readonly SocketProtocol[]): Promise<SocketEntry[]>;
  /** How many sockets of each protocol the run holds (the host's in host mode): counters, cheap to read often. */
  socketCounts(): SocketCounts;
  /** The text of `ss -tanup` inside the run, for reports. */
  ss(): Promise<string>;
  /**
   * Whether the run's disk (the work tmpfs shared by /work and every /tmp) is full, in bytes or in files;
   * undefined where the run has no such disk (host mode) or it cannot be seen (the run has ended).
   */
  workDiskFull(): boolean | undefined;
  /** A host path from which a file in the run's /work can be read (e.g. a file a student program wrote). */
  workPath(relativePath: string): string;
  /** How to start a program in the run (used by harness/run). */
  launchPlan(request: LaunchRequest): LaunchPlan;
  /** The live processes of a program whose launcher has `launcherPid`. */
  programProcesses(launcherPid: number, which: ProgramProcessSet): ProcessInfo[];
  /** Registers a callback run synchronously when close() starts, before anything is stopped. */
  onClosing(listener: () => void): void;
  /** Ends the run: capture barrier, tcpdump stop, every process killed and reaped. Never throws. */
  close(): Promise<SandboxCloseResult>;
}
