// Inter-arrival statistics of periodic messages (the sensor client "sends periodically"): median, spread,
// bursts, compared with a declared period.

export interface ArrivalStats {
  readonly count: number;
  /** Gaps between consecutive arrivals, µs. */
  readonly gapsUs: readonly number[];
  readonly medianUs: number | null;
  readonly minUs: number | null;
  readonly maxUs: number | null;
}

/** The median of a list of numbers (null for an empty list). */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Statistics of the gaps between arrival times (µs, in capture order). */
export function arrivalStats(timesUs: readonly number[]): ArrivalStats {
  const gapsUs = timesUs.slice(1).map((t, i) => t - timesUs[i]!);
  return {
    count: timesUs.length,
    gapsUs,
    medianUs: median(gapsUs),
    minUs: gapsUs.length === 0 ? null : Math.min(...gapsUs),
    maxUs: gapsUs.length === 0 ? null : Math.max(...gapsUs),
  };
}

/** How far the median gap may be from a declared period, relative to it. */
export const PERIOD_TOLERANCE = 0.2;

/** A gap shorter than this fraction of the declared period is a burst… */
export const BURST_FRACTION = 0.25;
/** …unless it follows a gap this much longer than the period (a late message caught up, not a burst). */
export const CATCH_UP_FRACTION = 1.5;

/** The indexes of the gaps that are bursts against a declared period (catch-ups after a late one excused). */
export function burstGaps(gapsUs: readonly number[], periodUs: number): number[] {
  return gapsUs.flatMap((gap, i) => {
    const short = gap < periodUs * BURST_FRACTION;
    const caughtUp = i > 0 && gapsUs[i - 1]! > periodUs * CATCH_UP_FRACTION;
    return short && !caughtUp ? [i] : [];
  });
}
