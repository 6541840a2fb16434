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
    if ("bBhHiIlLqQnNP".includes(char) && Number.isInteger(value)) return BigInt(value as number);
    return typeof value === "boolean" ? (value ? 1 : 0) : Number(value);
  });
}

/** The same format with the opposite explicit byte order (native little-endian here ↔ big-endian). */
export function swappedOrder(layout: StructLayout): StructLayout | null {
  const body = layout.format.replace(/^[@=<>!]/, "");
  const swapped = parseStructFormat(`${layout.littleEndian ? ">" : "<"}${body}`);
  return swapped.ok && swapped.value.size === layout.size ? swapped.value : null;
}

/** Whether a printed or unpacked value equals the expected one (float32 rounding allowed, 1e-6 relative). */
export function sameValue(seen: StructValue | number | string, expected: StructValue): boolean {
  if (typeof expected === "number") {
    const n = Number(seen);
    if (Number.isNaN(expected)) return Number.isNaN(n);
    return n === expected || Math.abs(n - expected) <= 1e-6 * Math.max(1, Math.abs(expected));
  }
  if (typeof expected === "bigint") return String(seen) === expected.toString();
  if (typeof expected === "boolean")
    return String(seen) === (expected ? "True" : "False") || seen === expected;
  const text = typeof seen === "string" ? seen : "";
  return text === new TextDecoder().decode(expected) || text === `b'${new TextDecoder().decode(expected)}'`;
}

/** Whether printed values match the expected ones. */
export function matchesValues(printed: readonly string[] | null, expected: readonly StructValue[]): boolean {
  return (
    printed !== null &&
    printed.length === expected.length &&
    expected.every((v, i) => sameValue(printed[i]!, v))
  );
}
