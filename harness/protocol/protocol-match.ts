// Match values: the field values that pick a message among the messages one side sends. A match value
// stands for the exact bytes Python's struct.pack gives for it in its field's place, so matching and the
// check that two messages cannot be confused both compare bytes.

import type { FieldSlot } from "./protocol-fields.ts";
import type { StructLayout } from "./struct-format.ts";
import { pack, type StructValue } from "./struct-pack.ts";
import { pythonErrorLine } from "./struct-problem.ts";

/** A match value as YAML gives it: a number, a bool, or a string for c, s and p fields. */
export type MatchValue = number | bigint | boolean | string;

/** Bytes a match value fixes in a message. */
export interface MatchBytes {
  readonly field: string;
  readonly offset: number;
  readonly bytes: Uint8Array;
}

/** The bytes pack gives for a match value in its field's place, or why the value does not fit. */
export function packMatch(layout: StructLayout, slot: FieldSlot, value: unknown): Uint8Array | string {
  const { char } = slot;
  const where = `field "${slot.name}" ("${char}")`;
  const wide = char === "s" || char === "p";
  let packable: StructValue;
  if (char === "c" || wide) {
    if (typeof value !== "string") return `expected a string for ${where}, got ${describeValue(value)}`;
    packable = new TextEncoder().encode(value);
    const room = char === "c" ? 1 : char === "s" ? slot.size : Math.max(slot.size - 1, 0);
    if (char === "c" && packable.length !== 1) {
      return `expected exactly one byte for ${where}, got "${value}"`;
    }
    if (packable.length > room) return `"${value}" is longer than the ${room} bytes of ${where}`;
  } else if (char === "?") {
    if (typeof value !== "boolean") return `expected true or false for ${where}, got ${describeValue(value)}`;
    packable = value;
  } else {
    if (typeof value !== "number" && typeof value !== "bigint") {
      return `expected a number for ${where}, got ${describeValue(value)}`;
    }
    packable = value;
  }
  const single = `${layout.prefix}${wide ? slot.size : ""}${char}`;
  const packed = pack(single, [packable]);
  return packed.ok
    ? packed.value
    : `${where} cannot hold ${describeValue(value)}: ${pythonErrorLine(packed.problem)}`;
}

/** Whether no message can satisfy both messages' match values (they fix some byte differently). */
export function matchesConflict(
  a: { readonly matchBytes: readonly MatchBytes[] },
  b: { readonly matchBytes: readonly MatchBytes[] },
): boolean {
  for (const x of a.matchBytes) {
    for (const y of b.matchBytes) {
      const start = Math.max(x.offset, y.offset);
      const end = Math.min(x.offset + x.bytes.length, y.offset + y.bytes.length);
      for (let at = start; at < end; at++) {
        if (x.bytes[at - x.offset] !== y.bytes[at - y.offset]) return true;
      }
    }
  }
  return false;
}

/** A YAML value as a problem message names it: `"text"`, `3`, `a list`, `nothing`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object") return "a mapping";
  return String(value);
}
