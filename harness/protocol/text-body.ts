// Text messages: a regular expression whose named groups are the fields, matched against the whole message
// (a datagram, or a line of a TCP stream without its line end). Python's `(?P<name>…)` is accepted as
// written. Group values are converted to the types the description gives (int, float, bool, str).
//
//   text: 'S(?<sensor>\d+);seq=(?<seq>\d+);T=(?<temperature>-?\d+\.\d+)'
//   fields: { sensor: int, seq: int, temperature: float }

import { z } from "../schema/index.ts";
import { FIELD_TYPES, type FieldType, type FieldValue, type TextBody } from "./message-body.ts";
import { describeValue as describe } from "./protocol-match.ts";

const got = (what: string) => (issue: { input: unknown }) => `expected ${what}, got ${describe(issue.input)}`;

/** The types of a text message's groups, as written under `fields:`. */
export const textTypesSchema = z.record(
  z.string(),
  z.enum(FIELD_TYPES, { error: got(FIELD_TYPES.join(", ")) }),
  { error: got("a mapping of group: type (int, float, bool, str)") },
);

type Note = (path: string, message: string) => void;

/** The longest text message read: a sensor reading is a line, not a file. */
const MAX_TEXT = 4096;

/** The regular expression and its group types, checked; undefined after a problem (noted). */
export function checkTextBody(
  source: string,
  types: Readonly<Record<string, FieldType>> | undefined,
  path: string,
  note: Note,
  /** A group whose type defaults to int (the message's sequence field). */
  numbered?: string,
): TextBody | undefined {
  const js = source.replaceAll("(?P<", "(?<");
  let pattern: RegExp;
  try {
    pattern = new RegExp(`^(?:${js})$`, "su");
  } catch (error) {
    note(`${path}.text`, `not a regular expression: ${(error as Error).message}`);
    return undefined;
  }
  if (nestedRepetition(js)) {
    note(
      `${path}.text`,
      "a repeated group that repeats inside, such as (a+)+ or (\\d*,?)*, can take exponential time; repeat one of them only",
    );
    return undefined;
  }
  const groups = [...js.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1]!);
  if (groups.length === 0) {
    note(`${path}.text`, "no named group: name each value, e.g. 'T=(?<temperature>-?\\d+\\.\\d+)'");
    return undefined;
  }
  let ok = true;
  for (const name of Object.keys(types ?? {})) {
    if (!groups.includes(name)) {
      ok = false;
      note(`${path}.fields.${name}`, `"${name}" is not a named group of \`text\` (${groups.join(", ")})`);
    }
  }
  if (!ok) return undefined;
  return {
    type: "text",
    source,
    pattern,
    types: Object.fromEntries(
      groups.map((name) => [name, types?.[name] ?? (name === numbered ? "int" : "str")]),
    ),
  };
}

/** Where the first line of a TCP stream ends (just after its "\n"), or "more" while it has not. */
export function measureLine(bytes: Uint8Array): number | "more" {
  const end = bytes.indexOf(0x0a);
  return end < 0 ? "more" : end + 1;
}

/** A text message's fields, or why the bytes are not one. One line end at the end is not part of it. */
export function readText(
  body: TextBody,
  bytes: Uint8Array,
): { fields: Record<string, FieldValue> } | { reason: string } {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { reason: "not UTF-8 text" };
  }
  text = text.replace(/\r?\n$/, "");
  if (text.length > MAX_TEXT)
    return { reason: `${text.length} characters, more than a text message may have (${MAX_TEXT})` };
  const found = body.pattern.exec(text);
  if (found === null) return { reason: `${JSON.stringify(clip(text))} does not match its \`text\`` };
  const fields: Record<string, FieldValue> = {};
  for (const [name, type] of Object.entries(body.types)) {
    const raw = found.groups?.[name];
    if (raw === undefined) continue;
    const value = convertText(raw, type);
    if (value === undefined) return { reason: `${name} = ${JSON.stringify(raw)} is not ${article(type)}` };
    fields[name] = value;
  }
  return { fields };
}

