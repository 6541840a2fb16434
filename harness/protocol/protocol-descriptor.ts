// The student's description of their application protocol (the `protocol:` section of the submission's
// manifest), checked into typed messages. Every problem is returned with the path of the offending entry,
// e.g. `protocol.messages[1].fields`, so a student can find it in their YAML.
//
//   protocol:
//     messages:
//       - name: reading
//         from: client
//         format: "!BHIfff?"
//         fields: [type, sensor, seq, temperature, humidity, pressure, alarm]
//         sequence: seq            # optional: the integer field that numbers the messages
//         kind: reading            # optional: reading or control (client); reply, ack, nack, error or control (server)
//         match: { type: 1 }       # optional: values that pick this message among others from the same side
//
// A match value matches the exact bytes Python's struct.pack gives for it. Messages sent by the same side
// must differ in size (one message per datagram or recv) or in the bytes their match values fix.

import { z } from "../schema/index.ts";
import { jsonBody, jsonSchema } from "./json-body.ts";
import { bodyFields, fixedSize, type MessageBody, type MessageField } from "./message-body.ts";
import type { FieldSlot } from "./protocol-fields.ts";
import {
  describeValue as describe,
  type MatchBytes,
  type MatchValue,
  matchesConflict,
  packMatch,
} from "./protocol-match.ts";
import { checkLayout, checkVariableParts, repeatSchema, tailSchema } from "./struct-body.ts";
import type { StructLayout } from "./struct-format.ts";
import { checkTextBody, textTypesSchema } from "./text-body.ts";

/** Which side sends a message. */
export type Direction = "client" | "server";

/** What a message is for: the client's readings and the server's answers to them, or control messages
 * (a greeting, a heartbeat, a goodbye) that the reading checks leave out. */
export const MESSAGE_KINDS = ["reading", "control", "reply", "ack", "nack", "error"] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** The kinds each side may declare. */
const KINDS_OF: Readonly<Record<Direction, readonly MessageKind[]>> = {
  client: ["reading", "control"],
  server: ["reply", "ack", "nack", "error", "control"],
};

/** One message of the protocol: how it is laid out (its body) and every field it carries. */
export interface ProtocolMessage {
  readonly name: string;
  readonly from: Direction;
  /** How the description shows it: the struct format of its head, its text pattern, or "JSON". */
  readonly format: string;
  /** Every field, head first (the struct head's in format order). */
  readonly fields: readonly MessageField[];
  readonly sequence?: string;
  /** Declared with `kind:`; without it, socklab tells control messages from their traffic. */
  readonly kind?: MessageKind;
  readonly match: Readonly<Record<string, MatchValue>>;
  /** Fields whose value need not vary (`constant:`): an id, a version, a unit. */
  readonly constant: readonly string[];
  readonly body: MessageBody;
  /** The entry as the manifest wrote it (passed on to programs that check it again, such as the link). */
  readonly written: Readonly<Record<string, unknown>>;
}

/** A checked protocol description. */
export interface Protocol {
  readonly messages: readonly ProtocolMessage[];
}

/** Something wrong with the description, at a YAML path such as `protocol.messages[0].format`. */
export interface ProtocolProblem {
  readonly path: string;
  readonly message: string;
}

/** The checked protocol, or every problem found in the description. */
export type ProtocolCheck = { ok: true; protocol: Protocol } | { ok: false; problems: ProtocolProblem[] };

/** A zod error message "expected …, got …", naming what the student wrote. */
const got = (what: string) => (issue: { input: unknown }) => `expected ${what}, got ${describe(issue.input)}`;

/** The `protocol:` section: a mapping with a non-empty list of messages. */
const sectionSchema = z.object(
  {
    messages: z
      .array(z.unknown(), { error: got("a list of messages") })
      .min(1, { error: "expected a list of messages, got an empty list" }),
  },
  { error: got("a mapping with `messages`") },
);

