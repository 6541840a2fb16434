// Unpacked values printed as Python prints them (`print(struct.unpack(...))`), so grader messages show
// students what their own Python shows: 2.700000047683716, 1e+16, -0.0, inf, nan, True, b'ab\x00'.

import { type StructChar, type StructLayout, valueChars } from "./struct-format.ts";
import type { StructValue } from "./struct-pack.ts";

/** Python's repr of a float: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const [mantissa, exponent] = Math.abs(x).toExponential().split("e") as [string, string];
  const digits = mantissa.replace(".", "");
  const e = Number(exponent);
  if (e < -4 || e >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : "";
    return `${sign}${digits[0]}${fraction}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  if (e < 0) return `${sign}0.${"0".repeat(-e - 1)}${digits}`;
  const whole = digits.slice(0, e + 1).padEnd(e + 1, "0");
  return `${sign}${whole}.${digits.slice(e + 1) || "0"}`;
}

/** Python's repr of a bytes value: b'…', or b"…" when it holds ' but no ". */
export function pythonBytesRepr(bytes: Uint8Array): string {
  const quote = bytes.includes(0x27) && !bytes.includes(0x22) ? '"' : "'";
  let out = "";
  for (const byte of bytes) {
    const c = String.fromCharCode(byte);
    if (c === quote || c === "\\") out += `\\${c}`;
    else if (c === "\t") out += "\\t";
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (byte < 0x20 || byte >= 0x7f) out += `\\x${byte.toString(16).padStart(2, "0")}`;
    else out += c;
  }
  return `b${quote}${out}${quote}`;
}

/**
 * One value as Python prints it. The format character says whether a number is a float (e f d) or an
 * int; without it, integral numbers print as ints.
 */
export function formatValue(value: StructValue | string, char?: StructChar | null): string {
  if (typeof value === "string") return pythonStrRepr(value);
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return pythonBytesRepr(value);
  const float = char === "e" || char === "f" || char === "d" || !Number.isInteger(value);
  return float ? pythonFloatRepr(value) : BigInt(value).toString();
}

/** The tuple unpack returns, as `print()` shows it: `(1, 2.5, b'ab')`, `(7,)`, `()`. */
export function formatTuple(layout: StructLayout, values: readonly StructValue[]): string {
  const chars = valueChars(layout, values.length);
  const parts = values.map((value, i) => formatValue(value, chars[i]));
  return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(", ")})`;
}

/** A str as Python's repr() shows it (single quotes unless the text holds one and no double quote). */
export function pythonStrRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const body = [...text]
    .map((c) => {
      if (c === "\\") return "\\\\";
      if (c === quote) return `\\${c}`;
      if (c === "\n") return "\\n";
      if (c === "\r") return "\\r";
      if (c === "\t") return "\\t";
      const code = c.codePointAt(0)!;
      return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, "0")}` : c;
    })
    .join("");
  return `${quote}${body}${quote}`;
}

/**
 * A value as a person reads it at its format's precision: a single-precision (`f`) or half-precision (`e`)
 * float with the fewest digits that give back the same float (21.98, not Python's 21.979999542236328 of the
 * widened double); anything else as formatValue.
 */
export function displayValue(value: StructValue | string, char?: StructChar | null): string {
  if (typeof value !== "number" || (char !== "f" && char !== "e") || !Number.isFinite(value)) {
    return formatValue(value, char);
  }
  const digits = char === "f" ? 9 : 5;
  const same = (text: string) =>
    char === "f"
      ? Math.fround(Number(text)) === Math.fround(value)
      : Number(Number(text).toPrecision(4)) === Number(value.toPrecision(4));
  for (let precision = 1; precision < digits; precision++) {
    const text = String(Number(value.toPrecision(precision)));
    if (same(text)) return formatValue(Number(text), char);
  }
  return formatValue(value, char);
}
