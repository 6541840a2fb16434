// Python struct format strings (Modules/_struct.c, CPython 3.11) parsed into a layout: byte order, item
// sizes, alignment padding and calcsize. "Native" is this machine's C ABI, x86_64 Linux (LP64, little-endian).
//
//   prefix   order    sizes     alignment        prefix   order    sizes     alignment
//   @ / none native   native    native           <        little   standard  none
//   =        native   standard  none             > / !    big      standard  none
//
//   char  C type         standard  native (size/align)   char  C type          standard  native
//   x     pad byte       1         1/-                   l L   long            4         8/8
//   c     char (bytes 1) 1         1/-                   q Q   long long       8         8/8
//   b B   (un)signed ch  1         1/-                   n N   ssize_t size_t  -         8/8
//   ?     _Bool          1         1/1                   e     half float      2         2/2
//   h H   short          2         2/2                   f     float           4         4/4
//   i I   int            4         4/4                   d     double          8         8/8
//   s p   char[] (count = length; p: Pascal string)      P     void *          -         8/8
//
// A count repeats the item (`3i`); for s and p it is the length of one bytes value. Whitespace between
// items is skipped, but not between a count and its character, nor before the prefix. Alignment pads
// before an item (even with count 0), never after the last one.

import { type StructResult, structProblem } from "./struct-problem.ts";

/** Byte-order, size and alignment prefix; `@` also stands for no prefix. */
export type StructPrefix = "@" | "=" | "<" | ">" | "!";

/** Every format character CPython knows (n, N and P only in native mode). */
export type StructChar =
  | "x"
  | "c"
  | "b"
  | "B"
  | "?"
  | "h"
  | "H"
  | "i"
  | "I"
  | "l"
  | "L"
  | "q"
  | "Q"
  | "n"
  | "N"
  | "e"
  | "f"
  | "d"
  | "s"
  | "p"
  | "P";

/** One item of a format as written, e.g. `3i` or `10s`. */
export interface StructItem {
  readonly char: StructChar;
  /** Repeat count; for s and p the byte length of the one value. */
  readonly count: number;
  /** Bytes per value (s and p: the whole count). */
  readonly itemSize: number;
  /** Byte offset of the first value, after alignment padding. */
  readonly offset: number;
  /** Alignment padding inserted just before the item. */
  readonly padding: number;
  /** Index of the item (its count, or its character) in the format string. */
  readonly formatOffset: number;
}

/** A parsed struct format. Counts, offsets and `size` are exact up to 2^53 − 1 (CPython allows 2^63 − 1). */
export interface StructLayout {
  readonly format: string;
  readonly prefix: StructPrefix;
  /** Native sizes and alignment (`@`). */
  readonly native: boolean;
  readonly littleEndian: boolean;
  readonly items: readonly StructItem[];
  /** calcsize: total bytes, including padding between items but none at the end. */
  readonly size: number;
  /** calcsize exactly, also beyond 2^53 − 1. */
  readonly exactSize: bigint;
  /** How many values pack takes and unpack returns. */
  readonly valueCount: number;
}

const PY_SSIZE_T_MAX = 2n ** 63n - 1n;
const PREFIXES = new Set<string>(["@", "=", "<", ">", "!"]);
// Py_ISSPACE: the ASCII whitespace characters.
const SPACE = new Set<string>([" ", "\t", "\n", "\r", "\v", "\f"]);

// [size, alignment] in native mode; standard sizes have no alignment.
const NATIVE: Readonly<Record<StructChar, readonly [number, number]>> = {
  x: [1, 0],
  c: [1, 0],
  b: [1, 0],
  B: [1, 0],
  "?": [1, 1],
  h: [2, 2],
  H: [2, 2],
  i: [4, 4],
  I: [4, 4],
  l: [8, 8],
  L: [8, 8],
  q: [8, 8],
  Q: [8, 8],
  n: [8, 8],
  N: [8, 8],
  e: [2, 2],
  f: [4, 4],
  d: [8, 8],
  s: [1, 0],
  p: [1, 0],
  P: [8, 8],
};
const STANDARD: Readonly<Partial<Record<StructChar, number>>> = {
  x: 1,
  c: 1,
  b: 1,
  B: 1,
  "?": 1,
  h: 2,
  H: 2,
  i: 4,
  I: 4,
  l: 4,
  L: 4,
  q: 8,
  Q: 8,
  e: 2,
  f: 4,
  d: 8,
  s: 1,
  p: 1,
};

