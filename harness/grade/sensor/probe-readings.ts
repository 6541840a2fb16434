// Valid readings built from the student's protocol description, for socklab's sensor probe: match fields take
// their match values, the sequence field counts from 0, fields declared constant keep one value, other fields
// get plain values of their type. Struct
// readings are packed (one repeated group; a tail of text), JSON readings serialised, text readings written
// into the description's regular expression. The probe sends the bytes as given.
import {
  type FieldType,
  type FieldValue,
  type JsonBody,
  listPath,
  type MessageField,
  minimumSize,
  type Protocol,
  type ProtocolMessage,
  pack,
  type StructValue,
  type TextBody,
} from "../../protocol/index.ts";

/** The client's reading: the one declared `kind: reading`, else the client message with a sequence field,
 * else the one with the most fields (a control message, such as a greeting, carries fewer than the
 * readings), else the first; never one declared `kind: control`. */
export function readingMessage(protocol: Protocol): ProtocolMessage | null {
  const declared = protocol.messages.find((m) => m.from === "client" && m.kind === "reading");
  if (declared) return declared;
  const sent = protocol.messages.filter((m) => m.from === "client" && m.kind !== "control");
  const richest = [...sent].sort((a, b) => b.fields.length - a.fields.length)[0];
  return sent.find((m) => m.sequence !== undefined) ?? richest ?? null;
}

/** The value of a field in the k-th probe reading (k from 0). */
export function probeValue(message: ProtocolMessage, field: MessageField, k: number): FieldValue {
  const fixed = message.match[field.name];
  // A match value read from YAML is a number; one past 2^53 would have been rounded there already.
  if (fixed !== undefined) return typeof fixed === "bigint" ? Number(fixed) : fixed;
  if (field.name === message.sequence) return k;
  // A field declared constant (an id, a version) has the same value in every reading: a server may check it.
  if (message.constant.includes(field.name)) k = 0;
  switch (field.char) {
    case "c":
      return "A";
    case "s":
    case "p":
      return "S";
    default:
      return typed(field.type, k);
  }
}

function typed(type: FieldType, k: number): FieldValue {
  switch (type) {
    case "bool":
      return k % 2 === 0;
    case "float":
      return 20.5 + k;
    case "str":
      return "S1";
    default:
      return 1 + k;
  }
}

/** The bytes of the k-th probe reading, or null when socklab cannot build one (a text pattern it cannot
 * write into). `stream`: over TCP, text and JSON readings end with a line end. */
