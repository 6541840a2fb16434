// Struct messages: a head packed with a struct format, then optionally `count` groups of another format (a
// batch, the count being a head field) and a tail (a length-prefixed string or bytes, or bytes to the end of
// the datagram). Checked from the description, measured in a byte stream, and read.
//
//   format: "!BHB"                 fields: [type, batch, n]
//   repeat: { count: n, format: "!Iff", fields: [seq, temperature, humidity] }
//   tail:   { field: location, length: len, as: text }

import { z } from "../schema/index.ts";
import { jsonBody, jsonSchema, readJson } from "./json-body.ts";
import type { FieldValue, JsonBody, RepeatGroup, StructBody, StructTail, TextBody } from "./message-body.ts";
import { type FieldSlot, fieldSlots } from "./protocol-fields.ts";
import { describeValue as describe } from "./protocol-match.ts";
import { parseStructFormat, type StructLayout } from "./struct-format.ts";
import { isIntegerChar } from "./struct-integers.ts";
import { unpack } from "./struct-pack.ts";
import { pythonErrorLine } from "./struct-problem.ts";
import { checkTextBody, readText, textTypesSchema } from "./text-body.ts";

const got = (what: string) => (issue: { input: unknown }) => `expected ${what}, got ${describe(issue.input)}`;

/** `repeat:` as written. */
export const repeatSchema = z.strictObject(
  {
    count: z.string({ error: got("the name of the head field holding the count") }),
    format: z.string({ error: got("a struct format string") }),
    fields: z.array(z.string({ error: got("a field name") }), { error: got("a list of field names") }),
  },
  { error: got("a mapping with count, format and fields") },
);

/** `tail:` as written: a named field of text or bytes, or a JSON document or a line of text read as fields. */
export const tailSchema = z.strictObject(
  {
    field: z.string({ error: got("a field name") }).optional(),
    length: z.string({ error: got("the name of the head field holding the length") }).optional(),
    as: z.enum(["text", "bytes"], { error: got("text or bytes") }).optional(),
    json: jsonSchema.optional(),
    text: z.string({ error: got("a regular expression with named groups") }).optional(),
    fields: textTypesSchema.optional(),
  },
  { error: got("a mapping with field (or json, or text), and optionally length and as") },
);

type Note = (path: string, message: string) => void;

/** A struct format and its field names, checked; undefined after a problem (noted). */
export function checkLayout(
  format: string,
  names: readonly string[],
  path: string,
  note: Note,
): { layout: StructLayout; slots: FieldSlot[] } | undefined {
  const parsed = parseStructFormat(format);
  if (!parsed.ok) {
    note(`${path}.format`, `${pythonErrorLine(parsed.problem)} (at character ${parsed.problem.offset})`);
    return undefined;
  }
  const layout = parsed.value;
  if (names.length !== layout.valueCount) {
    note(
      `${path}.fields`,
      `format "${layout.format}" packs ${layout.valueCount} values but ${names.length} field names are given`,
    );
    return undefined;
  }
  return { layout, slots: fieldSlots(layout, names) };
}

/** The variable parts of a struct message, checked against its head. */
export function checkVariableParts(
  head: readonly FieldSlot[],
  repeat: z.output<typeof repeatSchema> | undefined,
  tail: z.output<typeof tailSchema> | undefined,
  path: string,
  note: Note,
): { repeat: RepeatGroup | null; tail: StructTail | null } | undefined {
  let ok = true;
  const fail = (at: string, message: string) => {
    ok = false;
    note(at, message);
  };
  const names = new Set(head.map((s) => s.name));
  const integerHead = (name: string, at: string): FieldSlot | undefined => {
    const slot = head.find((s) => s.name === name);
    if (slot === undefined) fail(at, `"${name}" is not one of the fields of the head (\`fields\`)`);
    else if (!isIntegerChar(slot.char)) fail(at, `field "${name}" is "${slot.char}", not an integer`);
    return slot;
  };
  let group: RepeatGroup | null = null;
  if (repeat !== undefined) {
    const count = integerHead(repeat.count, `${path}.repeat.count`);
    repeat.fields.forEach((name, j) => {
      if (names.has(name)) fail(`${path}.repeat.fields[${j}]`, `"${name}" is already a field of the message`);
      names.add(name);
    });
    const layout = checkLayout(repeat.format, repeat.fields, `${path}.repeat`, fail);
    if (layout !== undefined && layout.layout.size === 0) {
      fail(`${path}.repeat.format`, "a repeated group takes at least one byte");
    }
    if (count !== undefined && layout !== undefined) group = { count, ...layout };
  }
  let end: StructTail | null = null;
  if (tail !== undefined) {
    const nested = [tail.field, tail.json, tail.text].filter((x) => x !== undefined).length;
    if (nested !== 1) {
      fail(
        `${path}.tail`,
        nested === 0
          ? "give the tail's `field` (text or bytes), or `json` or `text` to read it as fields"
          : "give only one of `field`, `json` and `text`",
      );
    }
    if (tail.fields !== undefined && tail.text === undefined) {
      fail(`${path}.tail.fields`, "types of the groups of a `text` tail: give `text` too");
    }
    let body: TextBody | JsonBody | null = null;
    if (tail.json !== undefined) body = jsonBody(tail.json);
    if (tail.text !== undefined) body = checkTextBody(tail.text, tail.fields, `${path}.tail`, fail) ?? null;
    for (const name of body === null ? [tail.field ?? ""] : Object.keys(body.types)) {
      if (names.has(name)) fail(`${path}.tail`, `"${name}" is already a field of the message`);
      names.add(name);
    }
    const length = tail.length === undefined ? null : integerHead(tail.length, `${path}.tail.length`);
    if (length !== undefined) end = { field: tail.field ?? "", length, as: tail.as ?? "bytes", body };
  }
  return ok ? { repeat: group, tail: end } : undefined;
}

