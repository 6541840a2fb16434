// How one message of the student's protocol is laid out on the wire: a struct (a fixed head, then optionally
// a repeated group whose count is a head field and a tail of bytes or text), a line of text read with a
// regular expression, or a JSON document read at field paths. Every body names its fields with a type, so the
// checks read any message the same way.

import type { FieldSlot } from "./protocol-fields.ts";
import type { MatchBytes } from "./protocol-match.ts";
import type { StructChar, StructLayout } from "./struct-format.ts";
import type { StructValue } from "./struct-pack.ts";

/** The type of a text or JSON field, as the description writes it. */
export const FIELD_TYPES = ["int", "float", "bool", "str"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** A decoded value: what struct.unpack gives, or text. */
export type FieldValue = StructValue | string;

/** The `count` groups that follow a struct head (a batch of readings). */
export interface RepeatGroup {
  /** The head field holding how many groups follow. */
  readonly count: FieldSlot;
  readonly layout: StructLayout;
  readonly slots: readonly FieldSlot[];
}

/** Bytes after the head and the groups: `length` bytes (a head field), or to the end of the datagram; one
 * field of text or bytes, or a JSON document or a text line read as fields (`body`). */
export interface StructTail {
  /** The field's name ("" when the tail is read as fields). */
  readonly field: string;
  readonly length: FieldSlot | null;
  readonly as: "text" | "bytes";
  readonly body: TextBody | JsonBody | null;
}

export interface StructBody {
  readonly type: "struct";
  /** The head: the message's `format`. */
  readonly layout: StructLayout;
  readonly slots: readonly FieldSlot[];
  readonly repeat: RepeatGroup | null;
  readonly tail: StructTail | null;
  /** The bytes the message's match values fix in its head. */
  readonly matchBytes: readonly MatchBytes[];
}

export interface TextBody {
  readonly type: "text";
  /** The regular expression as written. */
  readonly source: string;
  /** It, anchored to the whole message. */
  readonly pattern: RegExp;
  /** Each named group, in order, with its type. */
  readonly types: Readonly<Record<string, FieldType>>;
}

export interface JsonBody {
  readonly type: "json";
  /** Each field path (`data.temperature`), in order, with its type. */
  readonly types: Readonly<Record<string, FieldType>>;
}

export type MessageBody = StructBody | TextBody | JsonBody;

/** One named value of a message, wherever it sits. */
export interface MessageField {
  readonly name: string;
  readonly type: FieldType;
  /** Its struct format character (struct bodies). */
  readonly char: StructChar | null;
  /** Where it is: the head (or the whole text/JSON message), a repeated group, or the tail. */
  readonly part: "head" | "group" | "tail";
}

/** The field type a struct format character reads as. */
export function structFieldType(char: StructChar): FieldType {
  if (char === "?") return "bool";
  if (char === "e" || char === "f" || char === "d") return "float";
  if (char === "c" || char === "s" || char === "p") return "str";
  return "int";
}

/** Every field of a body, head first. */
export function bodyFields(body: MessageBody): MessageField[] {
  if (body.type !== "struct") {
    // A JSON path through a list (`readings[].t`) is a field of each item, as a repeated group's are.
    return Object.entries(body.types).map(([name, type]) => ({
      name,
      type,
      char: null,
      part: body.type === "json" && name.includes("[]") ? "group" : "head",
    }));
  }
  const slot = (part: MessageField["part"]) => (s: FieldSlot) => ({
    name: s.name,
    type: structFieldType(s.char),
    char: s.char,
    part,
  });
  // A tail read as fields carries measurements like the head's; a tail kept whole is one field of its own.
  const nested = body.tail?.body ?? null;
  const tail: MessageField[] =
    body.tail === null
      ? []
      : nested !== null
        ? bodyFields(nested).map((f) => ({ ...f, part: f.part === "group" ? "group" : "head" }))
        : [{ name: body.tail.field, type: "str", char: null, part: "tail" }];
  return [...body.slots.map(slot("head")), ...(body.repeat?.slots.map(slot("group")) ?? []), ...tail];
}

/** The size every message of this body has, or null when it varies (groups, a tail, text, JSON). */
export function fixedSize(body: MessageBody): number | null {
  return body.type === "struct" && body.repeat === null && body.tail === null ? body.layout.size : null;
}

/** The fewest bytes a message of this body takes (its struct head; 1 for text and JSON). */
export function minimumSize(body: MessageBody): number {
  return body.type === "struct" ? body.layout.size : 1;
}