export function probeReading(message: ProtocolMessage, k: number, stream: boolean): Uint8Array | null {
  const { body } = message;
  if (body.type !== "struct") return documentBytes(message, body, k, stream ? "\n" : "");
  const asStruct = (v: FieldValue): StructValue => (typeof v === "string" ? new TextEncoder().encode(v) : v);
  const fieldOf = (name: string) => message.fields.find((f) => f.name === name);
  // The tail: read as fields (JSON, text) it is written from them; kept whole it is a short text.
  const tail =
    body.tail === null
      ? new Uint8Array()
      : body.tail.body !== null
        ? documentBytes(message, body.tail.body, k, "")
        : new TextEncoder().encode("probe");
  if (tail === null) return null;
  const head = body.slots.map((slot) => {
    if (body.repeat !== null && slot.name === body.repeat.count.name) return 1;
    if (body.tail?.length && slot.name === body.tail.length.name) return tail.length;
    const field = fieldOf(slot.name);
    return field === undefined ? 0 : probeValue(message, field, k);
  });
  const packedHead = pack(body.layout, head.map(asStruct));
  if (!packedHead.ok) return null;
  const parts = [packedHead.value];
  if (body.repeat !== null) {
    const group = body.repeat.slots.map((slot) => {
      const field = fieldOf(slot.name);
      return asStruct(field === undefined ? 0 : probeValue(message, field, k));
    });
    const packed = pack(body.repeat.layout, group);
    if (!packed.ok) return null;
    parts.push(packed.value);
  }
  parts.push(tail);
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

/** A JSON document or a text line of the k-th probe reading, from its fields, with `end` after it. */
function documentBytes(
  message: ProtocolMessage,
  body: TextBody | JsonBody,
  k: number,
  end: string,
): Uint8Array | null {
  const valueFor = (name: string): FieldValue => {
    const field = message.fields.find((f) => f.name === name);
    return field === undefined ? "" : probeValue(message, field, k);
  };
  if (body.type === "json") {
    const document: Record<string, unknown> = {};
    for (const name of Object.keys(body.types)) setPath(document, name, valueFor(name));
    // A path through `readings[]` was set under "readings"; nest it where the dots say.
    return new TextEncoder().encode(JSON.stringify(nestLists(document)) + end);
  }
  const text = writeText(body, valueFor);
  return text === null ? null : new TextEncoder().encode(text + end);
}

/** The key a top-level list is kept under while the document is built. */
const LIST = "\u0000list";

/** The document with each list kept under its dotted path moved to its place (`a.b` → {a: {b: […]}}). */
function nestLists(document: Record<string, unknown>): unknown {
  if (Object.hasOwn(document, LIST)) return document[LIST];
  const lists = Object.entries(document).filter(([key, value]) => Array.isArray(value) && key.includes("."));
  const out = Object.fromEntries(Object.entries(document).filter(([key]) => !lists.some(([k]) => k === key)));
  for (const [key, value] of lists) setPath(out, key, value);
  return out;
}

/** Sets `data.temperature` in a document, creating the objects on the way; `readings[].t` in the one item
 * of the list `readings` (`[].t`: the document is that list). */
function setPath(document: Record<string, unknown>, path: string, value: unknown): void {
  const list = listPath(path);
  if (list !== null) {
    const { list: listAt, item } = list;
    const key = listAt === "" ? LIST : listAt;
    if (!Array.isArray(document[key])) document[key] = [{}];
    const items = document[key] as unknown[];
    if (item === "") items[0] = value;
    else setPath(items[0] as Record<string, unknown>, item, value);
    return;
  }
  const keys = path.split(".");
  let at = document;
  for (const key of keys.slice(0, -1)) {
    if (typeof at[key] !== "object" || at[key] === null) at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  at[keys.at(-1)!] = value;
}

/**
 * A text message written into the description's pattern: each named group replaced by a rendering of its
 * value that its own sub-pattern accepts, the rest kept as literal text. Null when the pattern outside its
 * groups is not plain text (alternatives, classes, repetition) or the result does not match.
 */
export function writeText(body: TextBody, valueFor: (name: string) => FieldValue): string | null {
  const source = body.source.replaceAll("(?P<", "(?<").replace(/^\^/, "").replace(/\$$/, "");
  let out = "";
  for (let at = 0; at < source.length; ) {
    const c = source[at]!;
    if (source.startsWith("(?<", at) && /^\(\?<[A-Za-z_]/.test(source.slice(at))) {
      const end = closing(source, at);
      if (end < 0) return null;
      const name = /^\(\?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(source.slice(at))![1]!;
      const inner = source.slice(at + 3 + name.length + 1, end);
      // A rendering of the value the group accepts, else one of the group's own literal alternatives.
      const rendered = [...renderings(valueFor(name)), ...literalAlternatives(inner)].find((r) =>
        fullMatch(inner, r),
      );
      if (rendered === undefined) return null;
      out += rendered;
      at = end + 1;
      // A quantifier on a group ("(...)?") would make the literal reading uncertain.
      const next = source[at];
      if (next !== undefined && "?*+{".includes(next)) return null;
    } else if (c === "\\") {
      const next = source[at + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) return null; // \d, \s, \1: not literal
      out += next;
      at += 2;
    } else if ("[](){}*+?|.^$".includes(c)) {
      return null;
    } else {
      out += c;
      at++;
    }
  }
  return body.pattern.test(out) ? out : null;
}

/** The alternatives of a pattern that are plain text (`si|no` → si, no), as text. */
function literalAlternatives(pattern: string): string[] {
  const alternatives: string[] = [];
  let depth = 0;
  let start = 0;
  for (let at = 0; at <= pattern.length; at++) {
    const c = pattern[at];
    if (c === "\\") at++;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === undefined || (c === "|" && depth === 0)) {
      alternatives.push(pattern.slice(start, at));
      start = at + 1;
    }
  }
  return alternatives.flatMap((alternative) => {
    const text = alternative.replace(/^\((?:\?:)?(.*)\)$/, "$1");
    if (/(^|[^\\])[[\](){}*+?|.^$]/.test(text) || /\\[A-Za-z0-9]/.test(text)) return [];
    return [text.replace(/\\(.)/g, "$1")];
  });
}

/** Index of the parenthesis closing the one at `open`, or -1. */
function closing(source: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let at = open; at < source.length; at++) {
    const c = source[at]!;
    if (c === "\\") at++;
    else if (inClass) inClass = c !== "]";
    else if (c === "[") inClass = true;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return at;
  }
  return -1;
}

function fullMatch(pattern: string, text: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`, "su").test(text);
  } catch {
    return false;
  }
}

/** Ways to write a value in text, most usual first. */
function renderings(value: FieldValue): string[] {
  if (typeof value === "boolean") {
    return value ? ["1", "True", "true", "T", "yes", "ON"] : ["0", "False", "false", "F", "no", "OFF"];
  }
  if (typeof value === "number" && !Number.isInteger(value)) {
    return [value.toFixed(2), value.toFixed(1), String(value), value.toFixed(3)];
  }
  if (typeof value === "number" || typeof value === "bigint") return [String(value), `${value}.0`];
  if (typeof value === "string") return [value, value.toLowerCase(), "1", "A"];
  return [];
}

/** The fewest bytes one server message takes: how many bytes at least one reply is. */
function replySize(protocol: Protocol): number {
  const sizes = protocol.messages.filter((m) => m.from === "server").map((m) => minimumSize(m.body));
  return sizes.length > 0 ? Math.min(...sizes) : 0;
}

/** The probe's command-line argument: base64 of its JSON configuration; null when no reading can be built. */
export function probeConfig(
  protocol: Protocol,
  transport: "tcp" | "udp",
  host: string,
  port: number,
): string | null {
  const reading = readingMessage(protocol);
  if (!reading) return null;
  const readings = [0, 1, 2].map((k) => probeReading(reading, k, transport === "tcp"));
  if (readings.some((r) => r === null)) return null;
  const config = {
    transport,
    host,
    port,
    replySize: replySize(protocol),
    readings: readings.map((r) => Buffer.from(r!).toString("hex")),
  };
  return Buffer.from(JSON.stringify(config)).toString("base64");
}