/** How many bytes a struct message takes at the start of `bytes`: a size, "more" (not all here yet), or a
 * reason it cannot be one. `toEnd`: a tail without a length runs to the end of `bytes`. */
export function measureStruct(body: StructBody, bytes: Uint8Array): number | "more" | { reason: string } {
  const { layout } = body;
  if (bytes.length < layout.size) return "more";
  if (body.repeat === null && body.tail === null) return layout.size;
  const head = unpackOrThrow(layout, bytes.subarray(0, layout.size));
  let size = layout.size;
  if (body.repeat !== null) {
    const count = Number(head[body.repeat.count.index]);
    if (count < 0) return { reason: `its count "${body.repeat.count.name}" is ${count}` };
    size += count * body.repeat.layout.size;
  }
  if (body.tail !== null) {
    if (body.tail.length === null) return Math.max(size, bytes.length);
    const length = Number(head[body.tail.length.index]);
    if (length < 0) return { reason: `its length "${body.tail.length.name}" is ${length}` };
    size += length;
  }
  return bytes.length < size ? "more" : size;
}

/** A struct message's values: the head's by name, each group's, and the tail's (a JSON or text tail read as
 * fields: the reason when it is not one). `bytes` is its exact size. */
export function readStruct(
  body: StructBody,
  bytes: Uint8Array,
):
  | { values: FieldValue[]; fields: Record<string, FieldValue>; groups: Record<string, FieldValue>[] }
  | { reason: string } {
  const values = unpackOrThrow(body.layout, bytes.subarray(0, body.layout.size));
  const fields: Record<string, FieldValue> = Object.fromEntries(
    body.slots.map((slot) => [slot.name, values[slot.index]!]),
  );
  let at = body.layout.size;
  const groups: Record<string, FieldValue>[] = [];
  if (body.repeat !== null) {
    const { layout, slots } = body.repeat;
    const count = Number(values[body.repeat.count.index]);
    for (let k = 0; k < count; k++) {
      const item = unpackOrThrow(layout, bytes.subarray(at, at + layout.size));
      groups.push(Object.fromEntries(slots.map((slot) => [slot.name, item[slot.index]!])));
      at += layout.size;
    }
  }
  if (body.tail !== null) {
    const tail = bytes.subarray(at);
    const nested = body.tail.body;
    if (nested !== null) {
      const read =
        nested.type === "json" ? readJson(nested, tail) : { groups: [], ...readText(nested, tail) };
      if ("reason" in read) return { reason: `its tail: ${read.reason}` };
      Object.assign(fields, read.fields);
      groups.push(...read.groups);
    } else {
      fields[body.tail.field] =
        body.tail.as === "text" ? new TextDecoder().decode(tail) : Uint8Array.from(tail);
    }
  }
  return { values, fields, groups };
}

// The sizes were measured before, and unpack refuses nothing else for a parsed layout.
function unpackOrThrow(layout: StructLayout, bytes: Uint8Array) {
  const unpacked = unpack(layout, bytes);
  if (!unpacked.ok)
    throw new Error(`internal: unpack refused "${layout.format}": ${unpacked.problem.message}`);
  return unpacked.value;
}
