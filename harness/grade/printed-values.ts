// Finding struct values in what a program printed, read liberally: the numbers in order, not the punctuation.
// `(1, 4, 2.700000047683716)`, `[1, 4, 2.7]`, `Valores: 1 4 2.7`, `a=1 b=4 c=2.70`, one value per line, or
// a logging line on stderr all show the same three values. Digits inside names (`int1`, `x2`, `1st`) and the
// parts of an IPv4 address are not values.
import type { StructChar, StructValue } from "../protocol/index.ts";
import { nearlyEqual } from "./struct-values.ts";

/** A line of a program's output, as the run recorded it. */
export interface PrintedLine {
  readonly stream: "stdout" | "stderr";
  readonly number: number;
  readonly text: string;
}

/** Where the values were found: the tokens read as values and the lines they were on. */
export interface PrintedValues {
  readonly values: readonly string[];
  readonly lines: readonly PrintedLine[];
}

interface Token {
  readonly text: string;
  readonly kind: "number" | "bool" | "text";
  readonly line: PrintedLine;
}

// A number not glued to a name or to another number (`int1`, `1st`, `127.0.0.1` are not numbers here).
const NUMBER = /(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?!\w|\.\d)/y;
const IPV4 = /(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.])/y;
const BOOL = /(?<!\w)(?:True|False|true|false)(?!\w)/y;
const QUOTED = /(?<!\w)b?(?:'([^'\n]*)'|"([^"\n]*)")/y;

// The value-like tokens of a line, keeping only the kinds some expected value has (so a dict's keys or a
// status flag between the numbers do not break the run of values).
function tokenize(
  line: PrintedLine,
  words: ReadonlySet<string>,
  wanted: ReadonlySet<Token["kind"]>,
): Token[] {
  const tokens: Token[] = [];
  const text = line.text;
  let i = 0;
  while (i < text.length) {
    let matched = false;
    for (const [pattern, kind] of [
      [IPV4, null],
      [QUOTED, "text"],
      [BOOL, "bool"],
      [NUMBER, "number"],
    ] as const) {
      pattern.lastIndex = i;
      const m = pattern.exec(text);
      if (!m) continue;
      const value = kind === "text" ? (m[1] ?? m[2] ?? "") : m[0];
      // a fixed-size string field unpacks with its NUL padding: b'jonas\x00\x00…' shows "jonas"
      if (kind !== null && wanted.has(kind) && (kind !== "text" || words.has(value.replace(/(\\x00)+$/, ""))))
        tokens.push({ text: value, kind, line });
      i += m[0].length;
      matched = true;
      break;
    }
    if (matched) continue;
    // A bare word counts only when it is one of the expected text values (an unquoted `abc`).
    const word = /^[A-Za-z_]\w*/.exec(text.slice(i));
    if (word) {
      if (words.has(word[0])) tokens.push({ text: word[0], kind: "text", line });
      i += word[0].length;
    } else i++;
  }
  return tokens;
}

/** Decimal places written in a number's text (`2.70` → 2, `2.7e0` → none counted: exact comparison). */
function decimals(text: string): number | null {
  if (/[eE]/.test(text)) return null;
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

/**
 * Whether a printed token shows the expected value: integers exactly; floats within float32 rounding
 * (1e-6 relative, 1e-3 for half precision `e`) or rounded to the decimals printed (`2.70`, at least one);
 * booleans as True/False (or 1/0); bytes as their text, quoted or bare.
 */
export function showsValue(
  token: { text: string; kind: string },
  expected: StructValue,
  char?: StructChar,
): boolean {
  if (typeof expected === "boolean") {
    if (token.kind === "bool") return token.text.toLowerCase() === String(expected);
    return token.kind === "number" && token.text === (expected ? "1" : "0");
  }
  if (expected instanceof Uint8Array) {
    const want = new TextDecoder().decode(expected).replace(/\0+$/, "");
    return token.kind === "text" && token.text.replace(/(\\x00)+$/, "") === want;
  }
  if (token.kind !== "number") return false;
  const n = Number(token.text);
  if (typeof expected === "bigint")
    return Number.isFinite(n) && Number.isInteger(n) && BigInt(n) === expected;
  if (nearlyEqual(n, expected, char === "e" ? 1e-3 : 1e-6)) return true;
  const places = decimals(token.text);
  return places !== null && places >= 1 && Math.abs(n - expected) <= 0.5 * 10 ** -places + 1e-9;
}

/**
 * The last run of consecutive values in `lines` that shows `expected` in order, or null. Values may span
 * lines (one per line); anything that is not a value (labels, punctuation, brackets) is skipped.
 */
export function findPrintedValues(
  lines: readonly PrintedLine[],
  expected: readonly StructValue[],
  chars: readonly StructChar[] = [],
): PrintedValues | null {
  if (expected.length === 0) return null;
  const words = new Set(
    expected.filter((v): v is Uint8Array => v instanceof Uint8Array).map((v) => new TextDecoder().decode(v)),
  );
  const wanted = new Set<Token["kind"]>(
    expected.map((v) => (v instanceof Uint8Array ? "text" : typeof v === "boolean" ? "bool" : "number")),
  );
  if (wanted.has("bool")) wanted.add("number");
  const tokens = lines.flatMap((line) => tokenize(line, words, wanted));
  // One value per line with a numbered label ("entero 1: 1"): the last value of each line that has one.
  const lastOfLine = [...new Map(tokens.map((t) => [t.line, t])).values()];
  for (const stream of [tokens, lastOfLine]) {
    for (let start = stream.length - expected.length; start >= 0; start--) {
      const window = stream.slice(start, start + expected.length);
      if (window.every((t, i) => showsValue(t, expected[i]!, chars[i]))) {
        const seen = [...new Set(window.map((t) => t.line))];
        return { values: window.map((t) => t.text), lines: seen };
      }
    }
  }
  return null;
}
