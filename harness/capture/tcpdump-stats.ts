// tcpdump's closing statistics (printed on stderr when it stops on SIGINT/SIGTERM) and the checks a capture
// must pass before its packets are trusted (sandbox recipe §6.4).

export interface TcpdumpStats {
  /** "N packets captured": packets written to the file. */
  readonly captured?: number;
  /** "N packets received by filter": on lo every packet is seen twice, so about 2 × captured. */
  readonly receivedByFilter?: number;
  /** "N packets dropped by kernel": ring-buffer overflow; must be 0. */
  readonly droppedByKernel?: number;
  /** "N packets dropped by interface" (printed by some libpcap versions only). */
  readonly droppedByInterface?: number;
}

/** A verdict about a capture, as data. */
export interface CaptureFinding {
  readonly severity: "error" | "warning";
  readonly code: "no-stats" | "dropped-by-kernel" | "dropped-by-interface" | "count-mismatch";
  readonly message: string;
  readonly expected?: number;
  readonly actual?: number;
}

const PATTERNS: ReadonlyArray<readonly [keyof TcpdumpStats, RegExp]> = [
  ["captured", /^(\d+) packets? captured$/m],
  ["receivedByFilter", /^(\d+) packets? received by filter$/m],
  ["droppedByKernel", /^(\d+) packets? dropped by kernel$/m],
  ["droppedByInterface", /^(\d+) packets? dropped by interface$/m],
];

/** Reads the statistics lines from tcpdump's stderr; a line that is missing leaves its field out. */
export function parseTcpdumpStats(stderr: string): TcpdumpStats {
  const stats: Record<string, number> = {};
  for (const [field, pattern] of PATTERNS) {
    const found = pattern.exec(stderr);
    if (found) stats[field] = Number(found[1]);
  }
  return stats;
}

/**
 * Checks a capture: tcpdump must have printed its statistics (it does not when killed), dropped nothing, and
 * captured exactly the packets the file holds. "received by filter" is not compared: on lo it is about twice
 * "captured" because libpcap discards the outgoing copy of each packet, and that is not loss.
 */
export function verifyCapture(stats: TcpdumpStats, packetsRead: number): CaptureFinding[] {
  const findings: CaptureFinding[] = [];
  if (stats.captured === undefined || stats.droppedByKernel === undefined) {
    findings.push({
      severity: "error",
      code: "no-stats",
      message:
        "tcpdump printed no statistics (it was killed, or did not stop normally), so the capture may be incomplete",
    });
  }
  if ((stats.droppedByKernel ?? 0) > 0) {
    findings.push({
      severity: "error",
      code: "dropped-by-kernel",
      message: `tcpdump reported ${stats.droppedByKernel} packets dropped by the kernel: the capture is incomplete`,
      expected: 0,
      actual: stats.droppedByKernel,
    });
  }
  if ((stats.droppedByInterface ?? 0) > 0) {
    findings.push({
      severity: "warning",
      code: "dropped-by-interface",
      message: `the interface reported ${stats.droppedByInterface} dropped packets`,
      expected: 0,
      actual: stats.droppedByInterface,
    });
  }
  if (stats.captured !== undefined && stats.captured !== packetsRead) {
    findings.push({
      severity: "error",
      code: "count-mismatch",
      message: `tcpdump captured ${stats.captured} packets, but the file holds ${packetsRead}`,
      expected: stats.captured,
      actual: packetsRead,
    });
  }
  return findings;
}
