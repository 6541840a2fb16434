// Small readings of Python tokens shared by the source readers: calls and their arguments, the name an
// expression stands for, literals, and the words of identifiers.
import type { LogicalLine, Token } from "./python-lexer.ts";

export const isOp = (t: Token | undefined, text: string): boolean => t?.kind === "op" && t.text === text;
export const isName = (t: Token | undefined, text?: string): boolean =>
  t?.kind === "name" && (text === undefined || t.text === text);

/** A call found in a line: the dotted callee as written (`struct.pack`), its last part, and its arguments. */
export interface Call {
  readonly callee: string;
  readonly last: string;
  /** Each argument's tokens (a keyword argument keeps its `name =`). */
  readonly args: readonly (readonly Token[])[];
  /** Index of the callee's first token and of the closing parenthesis. */
  readonly start: number;
  readonly end: number;
}

/** The index of the bracket closing the one at `open` (or the end of the tokens). */
export function closing(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let j = open; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (t.kind !== "op") continue;
    if ("([{".includes(t.text)) depth++;
    else if (")]}".includes(t.text) && --depth === 0) return j;
  }
  return tokens.length;
}

/** Splits tokens at the commas outside brackets. */
export function splitTopLevel(tokens: readonly Token[], separator = ","): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === "op" && "([{".includes(t.text)) depth++;
    if (t.kind === "op" && ")]}".includes(t.text)) depth--;
    if (depth === 0 && t.kind === "op" && t.text === separator) parts.push([]);
    else parts[parts.length - 1]!.push(t);
  }
  return parts.filter((p, i) => p.length > 0 || i < parts.length - 1);
}

/** Every call in a line, outermost first. */
export function callsIn(tokens: readonly Token[]): Call[] {
  const calls: Call[] = [];
  for (let i = 0; i < tokens.length - 1; i++) {
    if (tokens[i]!.kind !== "name" || !isOp(tokens[i + 1], "(")) continue;
    let start = i;
    while (start >= 2 && isOp(tokens[start - 1], ".") && tokens[start - 2]!.kind === "name") start -= 2;
    const callee = tokens
      .slice(start, i + 1)
      .map((t) => t.text)
      .join("");
    const end = closing(tokens, i + 1);
    calls.push({ callee, last: tokens[i]!.text, args: splitTopLevel(tokens.slice(i + 2, end)), start, end });
  }
  return calls;
}

/** Every call in the lines, with the line it is on. */
export function allCalls(lines: readonly LogicalLine[]): { call: Call; line: LogicalLine }[] {
  return lines.flatMap((line) => callsIn(line.tokens).map((call) => ({ call, line })));
}

const NOT_A_VALUE = new Set([
  "True",
  "False",
  "None",
  "int",
  "float",
  "str",
  "bool",
  "round",
  "abs",
  "len",
  "min",
  "max",
  "self",
  "args",
  "opts",
  "options",
  "cfg",
  "config",
  "encode",
  "decode",
  "time",
  "random",
  "math",
]);

/**
 * The name an expression stands for: `seq` for `seq`, `args.seq`, `*seq`, `int(seq * 10)` or `self.seq`;
 * null for anything with no single name.
 */
export function nameOf(tokens: readonly Token[]): string | null {
  // a comparison or a condition is not a value's name: `temp > 28`
  if (
    tokens.some(
      (t) =>
        (t.kind === "op" && ["<", ">", "==", "!=", "<=", ">="].includes(t.text)) ||
        isName(t, "and") ||
        isName(t, "or") ||
        isName(t, "not") ||
        isName(t, "if"),
    )
  )
    return null;
  // values["temp"] is the temp value; values[0] names nothing
  const key = tokens.findIndex((t, i) => isOp(t, "[") && tokens[i + 1]?.kind === "string");
  if (key > 0 && isOp(tokens[key + 2], "]")) return tokens[key + 1]!.text;
  if (tokens.some((t, i) => isOp(t, "[") && tokens[i + 1]?.kind === "number")) return null;
  const names = tokens.filter(
    (t, i) => t.kind === "name" && !NOT_A_VALUE.has(t.text) && !isOp(tokens[i + 1], "("),
  );
  if (names.length === 0) return null;
  // a dotted name counts as its last part
  const last = names[names.length - 1]!;
  const dottedOnly = names.every((t) => {
    const at = tokens.indexOf(t);
    return t === last || isOp(tokens[at + 1], ".");
  });
  return dottedOnly ? last.text : null;
}

/** A Python literal: a number, a string, True/False; null for anything else. */
export function literalOf(tokens: readonly Token[]): number | string | boolean | null {
  const t = tokens.filter((x) => !isOp(x, "(") && !isOp(x, ")"));
  if (t.length === 2 && isOp(t[0], "-") && t[1]!.kind === "number") {
    const n = Number(t[1]!.text.replaceAll("_", ""));
    return Number.isFinite(n) ? -n : null;
  }
  if (t.length === 1 && t[0]!.kind === "number") {
    const n = Number(t[0]!.text.replaceAll("_", ""));
    return Number.isFinite(n) ? n : null;
  }
  if (t.length >= 1 && t.every((x) => x.kind === "string" && !x.prefix.includes("f")))
    return t.map((x) => x.text).join("");
  if (t.length === 1 && isName(t[0], "True")) return true;
  if (t.length === 1 && isName(t[0], "False")) return false;
  return null;
}

/** The lower-case words of an identifier or a text: `READING_FORMAT` → reading, format; `sendTo` → send, to. */
export function wordsOf(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+|(?<=\p{L})(?=\p{N})/u)
    .filter(Boolean);
}

/** Whether the line is a bare string (a docstring): its words describe, they do not do. */
export function isDocstring(line: LogicalLine): boolean {
  return line.tokens.every((t) => t.kind === "string");
}

/** The name when the tokens are one name and nothing else. */
export function soleName(tokens: readonly Token[]): string | null {
  const only = tokens.length === 1 ? tokens[0] : undefined;
  return only?.kind === "name" ? only.text : null;
}

/** The header lines of the blocks around line k (`if …:`, `for …:`, `def …:`), innermost first. */
export function enclosingHeaders(lines: readonly LogicalLine[], k: number): LogicalLine[] {
  const headers: LogicalLine[] = [];
  let indent = lines[k]!.indent;
  for (let j = k - 1; j >= 0 && indent > 0; j--) {
    const line = lines[j]!;
    if (line.indent >= indent) continue;
    indent = line.indent;
    headers.push(line);
  }
  return headers;
}
