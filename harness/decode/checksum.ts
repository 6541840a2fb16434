// The Internet checksum (RFC 1071): the one's complement of the one's complement sum of 16-bit words.

import { readU16 } from "./bytes.ts";

/** Adds the bytes [start, end) to a running one's complement sum (not folded, not complemented). */
export function sumWords(bytes: Uint8Array, start: number, end: number, initial = 0): number {
  let sum = initial;
  let i = start;
  for (; i + 1 < end; i += 2) sum += readU16(bytes, i);
  // An odd trailing byte is padded with a zero byte on the right.
  if (i < end) sum += bytes[i]! << 8;
  return sum;
}

/** Folds a running sum to 16 bits and complements it: the value to store in a checksum field. */
export function finishChecksum(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return ~s & 0xffff;
}

/** The checksum of bytes [start, end). Over a header that includes its own correct checksum, this is 0. */
export function internetChecksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return finishChecksum(sumWords(bytes, start, end));
}