/** Each key of a message as written; what the values mean together is checked after. */
const messageKeys = {
  name: z.string({ error: got("a name") }).refine((name) => name.trim() !== "", { error: got("a name") }),
  from: z.enum(["client", "server"], { error: got("client or server") }),
  format: z.string({ error: got("a struct format string") }).optional(),
  text: z.string({ error: got("a regular expression with named groups") }).optional(),
  json: jsonSchema.optional(),
  // A list of names (struct), or a mapping of group: type (text); checked with the body.
  fields: z.unknown(),
  repeat: repeatSchema.optional(),
  tail: tailSchema.optional(),
  sequence: z.string({ error: got("a field name") }).optional(),
  kind: z.enum(MESSAGE_KINDS, { error: got(MESSAGE_KINDS.join(", ")) }).optional(),
  match: z
    .record(
      z.string(),
      z.union([z.number(), z.bigint(), z.boolean(), z.string()], {
        error: got("a number, a boolean or text"),
      }),
      { error: got("a mapping of field: value") },
    )
    .optional(),
  constant: z
    .array(z.string({ error: got("a field name") }), { error: got("a list of field names") })
    .optional(),
};
type MessageKey = keyof typeof messageKeys;
/** A message's keys that were written well. */
type WrittenMessage = { [K in MessageKey]?: z.output<(typeof messageKeys)[K]> };

/** A message entry: a mapping (its keys are read one by one, so that each problem is reported). */
const entrySchema = z.record(z.string(), z.unknown(), {
  error: got("a mapping with name, from, format and fields"),
});

/** A field name in `fields`. */
const fieldNameSchema = z
  .string({ error: got("a field name") })
  .refine((name) => name.trim() !== "", { error: got("a field name") });

/** Checks a parsed manifest (the object holding `protocol:`) and returns its typed protocol. */
export function checkProtocol(raw: unknown): ProtocolCheck {
  const problems: ProtocolProblem[] = [];
  const report = (path: string, message: string) => problems.push({ path, message });
  const holder = z.object({ protocol: z.unknown() }).safeParse(raw);
  if (!holder.success || holder.data.protocol === undefined) {
    report("protocol", "missing: describe your messages under `protocol: messages:`");
    return { ok: false, problems };
  }
  const section = sectionSchema.safeParse(holder.data.protocol);
  if (!section.success) {
    for (const issue of section.error.issues.slice(0, 1)) {
      report(["protocol", ...issue.path.map(String)].join("."), issue.message);
    }
    return { ok: false, problems };
  }
  const list = section.data.messages;
  // Each message read, then checked, before the next: its problems come together, in the order written.
  const written = list.map((entry, i) => readMessage(entry, `protocol.messages[${i}]`, report));
  const messages = written.map((w) => w?.checked);
  const firstByName = new Map<string, number>();
  written.forEach((w, i) => {
    const name = w?.message.name;
    if (name === undefined) return;
    const first = firstByName.get(name);
    if (first === undefined) firstByName.set(name, i);
    else report(`protocol.messages[${i}].name`, `"${name}" is already the name of messages[${first}]`);
  });
  if (!written.some((w) => w?.message.from === "client")) {
    report("protocol.messages", "no message is sent by the client (`from: client`)");
  }
  checkDistinguishable(messages, report);
  const checked = messages.filter((m) => m !== undefined);
  if (problems.length > 0 || checked.length !== messages.length) return { ok: false, problems };
  return { ok: true, protocol: { messages: checked } };
}

/**
 * A message entry read key by key with the message's schema (each problem reported at its key), then checked:
 * the keys written well, and the message when it is whole. Null when the entry is not a mapping at all.
 */
