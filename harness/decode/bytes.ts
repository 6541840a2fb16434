// Unsigned integers read from a byte array: big-endian (network byte order) for every protocol header, and
// little-endian for link headers in the byte order of the host that wrote the capture. The decoders read
// their multi-byte fields through these. Callers check the bounds first: a byte past the end reads as 0.

/** The unsigned 16-bit big-endian integer at bytes `at`, `at + 1`. */
export function readU16(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}

/** The unsigned 32-bit big-endian integer at bytes `at` … `at + 3` (0 … 2^32 − 1). */
export function readU32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

/** The unsigned 32-bit little-endian integer at bytes `at` … `at + 3` (a field in a little-endian writer's order). */
export function readU32Le(bytes: Uint8Array, at: number): number {
  return ((bytes[at + 3]! << 24) | (bytes[at + 2]! << 16) | (bytes[at + 1]! << 8) | bytes[at]!) >>> 0;
}
