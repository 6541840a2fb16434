// pcapng timestamps: a 64-bit count of an interface's units (if_tsresol: 10^-n or 2^-n seconds; default
// microseconds) plus if_tsoffset whole seconds, turned into seconds and nanoseconds exactly as Wireshark 4.0
// does it:
//   secs  = ts / units + tsoffset
//   nsecs = ((ts % units) * 10^9, wrapping at 2^64) / units
// The wrap matters only for units finer than about 2^-34 s; an if_tsresol beyond 10^-19 or 2^-63 makes the
// unit 2^64 − 1.

/** How one interface counts time. */
export interface TimeUnits {
  /** Units per second, when below 2^37 (exact arithmetic on doubles); otherwise 0 and `big` is used. */
  readonly perSecond: number;
  /** Units per second. */
  readonly big: bigint;
  /** Nanoseconds per unit when a whole number (units of 1 s, ms, µs, ns), else 0. */
  readonly nanosPerUnit: number;
  /** if_tsoffset, in seconds. */
  readonly offset: number;
}

const TWO_32 = 4294967296;
const TWO_64 = 1n << 64n;
const LIMIT = 2 ** 37;

/** The units of an if_tsresol byte (undefined: microseconds) and an if_tsoffset (seconds). */
export function timeUnits(tsresol: number | undefined, offset = 0): TimeUnits {
  let big: bigint;
  if (tsresol === undefined) big = 1_000_000n;
  else {
    const binary = (tsresol & 0x80) !== 0;
    const exponent = tsresol & 0x7f;
    if (binary) big = exponent < 64 ? 1n << BigInt(exponent) : TWO_64 - 1n;
    else big = exponent < 20 ? 10n ** BigInt(exponent) : TWO_64 - 1n;
  }
  const perSecond = big < BigInt(LIMIT) ? Number(big) : 0;
  const nanosPerUnit =
    big <= 1_000_000_000n && 1_000_000_000n % big === 0n ? Number(1_000_000_000n / big) : 0;
  return { perSecond, big, nanosPerUnit, offset };
}

/** Microseconds per second, the commonest units: a shortcut. */
export const MICROSECONDS = timeUnits(undefined);

/** A timestamp as the record holds it: whole microseconds since the epoch, and nanoseconds past them. */
export interface Instant {
  timeUs: number;
  nanos: number;
}

/** floor(a / b) for non-negative integers whose quotient's double may round up. */
function quotient(a: number, b: number): number {
  const q = Math.floor(a / b);
  return q * b > a ? q - 1 : q;
}

/**
 * Converts a timestamp (its high and low 32 bits) into `out`, as Wireshark computes it. Writes into `out` so
 * that reading a million packets allocates nothing here.
 */
export function toInstant(high: number, low: number, units: TimeUnits, out: Instant): void {
  const u = units.perSecond;
  if (u === 1_000_000 && high < 0x200000) {
    // Microseconds below 2^53: the count is the answer.
    out.timeUs = high * TWO_32 + low + units.offset * 1_000_000;
    out.nanos = 0;
    return;
  }
  if (u === 0) {
    bigInstant(high, low, units, out);
    return;
  }
  // (high·2^32 + low) divided by u in three steps of at most 2^53.
  const hq = quotient(high, u);
  const t1 = (high - hq * u) * 65536 + (low >>> 16);
  const q1 = quotient(t1, u);
  const t2 = (t1 - q1 * u) * 65536 + (low & 0xffff);
  const q2 = quotient(t2, u);
  const remainder = t2 - q2 * u;
  const seconds = hq * TWO_32 + q1 * 65536 + q2 + units.offset;
  let nanos: number;
  if (units.nanosPerUnit !== 0) nanos = remainder * units.nanosPerUnit;
  else if (remainder < 9_007_199) nanos = quotient(remainder * 1_000_000_000, u);
  else nanos = Number((((BigInt(remainder) * 1_000_000_000n) % TWO_64) / units.big) % 1_000_000_000n);
  setInstant(seconds, nanos, out);
}

function bigInstant(high: number, low: number, units: TimeUnits, out: Instant): void {
  const ts = (BigInt(high) << 32n) | BigInt(low);
  const seconds = Number(ts / units.big) + units.offset;
  const nanos = Number(((((ts % units.big) * 1_000_000_000n) % TWO_64) / units.big) % 1_000_000_000n);
  setInstant(seconds, nanos, out);
}

/** Seconds and nanoseconds (0 to 10^9 − 1) into `out`. */
export function setInstant(seconds: number, nanos: number, out: Instant): void {
  const micros = Math.floor(nanos / 1000);
  out.timeUs = seconds * 1_000_000 + micros;
  out.nanos = nanos - micros * 1000;
}