function readMessage(
  entry: unknown,
  path: string,
  report: (path: string, message: string) => void,
): { message: WrittenMessage; checked: ProtocolMessage | undefined } | null {
  const mapping = entrySchema.safeParse(entry);
  if (!mapping.success) {
    report(path, mapping.error.issues[0]!.message);
    return null;
  }
  let problems = 0;
  const known = Object.keys(messageKeys);
  for (const key of Object.keys(mapping.data)) {
    if (!known.includes(key)) {
      problems++;
      report(`${path}.${key}`, `unknown key (expected one of ${known.join(", ")})`);
    }
  }
  const message: WrittenMessage = {};
  const read = <K extends MessageKey>(key: K) => {
    const parsed = messageKeys[key].safeParse(mapping.data[key]);
    if (parsed.success) message[key] = parsed.data as WrittenMessage[K];
    else {
      problems++;
      const issue = parsed.error.issues[0]!;
      const inner = issue.path.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`));
      report(`${path}.${key}${inner.join("")}`, issue.message);
    }
  };
  for (const key of known) read(key as MessageKey);
  return { message, checked: checkMessage(message, mapping.data, problems, path, report) };
}

/** What a message's well-written keys mean together: its body, sequence, match values and constants. */
function checkMessage(
  written: WrittenMessage,
  entry: Readonly<Record<string, unknown>>,
  problems: number,
  path: string,
  report: (path: string, message: string) => void,
): ProtocolMessage | undefined {
  const found = { count: problems };
  const note = (at: string, message: string) => {
    found.count++;
    report(at, message);
  };
  const { name, from, sequence, kind, match, constant } = written;
  if (kind !== undefined && from !== undefined && !KINDS_OF[from].includes(kind)) {
    note(`${path}.kind`, `a message from the ${from} is ${KINDS_OF[from].join(" or ")}, not ${kind}`);
  }
  const body = checkBody(written, entry, path, note);
  const fields = body === undefined ? undefined : bodyFields(body);
  const byName = new Map(fields?.map((field) => [field.name, field]));
  if (sequence !== undefined && fields !== undefined) {
    const field = byName.get(sequence);
    if (field === undefined) note(`${path}.sequence`, `"${sequence}" is not one of the fields`);
    else if (field.type !== "int" || field.part === "tail") {
      const type = field.char === null ? field.type : `"${field.char}"`;
      note(`${path}.sequence`, `field "${sequence}" is ${type}, not an integer`);
    }
  }
  if (match !== undefined && body !== undefined && fields !== undefined) {
    for (const field of Object.keys(match)) {
      const known = byName.get(field);
      const inHead = body.type !== "struct" || body.slots.some((slot) => slot.name === field);
      if (known === undefined || !inHead) {
        const of = body.type === "struct" ? " of the head" : "";
        note(`${path}.match.${field}`, `"${field}" is not one of the fields${of}`);
      }
    }
  }
  for (const [j, field] of (constant ?? []).entries()) {
    if (fields !== undefined && !byName.has(field)) {
      note(`${path}.constant[${j}]`, `"${field}" is not one of the fields`);
    }
  }
  const matchBytes =
    body?.type === "struct" ? packMatches(body.layout, body.slots, match ?? {}, path, note) : [];
  if (found.count > 0 || name === undefined || from === undefined || body === undefined || !fields) {
    return undefined;
  }
  return {
    name,
    from,
    format: body.type === "struct" ? body.layout.format : body.type === "text" ? body.source : "JSON",
    fields,
    ...(sequence === undefined ? {} : { sequence }),
    ...(kind === undefined ? {} : { kind }),
    match: match ?? {},
    constant: constant ?? [],
    body: body.type === "struct" ? { ...body, matchBytes } : body,
    written: entry,
  };
}

/** The message's body: a struct (`format`), a text pattern (`text`) or a JSON document (`json`). */
function checkBody(
  written: WrittenMessage,
  entry: Readonly<Record<string, unknown>>,
  path: string,
  note: (path: string, message: string) => void,
): MessageBody | undefined {
  const { format, text, json, fields, repeat, tail } = written;
  const given = [format, text, json].filter((x) => x !== undefined).length;
  // A key written badly was reported when it was read; what depends on it is not checked.
  const bad = (key: "format" | "text" | "json" | "repeat" | "tail") =>
    entry[key] !== undefined && written[key] === undefined;
  if (["format", "text", "json", "repeat", "tail"].some((key) => bad(key as "repeat"))) return undefined;
  if (given !== 1) {
    note(
      `${path}.format`,
      given === 0
        ? "missing: give the message's `format` (struct), `text` (a regular expression) or `json` (field paths)"
        : "give only one of `format`, `text` and `json`",
    );
    return undefined;
  }
  if ((text !== undefined || json !== undefined) && (repeat !== undefined || tail !== undefined)) {
    const key = repeat !== undefined ? "repeat" : "tail";
    note(`${path}.${key}`, "only a struct message (`format`) has repeated groups or a tail");
    return undefined;
  }
  if (json !== undefined) {
    if (fields === undefined) return jsonBody(json);
    note(`${path}.fields`, "a JSON message names its fields under `json:` (path: type)");
    return undefined;
  }
  if (text !== undefined) {
    const types = fields === undefined ? undefined : textTypesSchema.safeParse(fields);
    if (types !== undefined && !types.success) {
      note(`${path}.fields`, types.error.issues[0]!.message);
      return undefined;
    }
    // The sequence group is a number even when `fields` does not say so.
    return checkTextBody(text, types?.data, path, note, written.sequence);
  }
  if (fields === undefined) {
    note(`${path}.fields`, "missing: one name per value the format packs");
    return undefined;
  }
  const list = z.array(z.unknown()).safeParse(fields);
  if (!list.success) {
    note(`${path}.fields`, `expected a list of field names, got ${describe(fields)}`);
    return undefined;
  }
  const names = checkFieldNames(list.data, `${path}.fields`, note);
  const head =
    names === undefined || format === undefined ? undefined : checkLayout(format, names, path, note);
  if (head === undefined) return undefined;
  const parts = checkVariableParts(head.slots, repeat, tail, path, note);
  if (parts === undefined) return undefined;
  return { type: "struct", ...head, ...parts, matchBytes: [] };
}

/** The bytes each match value fixes in a struct head. */
function packMatches(
  layout: StructLayout,
  slots: readonly FieldSlot[],
  match: Readonly<Record<string, MatchValue>>,
  path: string,
  note: (path: string, message: string) => void,
): MatchBytes[] {
  const matchBytes: MatchBytes[] = [];
  for (const [field, value] of Object.entries(match)) {
    const slot = slots.find((s) => s.name === field);
    if (slot === undefined) continue;
    const packed = packMatch(layout, slot, value);
    if (typeof packed === "string") note(`${path}.match.${field}`, packed);
    else matchBytes.push({ field, offset: slot.offset, bytes: packed });
  }
  return matchBytes;
}

function checkFieldNames(
  fields: readonly unknown[],
  path: string,
  note: (path: string, message: string) => void,
): string[] | undefined {
  const seen = new Map<string, number>();
  const names: string[] = [];
  fields.forEach((field, j) => {
    const parsed = fieldNameSchema.safeParse(field);
    if (!parsed.success) {
      note(`${path}[${j}]`, parsed.error.issues[0]!.message);
      return;
    }
    const first = seen.get(parsed.data);
    if (first === undefined) {
      seen.set(parsed.data, j);
      names.push(parsed.data);
    } else note(`${path}[${j}]`, `"${parsed.data}" is already the name of fields[${first}]`);
  });
  return names.length === fields.length ? names : undefined;
}

// Two fixed-size struct messages from the same side can be told apart if they differ in size or fix different
// bytes in the same place with their match values. Messages of variable size, text or JSON are told apart
// when they are read (two that both fit are reported there).
function checkDistinguishable(
  messages: readonly (ProtocolMessage | undefined)[],
  report: (path: string, message: string) => void,
): void {
  for (let j = 0; j < messages.length; j++) {
    const b = messages[j];
    if (b === undefined || b.body.type !== "struct" || fixedSize(b.body) === null) continue;
    for (let i = 0; i < j; i++) {
      const a = messages[i];
      if (a === undefined || a.from !== b.from || a.body.type !== "struct") continue;
      if (fixedSize(a.body) !== b.body.layout.size) continue;
      if (matchesConflict(a.body, b.body)) continue;
      report(
        `protocol.messages[${j}].match`,
        `messages "${a.name}" and "${b.name}" are both sent by the ${a.from} and both ${b.body.layout.size} bytes ` +
          "long; give them match values that differ in the same field (e.g. a type byte)",
      );
    }
  }
}
