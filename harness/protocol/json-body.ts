// JSON messages: a JSON object whose fields are read at paths (`data.temperature`, `values.0`) with the
// types the description gives; paths through `[]` read each item of a list (a batch of readings). One document
// per datagram; over TCP, consecutive documents with or without whitespace (a newline) between them.
//
//   json: { type: str, seq: int, data.temperature: float, alarm: bool }
//   json: { batch: int, readings[].seq: int, readings[].t: float }

import { z } from "../schema/index.ts";
import { FIELD_TYPES, type FieldType, type FieldValue, type JsonBody } from "./message-body.ts";
import { describeValue as describe } from "./protocol-match.ts";
import { article } from "./text-body.ts";

const got = (what: string) => (issue: { input: unknown }) => `expected ${what}, got ${describe(issue.input)}`;

/** `json:` as written: field path → type. */
export const jsonSchema = z
  .record(z.string(), z.enum(FIELD_TYPES, { error: got(FIELD_TYPES.join(", ")) }), {
    error: got("a mapping of field path: type (int, float, bool, str)"),
  })
  .refine((types) => Object.keys(types).length > 0, { error: "expected at least one field path" })
  .refine((types) => Object.keys(types).every((path) => path.split("[]").length <= 2), {
    error: "a path goes through one list at most (`readings[].t`)",
  })
  .refine((types) => new Set(Object.keys(types).flatMap((p) => listPath(p)?.list ?? [])).size <= 1, {
    error: "the paths through `[]` must all read the same list",
  });

/** A path through a list, `readings[].t`: the list's path (`readings`, "" for a top-level list) and the path
 * in each item (`t`, "" for the item itself); null for a plain path. */
export function listPath(path: string): { list: string; item: string } | null {
  const at = path.indexOf("[]");
  if (at < 0) return null;
  return { list: path.slice(0, at).replace(/\.$/, ""), item: path.slice(at + 2).replace(/^\./, "") };
}

export function jsonBody(types: Readonly<Record<string, FieldType>>): JsonBody {
  return { type: "json", types };
}

const isSpace = (byte: number) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;

/**
 * How many bytes the JSON document at the start of a TCP stream takes, with the whitespace around it: a
 * size, "more" while it is not whole, or null when the bytes do not start an object or array.
 */
export function measureJson(bytes: Uint8Array): number | "more" | null {
  let at = 0;
  while (at < bytes.length && isSpace(bytes[at]!)) at++;
  if (at === bytes.length) return "more";
  if (bytes[at] !== 0x7b && bytes[at] !== 0x5b) return null;
  let depth = 0;
  let inString = false;
  for (; at < bytes.length; at++) {
    const byte = bytes[at]!;
    if (inString) {
      if (byte === 0x5c) at++;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) depth++;
    else if (byte === 0x7d || byte === 0x5d) {
      depth--;
      if (depth === 0) {
        at++;
        while (at < bytes.length && isSpace(bytes[at]!)) at++;
        return at;
      }
    }
  }
  return "more";
}

/** A JSON message's fields, or why the bytes are not one. */
export function readJson(
  body: JsonBody,
  bytes: Uint8Array,
): { fields: Record<string, FieldValue>; groups: Record<string, FieldValue>[] } | { reason: string } {
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    return { reason: `not a JSON document (${(error as Error).message})` };
  }
  if (typeof document !== "object" || document === null) return { reason: "not a JSON object" };
  const fields: Record<string, FieldValue> = {};
  const inList: [string, { list: string; item: string }, FieldType][] = [];
  for (const [path, type] of Object.entries(body.types)) {
    const list = listPath(path);
    if (list !== null) {
      inList.push([path, list, type]);
      continue;
    }
    const value = at(document, path);
    if (value === undefined) return { reason: `it has no "${path}"` };
    const typed = asType(value, type);
    if (typed === undefined) return { reason: `"${path}" is ${JSON.stringify(value)}, not ${article(type)}` };
    fields[path] = typed;
  }
  if (inList.length === 0) return { fields, groups: [] };
  const listAt = inList[0]![1].list;
  const items = listAt === "" ? document : at(document, listAt);
  if (!Array.isArray(items)) return { reason: `"${listAt || "the document"}" is not a list` };
  const groups: Record<string, FieldValue>[] = [];
  for (const [k, item] of items.entries()) {
    const group: Record<string, FieldValue> = {};
    for (const [path, list, type] of inList) {
      const value = list.item === "" ? item : at(item, list.item);
      if (value === undefined) return { reason: `item ${k} of "${listAt}" has no "${list.item}"` };
      const typed = asType(value, type);
      if (typed === undefined)
        return { reason: `"${path}" of item ${k} is ${JSON.stringify(value)}, not ${article(type)}` };
      group[path] = typed;
    }
    groups.push(group);
  }
  return { fields, groups };
}

/** The value at a dotted path (`data.temperature`, `values.0`); a key with a dot in it is tried whole first. */
function at(document: unknown, path: string): unknown {
  if (typeof document !== "object" || document === null) return undefined;
  const record = document as Record<string, unknown>;
  if (Object.hasOwn(record, path)) return record[path];
  const dot = path.indexOf(".");
  if (dot < 0) return undefined;
  const head = path.slice(0, dot);
  return Object.hasOwn(record, head) ? at(record[head], path.slice(dot + 1)) : undefined;
}

function asType(value: unknown, type: FieldType): FieldValue | undefined {
  switch (type) {
    case "int":
      return typeof value === "number" && Number.isInteger(value) ? value : undefined;
    case "float":
      return typeof value === "number" ? value : undefined;
    case "bool":
      if (typeof value === "boolean") return value;
      return value === 0 || value === 1 ? value === 1 : undefined;
    default:
      // Text, or a number or flag the description calls text (a sensor id sent as 7 or "7").
      return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
        ? String(value)
        : undefined;
  }
}
