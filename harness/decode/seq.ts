// TCP sequence-number arithmetic, modulo 2^32 (RFC 793 §3.3, RFC 1982 serial-number comparison).
// Every sequence or acknowledgement number in socklab is an unsigned 32-bit integer held in a double;
// compare and subtract them only through these functions.

/** `seq + n` modulo 2^32 (n may be negative). */
export function seqAdd(seq: number, n: number): number {
  return (seq + n) >>> 0;
}

/** The signed distance from `b` to `a` (a − b) in the range [−2^31, 2^31). */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** a < b, wrap-aware. */
export function seqLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

/** a ≤ b, wrap-aware. */
export function seqLe(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

/**
 * a > b, wrap-aware. Like every comparison here, exactly Wireshark's macro (GT_SEQ: b − a as a signed 32-bit
 * number is negative), so at exactly 2^31 apart both a < b and a > b hold, as in Wireshark.
 */
export function seqGt(a: number, b: number): boolean {
  return ((b - a) | 0) < 0;
}

/** a ≥ b, wrap-aware (Wireshark's GE_SEQ). */
export function seqGe(a: number, b: number): boolean {
  return ((b - a) | 0) <= 0;
}

/**
 * `seq` unwrapped near `reference`: of the numbers equal to `seq` modulo 2^32, the one nearest `reference`
 * (an unwrapped position, which may pass 2^32), the lower one on a tie. This is how a 32-bit sequence
 * number becomes a position that keeps counting past 2^32.
 */
export function seqUnwrap(seq: number, reference: number): number {
  return reference + seqDiff(seq, reference);
}

/** Whether `seq` lies in [start, end), wrap-aware. */
export function seqInRange(seq: number, start: number, end: number): boolean {
  return seqLe(start, seq) && seqLt(seq, end);
}

/**
 * A relative position (which may pass 2^32 or fall below 0) as Wireshark shows a relative sequence or
 * acknowledgement number: reduced modulo 2^32 into [0, 2^32).
 */
export function seqWrap(position: number): number {
  return position >>> 0;
}