/** Parses a struct format string the way `struct.Struct(format)` does, or says what CPython would raise. */
export function parseStructFormat(format: string): StructResult<StructLayout> {
  const encoding = asciiProblem(format);
  if (encoding !== undefined) return encoding;
  const nul = format.indexOf("\0");
  if (nul >= 0) return structProblem("embedded-null", "embedded null character", nul);

  const first = format[0] ?? "";
  const prefix: StructPrefix = PREFIXES.has(first) ? (first as StructPrefix) : "@";
  const native = prefix === "@";
  const items: StructItem[] = [];
  let size = 0n;
  let valueCount = 0;
  let at = PREFIXES.has(first) ? 1 : 0;
  while (at < format.length) {
    const start = at;
    let c = format[at++]!;
    if (SPACE.has(c)) continue;
    let count = 1n;
    if (isDigit(c)) {
      count = BigInt(c);
      while (at < format.length && isDigit(format[at]!)) {
        count = count * 10n + BigInt(format[at++]!);
        if (count > PY_SSIZE_T_MAX) return tooLong(start);
      }
      if (at >= format.length) {
        return structProblem("repeat-without-char", "repeat count given without format specifier", start);
      }
      c = format[at++]!;
    }
    const [itemSize, align] = (native ? NATIVE[c as StructChar] : [STANDARD[c as StructChar], 0]) ?? [];
    if (itemSize === undefined || !Object.hasOwn(NATIVE, c)) {
      return structProblem("bad-char", "bad char in struct format", at - 1);
    }
    const alignment = BigInt(align ?? 0);
    let padding = 0n;
    if (alignment > 0n && size > 0n) {
      padding = alignment - 1n - ((size - 1n) % alignment);
      if (padding > PY_SSIZE_T_MAX - size) return tooLong(start);
      size += padding;
    }
    const char = c as StructChar;
    const wide = char === "s" || char === "p";
    if (count > (PY_SSIZE_T_MAX - size) / BigInt(itemSize)) return tooLong(start);
    items.push({
      char,
      count: Number(count),
      itemSize: wide ? Number(count) : itemSize,
      offset: Number(size),
      padding: Number(padding),
      formatOffset: start,
    });
    size += count * BigInt(itemSize);
    valueCount += wide ? 1 : char === "x" ? 0 : Number(count);
  }
  const value = { format, prefix, native, littleEndian: prefix !== ">" && prefix !== "!" };
  return { ok: true, value: { ...value, items, size: Number(size), exactSize: size, valueCount } };
}

/** `struct.calcsize(format)`: the packed size in bytes. */
export function calcsize(format: string): StructResult<number> {
  const parsed = parseStructFormat(format);
  return parsed.ok ? { ok: true, value: parsed.value.size } : parsed;
}

/** The format character of each value pack takes and unpack returns, in order (the first `limit` of them). */
export function valueChars(layout: StructLayout, limit = layout.valueCount): StructChar[] {
  const chars: StructChar[] = [];
  for (const item of layout.items) {
    if (item.char === "x") continue;
    const repeat = item.char === "s" || item.char === "p" ? 1 : item.count;
    for (let k = 0; k < repeat && chars.length < limit; k++) chars.push(item.char);
  }
  return chars;
}

function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

function tooLong(offset: number) {
  return structProblem("size-too-long", "total struct size too long", offset);
}

// CPython turns a str format into bytes with the strict ASCII codec; its error names the first run of
// non-ASCII characters by code point position.
function asciiProblem(format: string) {
  if (/^[\x00-\x7f]*$/.test(format)) return undefined;
  const chars = Array.from(format);
  const start = chars.findIndex((c) => c.codePointAt(0)! > 0x7f);
  let end = start + 1;
  while (end < chars.length && chars[end]!.codePointAt(0)! > 0x7f) end++;
  const where =
    end - start === 1
      ? `character '${pythonEscape(chars[start]!.codePointAt(0)!)}' in position ${start}`
      : `characters in position ${start}-${end - 1}`;
  return structProblem(
    "not-ascii",
    `'ascii' codec can't encode ${where}: ordinal not in range(128)`,
    chars.slice(0, start).join("").length,
    "UnicodeEncodeError",
  );
}

function pythonEscape(code: number): string {
  const hex = code.toString(16);
  if (code <= 0xff) return `\\x${hex.padStart(2, "0")}`;
  if (code <= 0xffff) return `\\u${hex.padStart(4, "0")}`;
  return `\\U${hex.padStart(8, "0")}`;
}
