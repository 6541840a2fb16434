// Per-process resource limits for student programs, applied with prlimit in the launcher.

export interface ResourceLimits {
  /** CPU seconds; SIGXCPU at this many, SIGKILL one second later. */
  readonly cpuSeconds: number;
  /** Address space per process, bytes. */
  readonly addressSpaceBytes: number;
  /** Processes and threads per sandbox (counted per user namespace; bwrap makes one per program). */
  readonly processes: number;
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
  openFiles: 256,
  fileSizeBytes: 16 * 1024 * 1024,
  tmpBytes: 32 * 1024 * 1024,
};

/** The prlimit options for `limits` (core dumps always off). */
export function prlimitArgs(limits: ResourceLimits): string[] {
  return [
    `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 1}`,
    `--as=${limits.addressSpaceBytes}`,
    `--nproc=${limits.processes}`,
    `--nofile=${limits.openFiles}`,
    `--fsize=${limits.fileSizeBytes}`,
    "--stack=8388608",
    "--core=0",
  ];
}