/** A group's text as its declared type, or undefined when it is not one. */
export function convertText(raw: string, type: FieldType): FieldValue | undefined {
  const text = raw.trim();
  switch (type) {
    case "int":
      return /^[-+]?\d+$/.test(text) ? Number(text) : undefined;
    case "float": {
      const value = Number(text);
      return text !== "" && Number.isFinite(value) ? value : undefined;
    }
    case "bool": {
      const lower = text.toLowerCase();
      if (["true", "1", "yes", "on"].includes(lower)) return true;
      if (["false", "0", "no", "off"].includes(lower)) return false;
      return undefined;
    }
    default:
      return raw;
  }
}

export function article(type: FieldType): string {
  return { int: "an int", float: "a float", bool: "a bool", str: "text" }[type];
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Where the first text message of a TCP segment ends when the stream has no line ends: the whole segment
 * when it is one message, else the longest first piece after which the rest of the segment still reads as
 * whole messages (two answers sent back to back and received together). Segments past 512 bytes are taken
 * whole.
 */
export function measureSegment(body: TextBody, segment: Uint8Array): number {
  if (segment.length > 512 || readsAs(body, segment)) return segment.length;
  const memo = new Map<number, boolean>();
  const splits = (from: number): boolean => {
    if (from === segment.length) return true;
    const known = memo.get(from);
    if (known !== undefined) return known;
    let ok = false;
    for (let end = segment.length; end > from && !ok; end--) {
      ok = readsAs(body, segment.subarray(from, end)) && splits(end);
    }
    memo.set(from, ok);
    return ok;
  };
  for (let end = segment.length - 1; end > 0; end--) {
    if (readsAs(body, segment.subarray(0, end)) && splits(end)) return end;
  }
  return segment.length;
}

function readsAs(body: TextBody, bytes: Uint8Array): boolean {
  return !("reason" in readText(body, bytes));
}

/**
 * Whether a pattern repeats a group that repeats inside with nothing fixed between the repetitions (`(a+)+`,
 * `(\d*,?)*`): such a pattern can take exponential time on bytes that almost match, and the bytes are the
 * submission's. A group with a literal it always needs (`(,\d+)*`, `(\d+\.)+`) is safe and allowed.
 */
export function nestedRepetition(source: string): boolean {
  /** quantified: something inside repeats; literals: literal atoms it always needs. */
  interface Group {
    quantified: boolean;
    literals: number;
  }
  const stack: Group[] = [{ quantified: false, literals: 0 }];
  // The last atom: whether it counted as a needed literal, and the group it closed (if it was a group).
  let last: { literal: boolean; group: Group | null } | null = null;
  for (let at = 0; at < source.length; at++) {
    const c = source[at]!;
    const top = stack.at(-1)!;
    const rest = source.slice(at);
    const bounded = /^\{\d+(,\d+)?\}/.test(rest);
    const unbounded = c === "*" || c === "+" || /^\{\d*,\}/.test(rest);
    if (last !== null && (c === "?" || unbounded || bounded)) {
      if (unbounded && last.group?.quantified && last.group.literals === 0) return true;
      if (c !== "?") top.quantified = true;
      // A quantified literal is no longer one the group always needs.
      if (last.literal) top.literals--;
      if (c === "{") at = source.indexOf("}", at);
      last = null;
      continue;
    }
    if (c === "\\") {
      const literal = !/[A-Za-z0-9]/.test(source[at + 1] ?? "");
      if (literal) top.literals++;
      last = { literal, group: null };
      at++;
    } else if (c === "[") {
      let end = at + 1;
      while (end < source.length && source[end] !== "]") end += source[end] === "\\" ? 2 : 1;
      at = end;
      last = { literal: false, group: null };
    } else if (c === "(") {
      stack.push({ quantified: false, literals: 0 });
      const named = /^\(\?P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(rest);
      if (named) at += named[0].length - 1;
      else if (/^\(\?[:=!]/.test(rest) || /^\(\?<[=!]/.test(rest)) at += rest[2] === "<" ? 3 : 2;
      last = null;
    } else if (c === ")") {
      const group = stack.length > 1 ? stack.pop()! : { quantified: false, literals: 0 };
      const outer = stack.at(-1)!;
      if (group.quantified) outer.quantified = true;
      const needed = group.literals > 0;
      if (needed) outer.literals++;
      last = { literal: needed, group };
    } else if (c === "|" || c === "^" || c === "$" || c === ".") {
      last = { literal: false, group: null };
    } else {
      top.literals++;
      last = { literal: true, group: null };
    }
  }
  return false;
}
