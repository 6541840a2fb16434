// tcpdump's closing statistics (printed on stderr when it stops on SIGINT/SIGTERM) and the checks a capture
// must pass before its packets are trusted.

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

/** A capture's budget: bytes of file and packets. */
export interface BudgetLimits {
  readonly bytes: number;
  readonly packets: number;
}

/** What the traffic offered to a capture that dropped packets amounted to, estimated from what it kept. */
export interface OfferedTraffic {
  /** The budget part the estimate is past. */
  readonly exceeded: "bytes" | "packets";
  /** Packets offered: captured plus dropped by the kernel. */
  readonly packets: number;
  /** Of them, dropped by the kernel. */
  readonly dropped: number;
  /** Bytes of capture they would have made, at the mean size of the packets kept. */
  readonly bytes: number;
}

/**
 * Whether traffic the kernel dropped for tcpdump was, with what it kept, past the budget: `captured + dropped`
 * packets, at the kept packets' mean size. Traffic that comes faster than it can be recorded and amounts to
 * more than the budget is over the budget whatever part of it was written; below the budget, a drop is the
 * capture's own failure. Null when nothing was dropped or the estimate is within the budget.
 */
export function offeredPastBudget(
  stats: TcpdumpStats,
  fileBytes: number,
  budget: BudgetLimits,
): OfferedTraffic | null {
  const dropped = stats.droppedByKernel ?? 0;
  const captured = stats.captured ?? 0;
  if (dropped === 0 || captured === 0) return null;
  const packets = captured + dropped;
  const bytes = Math.round((fileBytes / captured) * packets);
  if (packets >= budget.packets) return { exceeded: "packets", packets, dropped, bytes };
  if (bytes >= budget.bytes) return { exceeded: "bytes", packets, dropped, bytes };
  return null;
}
