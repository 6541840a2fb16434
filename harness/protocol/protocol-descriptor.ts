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
import { type FieldSlot, fieldSlots } from "./protocol-fields.ts";
import {
  describeValue as describe,
  type MatchBytes,
  type MatchValue,
  matchesConflict,
  packMatch,
} from "./protocol-match.ts";
import { parseStructFormat, type StructLayout } from "./struct-format.ts";
import { isIntegerChar } from "./struct-integers.ts";
import { pythonErrorLine } from "./struct-problem.ts";

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

/** One message of the protocol, with its struct layout and the place of each field. */
export interface ProtocolMessage {
  readonly name: string;
  readonly from: Direction;
  readonly format: string;
  readonly fields: readonly string[];
  readonly sequence?: string;
  /** Declared with `kind:`; without it, socklab tells control messages from their traffic. */
  readonly kind?: MessageKind;
  readonly match: Readonly<Record<string, MatchValue>>;
  readonly layout: StructLayout;
  readonly slots: readonly FieldSlot[];
  readonly matchBytes: readonly MatchBytes[];
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
  format: z.string({ error: got("a struct format string") }),
  fields: z.array(z.unknown(), { error: got("a list of field names") }),
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
      report(`${path}.${key}`, parsed.error.issues[0]!.message);
    }
  };
  for (const key of known) read(key as MessageKey);
  return { message, checked: checkMessage(message, problems, path, report) };
}

/** What a message's well-written keys mean together: its layout, fields, sequence and match bytes. */
function checkMessage(
  written: WrittenMessage,
  problems: number,
  path: string,
  report: (path: string, message: string) => void,
): ProtocolMessage | undefined {
  const found = { count: problems };
  const note = (at: string, message: string) => {
    found.count++;
    report(at, message);
  };
  const { name, from, format, fields, sequence, kind, match } = written;
  if (kind !== undefined && from !== undefined && !KINDS_OF[from].includes(kind)) {
    note(`${path}.kind`, `a message from the ${from} is ${KINDS_OF[from].join(" or ")}, not ${kind}`);
  }
  let layout: StructLayout | undefined;
  if (format !== undefined) {
    const parsed = parseStructFormat(format);
    if (parsed.ok) layout = parsed.value;
    else note(`${path}.format`, `${pythonErrorLine(parsed.problem)} (at character ${parsed.problem.offset})`);
  }
  const names = fields === undefined ? undefined : checkFieldNames(fields, `${path}.fields`, note);
  if (layout !== undefined && names !== undefined && names.length !== layout.valueCount) {
    note(
      `${path}.fields`,
      `format "${layout.format}" packs ${layout.valueCount} values but ${names.length} field names are given`,
    );
  }
  const slots = layout !== undefined && names !== undefined ? fieldSlots(layout, names) : undefined;
  const byName = new Map(slots?.map((slot) => [slot.name, slot]));
  if (sequence !== undefined && slots !== undefined) {
    const slot = byName.get(sequence);
    if (slot === undefined) note(`${path}.sequence`, `"${sequence}" is not one of the fields`);
    else if (!isIntegerChar(slot.char)) {
      note(`${path}.sequence`, `field "${sequence}" is "${slot.char}", not an integer`);
    }
  }
  const matchBytes: MatchBytes[] = [];
  if (match !== undefined && slots !== undefined && layout !== undefined) {
    for (const [field, value] of Object.entries(match)) {
      const slot = byName.get(field);
      if (slot === undefined) {
        note(`${path}.match.${field}`, `"${field}" is not one of the fields`);
        continue;
      }
      const packed = packMatch(layout, slot, value);
      if (typeof packed === "string") note(`${path}.match.${field}`, packed);
      else matchBytes.push({ field, offset: slot.offset, bytes: packed });
    }
  }
  if (
    found.count > 0 ||
    name === undefined ||
    from === undefined ||
    layout === undefined ||
    names === undefined ||
    slots === undefined
  ) {
    return undefined;
  }
  return {
    name,
    from,
    format: layout.format,
    fields: names,
    ...(sequence === undefined ? {} : { sequence }),
    ...(kind === undefined ? {} : { kind }),
    match: match ?? {},
    layout,
    slots,
    matchBytes,
  };
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

// Two messages from the same side can be told apart if they differ in size or fix different bytes in the
// same place with their match values.
function checkDistinguishable(
  messages: readonly (ProtocolMessage | undefined)[],
  report: (path: string, message: string) => void,
): void {
  for (let j = 0; j < messages.length; j++) {
    const b = messages[j];
    if (b === undefined) continue;
    for (let i = 0; i < j; i++) {
      const a = messages[i];
      if (a === undefined || a.from !== b.from || a.layout.size !== b.layout.size) continue;
      if (matchesConflict(a, b)) continue;
      report(
        `protocol.messages[${j}].match`,
        `messages "${a.name}" and "${b.name}" are both sent by the ${a.from} and both ${a.layout.size} bytes ` +
          "long; give them match values that differ in the same field (e.g. a type byte)",
      );
    }
  }
}
