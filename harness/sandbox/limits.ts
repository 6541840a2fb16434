// Per-process resource limits for student programs, applied with prlimit in the launcher.

export interface ResourceLimits {
  /** CPU seconds; SIGXCPU at this many, SIGKILL one second later. */
  readonly cpuSeconds: number;
  /** Address space per process, bytes. */
  readonly addressSpaceBytes: number;
  /**
   * Processes and threads per program: its control group's pids.max where the machine has cgroups, and
   * RLIMIT_NPROC set inside the program's own user namespace (so that it counts that program alone).
   */
  readonly processes: number;
  /** Memory per program, bytes: its control group's limit (with cgroups; RLIMIT_AS alone otherwise). */
  readonly memoryBytes: number;
  readonly openFiles: number;
  /** Largest file a program may write, bytes. Disk use as a whole is bounded by the tmpfs sizes. */
  readonly fileSizeBytes: number;
  /** Size of the private /tmp tmpfs of each program, bytes. */
  readonly tmpBytes: number;
}

/**
 * Defaults. With 1 GiB of address space and glibc's default of 8 malloc arenas per core, Python stops at about
 * 49 threads; the launcher sets MALLOC_ARENA_MAX=2, which gives 117 threads with the default 8 MiB stack.
 */
export const DEFAULT_LIMITS: ResourceLimits = {
  cpuSeconds: 10,
  addressSpaceBytes: 1024 * 1024 * 1024,
  processes: 128,
  memoryBytes: 512 * 1024 * 1024,
  openFiles: 256,
  fileSizeBytes: 16 * 1024 * 1024,
  tmpBytes: 32 * 1024 * 1024,
};

/**
 * RLIMIT_NPROC outside the program's own user namespace. The kernel checks a fork against the count of every
 * namespace level up, each level against the limit its namespace was created with: bwrap's user namespace,
 * created under this, lets the run as a whole hold this many, while the program's own limit is set inside.
 */
export const RUN_PROCESSES = 4096;

/** The prlimit options for `limits` (core dumps always off); `nproc` is the process limit to set here. */
export function prlimitArgs(limits: ResourceLimits, nproc: number = limits.processes): string[] {
  return [
    `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 1}`,
    `--as=${limits.addressSpaceBytes}`,
    `--nproc=${nproc}`,
    `--nofile=${limits.openFiles}`,
    `--fsize=${limits.fileSizeBytes}`,
    "--stack=8388608",
    "--core=0",
  ];
}
