// The sequence space one direction of a TCP connection has covered, tcptrace-style: which byte ranges were
// sent and by which packet first, so that a segment overlapping them is a retransmission of exactly those
// bytes ("bytes 1–100 were sent again by packet 15; packet 12 had sent them"). Positions are relative,
// unwrapped sequence numbers. Ranges are kept sorted and disjoint; memory is bounded by merging acknowledged
// ranges (their first senders are then forgotten).

/** Byte ranges sent so far, as parallel arrays sorted by start. Packet 0 means "no longer known". */
export interface SentRanges {
  starts: number[];
  ends: number[];
  packets: number[];
}

/** Part of a segment that had been sent before, and the packets that had sent it. */
export interface Overlap {
  readonly from: number;
  readonly to: number;
  readonly packets: number[];
}

/** Above this many ranges, acknowledged ones are merged. */
const COMPACT_AT = 1024;
/** Above this many ranges, the oldest half is merged even if unacknowledged. */
const HARD_CAP = 16384;

/** An empty record. */
export function createSentRanges(): SentRanges {
  return { starts: [], ends: [], packets: [] };
}

/**
 * Records that `packet` sent [from, to). Pushes the parts sent before onto `overlaps` (one entry per run of
 * earlier ranges) and returns how many bytes were new.
 */
export function recordSent(
  ranges: SentRanges,
  from: number,
  to: number,
  packet: number,
  overlaps: Overlap[],
): number {
  if (to <= from) return 0;
  const { starts, ends, packets } = ranges;
  const n = starts.length;
  if (n === 0 || from >= ends[n - 1]!) {
    starts.push(from);
    ends.push(to);
    packets.push(packet);
    return to - from;
  }
  let i = firstEndingAfter(ends, from);
  let at = from;
  let fresh = 0;
  let current: { from: number; to: number; packets: number[] } | undefined;
  while (at < to) {
    if (i < starts.length && starts[i]! <= at) {
      // Inside an earlier range: a repeat.
      const end = Math.min(to, ends[i]!);
      const earlier = packets[i]!;
      if (current !== undefined && current.to === at) {
        current.to = end;
        if (earlier !== 0 && !current.packets.includes(earlier)) current.packets.push(earlier);
      } else {
        current = { from: at, to: end, packets: earlier === 0 ? [] : [earlier] };
        overlaps.push(current);
      }
      at = end;
      i++;
    } else {
      // New bytes up to the next earlier range (or the end of the segment).
      const end = i < starts.length ? Math.min(to, starts[i]!) : to;
      starts.splice(i, 0, at);
      ends.splice(i, 0, end);
      packets.splice(i, 0, packet);
      fresh += end - at;
      at = end;
      i++;
    }
  }
  return fresh;
}

/**
 * Bounds memory: merges ranges below `ackedTo` once there are many (or always, with `force`, when the
 * direction is closed), and the oldest half past a hard cap.
 */
export function compactSentRanges(ranges: SentRanges, ackedTo: number, force = false): void {
  const n = ranges.starts.length;
  if (n <= COMPACT_AT && !force) return;
  let below = 0;
  while (below < n && ranges.ends[below]! <= ackedTo) below++;
  if (below >= 2) mergePrefix(ranges, below);
  if (ranges.starts.length > HARD_CAP) mergePrefix(ranges, ranges.starts.length >> 1);
}

/** Bytes covered (unique bytes sent). */
export function coveredBytes(ranges: SentRanges): number {
  let total = 0;
  for (let i = 0; i < ranges.starts.length; i++) total += ranges.ends[i]! - ranges.starts[i]!;
  return total;
}

// Merges the first `count` ranges into runs of touching ranges whose senders are forgotten. Builds new arrays
// so that the old (large) backing stores are freed.
function mergePrefix(ranges: SentRanges, count: number): void {
  const starts: number[] = [];
  const ends: number[] = [];
  const packets: number[] = [];
  for (let i = 0; i < count; i++) {
    const last = ends.length - 1;
    if (last >= 0 && ends[last] === ranges.starts[i]) ends[last] = ranges.ends[i]!;
    else {
      starts.push(ranges.starts[i]!);
      ends.push(ranges.ends[i]!);
      packets.push(0);
    }
  }
  for (let i = count; i < ranges.starts.length; i++) {
    starts.push(ranges.starts[i]!);
    ends.push(ranges.ends[i]!);
    packets.push(ranges.packets[i]!);
  }
  // slice() copies into exactly-sized arrays (push leaves spare capacity).
  ranges.starts = starts.slice();
  ranges.ends = ends.slice();
  ranges.packets = packets.slice();
}

// Index of the first range whose end is after `position` (binary search over sorted, disjoint ranges).
function firstEndingAfter(ends: number[], position: number): number {
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ends[mid]! <= position) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
