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
//         match: { type: 1 }       # optional: values that pick this message among others from the same side
//
// A match value matches the exact bytes Python's struct.pack gives for it. Messages sent by the same side
// must differ in size (one message per datagram or recv) or in the bytes their match values fix.

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

/** One message of the protocol, with its struct layout and the place of each field. */
export interface ProtocolMessage {
  readonly name: string;
  readonly from: Direction;
  readonly format: string;
  readonly fields: readonly string[];
  readonly sequence?: string;
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

const MESSAGE_KEYS = new Set(["name", "from", "format", "fields", "sequence", "match"]);

/** Checks a parsed manifest (the object holding `protocol:`) and returns its typed protocol. */
export function checkProtocol(raw: unknown): ProtocolCheck {
  const problems: ProtocolProblem[] = [];
  const report = (path: string, message: string) => problems.push({ path, message });
  if (!isRecord(raw) || raw.protocol === undefined) {
    report("protocol", "missing: describe your messages under `protocol: messages:`");
    return { ok: false, problems };
  }
  if (!isRecord(raw.protocol)) {
    report("protocol", `expected a mapping with \`messages\`, got ${describe(raw.protocol)}`);
    return { ok: false, problems };
  }
  const list = raw.protocol.messages;
  if (!Array.isArray(list) || list.length === 0) {
    const got = Array.isArray(list) ? "an empty list" : describe(list);
    report("protocol.messages", `expected a list of messages, got ${got}`);
    return { ok: false, problems };
  }
  const messages: (ProtocolMessage | undefined)[] = list.map((entry, i) =>
    checkMessage(entry, `protocol.messages[${i}]`, report),
  );
  const firstByName = new Map<string, number>();
  list.forEach((entry, i) => {
    const name = isRecord(entry) ? entry.name : undefined;
    if (typeof name !== "string") return;
    const first = firstByName.get(name);
    if (first === undefined) firstByName.set(name, i);
    else report(`protocol.messages[${i}].name`, `"${name}" is already the name of messages[${first}]`);
  });
  if (!list.some((entry) => isRecord(entry) && entry.from === "client")) {
    report("protocol.messages", "no message is sent by the client (`from: client`)");
  }
  checkDistinguishable(messages, report);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, protocol: { messages: messages as ProtocolMessage[] } };
}

function checkMessage(
  entry: unknown,
  path: string,
  report: (path: string, message: string) => void,
): ProtocolMessage | undefined {
  if (!isRecord(entry)) {
    report(path, `expected a mapping with name, from, format and fields, got ${describe(entry)}`);
    return undefined;
  }
  const found = { count: 0 };
  const note = (at: string, message: string) => {
    found.count++;
    report(at, message);
  };
  for (const key of Object.keys(entry)) {
    if (!MESSAGE_KEYS.has(key))
      note(`${path}.${key}`, `unknown key (expected one of ${[...MESSAGE_KEYS].join(", ")})`);
  }
  const { name, from, format, fields, sequence, match } = entry;
  if (typeof name !== "string" || name.trim() === "")
    note(`${path}.name`, `expected a name, got ${describe(name)}`);
  if (from !== "client" && from !== "server") {
    note(`${path}.from`, `expected client or server, got ${describe(from)}`);
  }
  let layout: StructLayout | undefined;
  if (typeof format !== "string")
    note(`${path}.format`, `expected a struct format string, got ${describe(format)}`);
  else {
    const parsed = parseStructFormat(format);
    if (parsed.ok) layout = parsed.value;
    else note(`${path}.format`, `${pythonErrorLine(parsed.problem)} (at character ${parsed.problem.offset})`);
  }
  const names = checkFieldNames(fields, `${path}.fields`, note);
  if (layout !== undefined && names !== undefined && names.length !== layout.valueCount) {
    note(
      `${path}.fields`,
      `format "${layout.format}" packs ${layout.valueCount} values but ${names.length} field names are given`,
    );
  }
  const slots = layout !== undefined && names !== undefined ? fieldSlots(layout, names) : undefined;
  const byName = new Map(slots?.map((slot) => [slot.name, slot]));
  if (sequence !== undefined) {
    if (typeof sequence !== "string")
      note(`${path}.sequence`, `expected a field name, got ${describe(sequence)}`);
    else if (slots !== undefined) {
      const slot = byName.get(sequence);
      if (slot === undefined) note(`${path}.sequence`, `"${sequence}" is not one of the fields`);
      else if (!isIntegerChar(slot.char)) {
        note(`${path}.sequence`, `field "${sequence}" is "${slot.char}", not an integer`);
      }
    }
  }
  const matchBytes: MatchBytes[] = [];
  if (match !== undefined) {
    if (!isRecord(match)) note(`${path}.match`, `expected a mapping of field: value, got ${describe(match)}`);
    else if (slots !== undefined && layout !== undefined) {
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
  }
  if (found.count > 0 || layout === undefined || names === undefined || slots === undefined) {
    return undefined;
  }
  return {
    name: name as string,
    from: from as Direction,
    format: layout.format,
    fields: names,
    ...(sequence === undefined ? {} : { sequence: sequence as string }),
    match: (match ?? {}) as Record<string, MatchValue>,
    layout,
    slots,
    matchBytes,
  };
}

function checkFieldNames(
  fields: unknown,
  path: string,
  note: (path: string, message: string) => void,
): string[] | undefined {
  if (!Array.isArray(fields)) {
    note(path, `expected a list of field names, got ${describe(fields)}`);
    return undefined;
  }
  const seen = new Map<string, number>();
  let ok = true;
  fields.forEach((field, j) => {
    if (typeof field !== "string" || field.trim() === "") {
      note(`${path}[${j}]`, `expected a field name, got ${describe(field)}`);
      ok = false;
      return;
    }
    const first = seen.get(field);
    if (first === undefined) seen.set(field, j);
    else {
      note(`${path}[${j}]`, `"${field}" is already the name of fields[${first}]`);
      ok = false;
    }
  });
  return ok ? (fields as string[]) : undefined;
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}
