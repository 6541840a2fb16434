// A resource limit a program ran into, as data, and in the words every report uses: which limit, its size,
// and what it stopped ("the process limit (128) stopped 1,936 forks").

export type LimitHit =
  | { readonly kind: "processes"; readonly limit: number; readonly refused: number }
  | {
      readonly kind: "memory";
      readonly limitBytes: number;
      /** How it showed: the kernel killed a process of the program, or the program saw MemoryError. */
      readonly how: "oom-kill" | "limit-reached" | "memory-error";
    }
  | {
      readonly kind: "disk";
      /** The largest file it may write, or the size of its /work and /tmp. */
      readonly what: "file-size" | "space";
      readonly limitBytes: number;
    }
  | {
      readonly kind: "output";
      readonly stream: "stdout" | "stderr";
      readonly limitBytes: number;
      readonly totalBytes: number;
    };

/** A size for people: "512 MiB", "1 MiB", "38.2 MiB", "900 KiB". */
export function sizeText(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB"] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = Number.isInteger(value) || unit === 0 ? String(Math.round(value)) : value.toFixed(1);
  return `${shown} ${units[unit]}`;
}

/** One limit hit in words. */
export function limitText(hit: LimitHit): string {
  switch (hit.kind) {
    case "processes":
      return `the process limit (${hit.limit}) stopped ${hit.refused.toLocaleString("en")} fork${hit.refused === 1 ? "" : "s"}`;
    case "memory":
      return hit.how === "oom-kill"
        ? `it exceeded the memory limit (${sizeText(hit.limitBytes)}) and the kernel killed it`
        : hit.how === "limit-reached"
          ? `it reached the memory limit (${sizeText(hit.limitBytes)})`
          : `it ran out of memory (MemoryError) at the limit of ${sizeText(hit.limitBytes)} per process`;
    case "disk":
      return hit.what === "file-size"
        ? `a write stopped at the file-size limit (${sizeText(hit.limitBytes)})`
        : `a write found the run's disk full (/work and /tmp share ${sizeText(hit.limitBytes)} and 16,384 files)`;
    case "output":
      return `its ${hit.stream} was cut at ${sizeText(hit.limitBytes)} of ${sizeText(hit.totalBytes)} (the output limit)`;
  }
}
