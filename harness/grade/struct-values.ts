// Values for a struct format from a manifest (YAML numbers, strings, booleans) and from a program's printed
// output, and their comparison with float32 rounding allowed.
import { parseStructFormat, type StructLayout, type StructValue, valueChars } from "../protocol/index.ts";

export { valueChars };

/** Manifest values converted to what `pack` takes for each format character. */
export function toStructValues(layout: StructLayout, raw: readonly unknown[]): StructValue[] {
  const chars = valueChars(layout, raw.length);
  return raw.map((value, i) => {
    const char = chars[i] ?? "";
    if (char === "?") return Boolean(value);
    if (char === "s" || char === "p" || char === "c") return new TextEncoder().encode(String(value));
    if ("bBhHiIlLqQnNP".includes(char) && typeof value === "number" && Number.isInteger(value))
      return BigInt(value);
    return typeof value === "boolean" ? (value ? 1 : 0) : Number(value);
  });
}

/** The same format with the opposite explicit byte order (native little-endian here ↔ big-endian). */
export function swappedOrder(layout: StructLayout): StructLayout | null {
  const body = layout.format.replace(/^[@=<>!]/, "");
  const swapped = parseStructFormat(`${layout.littleEndian ? ">" : "<"}${body}`);
  return swapped.ok && swapped.value.size === layout.size ? swapped.value : null;
}

/** Whether an unpacked value equals the expected one: numbers within float32 rounding (1e-6 relative),
 * integers exactly, booleans and bytes as themselves. */
export function sameValue(seen: StructValue, expected: StructValue): boolean {
  if (expected instanceof Uint8Array) {
    // struct pads a short bytes value with NULs to its size.
    return (
      seen instanceof Uint8Array &&
      seen.length >= expected.length &&
      expected.every((b, i) => seen[i] === b) &&
      seen.subarray(expected.length).every((b) => b === 0)
    );
  }
  if (typeof expected === "boolean")
    return typeof seen === "boolean" ? seen === expected : Number(seen) === (expected ? 1 : 0);
  if (seen instanceof Uint8Array || typeof seen === "boolean") return false;
  if (typeof expected === "bigint" || typeof seen === "bigint") {
    try {
      return BigInt(seen) === BigInt(expected);
    } catch {
      return false;
    }
  }
  return nearlyEqual(seen, expected);
}

/** Whether a number is the expected one up to float32 rounding (`relative`, 1e-6 by default), NaN for NaN. */
export function nearlyEqual(seen: number, expected: number, relative = 1e-6): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(seen);
  return seen === expected || Math.abs(seen - expected) <= relative * Math.max(1, Math.abs(expected));
}

/** Whether unpacked values are the expected ones, in order. */
export function matchesValues(
  unpacked: readonly StructValue[] | null,
  expected: readonly StructValue[],
): boolean {
  return (
    unpacked !== null &&
    unpacked.length === expected.length &&
    expected.every((v, i) => sameValue(unpacked[i]!, v))
  );
}
