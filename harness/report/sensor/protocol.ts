// The student's application protocol as the report describes it: per message its struct format, size, byte
// order and kinds of data, an RFC-style packet diagram and a table of its fields.
import {
  dataKinds,
  fieldTable,
  type Protocol,
  type ProtocolMessage,
  packetDiagram,
  type StructLayout,
} from "../../protocol/index.ts";
import { code, fenced, table } from "../markdown.ts";

export interface ProtocolSectionOptions {
  /** Markdown heading level of each message's heading (default 3). */
  readonly headingLevel?: number;
}

/** Describes every message of the protocol: heading, facts, packet diagram and field table. */
export function protocolSection(protocol: Protocol, options: ProtocolSectionOptions = {}): string {
  const hashes = "#".repeat(Math.min(6, Math.max(1, options.headingLevel ?? 3)));
  if (protocol.messages.length === 0) return "The protocol describes no messages.";
  return protocol.messages.map((message) => messageSection(message, hashes)).join("\n\n");
}

function messageSection(message: ProtocolMessage, hashes: string): string {
  const to = message.from === "client" ? "server" : "client";
  const kinds = dataKinds(message);
  const facts = [
    ...bodyFacts(message),
    `- kinds of data: ${kinds.length === 0 ? "none" : kinds.join(", ")} (${kinds.length})`,
  ];
  if (message.kind !== undefined) facts.push(`- kind: ${message.kind}`);
  if (message.sequence !== undefined) facts.push(`- sequence number: ${code(message.sequence)}`);
  const match = Object.entries(message.match);
  if (match.length > 0) {
    facts.push(
      `- recognised by: ${match.map(([field, value]) => code(`${field} = ${matchText(value)}`)).join(", ")}`,
    );
  }
  if (message.constant.length > 0) {
    facts.push(`- constant (need not vary): ${message.constant.map((f) => code(f)).join(", ")}`);
  }
  return [
    `${hashes} ${message.name} (${message.from} → ${to})`,
    "",
    ...facts,
    "",
    ...bodyPicture(message),
  ].join("\n");
}

/** What the message's body is: its struct formats and sizes, its text pattern, or JSON. */
function bodyFacts(message: ProtocolMessage): string[] {
  const { body } = message;
  if (body.type === "text") {
    return [`- text: ${code(body.source)} (one message per datagram, or per line over TCP)`];
  }
  if (body.type === "json")
    return ["- JSON object (one document per datagram; consecutive documents over TCP)"];
  const { layout } = body;
  const facts = [
    `- struct format: ${code(layout.format)} (${layout.valueCount} ${layout.valueCount === 1 ? "value" : "values"})`,
    `- size: ${layout.size} ${layout.size === 1 ? "byte" : "bytes"}${paddingNote(body.slots, layout)}${body.repeat || body.tail ? " (the head)" : ""}`,
    `- byte order: ${byteOrder(layout)}`,
  ];
  if (body.repeat !== null) {
    facts.push(
      `- then ${code(body.repeat.count.name)} groups of ${code(body.repeat.layout.format)} (${body.repeat.layout.size} bytes each)`,
    );
  }
  if (body.tail !== null) {
    const length =
      body.tail.length === null ? "to the end of the datagram" : `${code(body.tail.length.name)} bytes`;
    facts.push(`- then ${code(body.tail.field)}: ${length} of ${body.tail.as}`);
  }
  return facts;
}

/** The packet diagram and field table (struct), or the table of fields and types (text, JSON). */
function bodyPicture(message: ProtocolMessage): string[] {
  const { body } = message;
  if (body.type !== "struct") {
    return table(
      [body.type === "json" ? "path" : "group", "type"],
      message.fields.map((f) => [code(f.name), f.type]),
    ).split("\n");
  }
  const names = (slots: readonly { name: string }[]) => slots.map((s) => s.name);
  const picture = [
    fenced(packetDiagram(body.layout, names(body.slots)), "text"),
    "",
    ...fieldTable(body.layout, names(body.slots)),
  ];
  if (body.repeat !== null) {
    picture.push(
      "",
      `Each of the ${code(body.repeat.count.name)} groups:`,
      "",
      fenced(packetDiagram(body.repeat.layout, names(body.repeat.slots)), "text"),
      "",
      ...fieldTable(body.repeat.layout, names(body.repeat.slots)),
    );
  }
  return picture;
}

// Alignment padding and pad bytes: the difference between calcsize and the bytes the values occupy.
function paddingNote(slots: readonly { size: number }[], layout: StructLayout): string {
  const used = slots.reduce((sum, slot) => sum + slot.size, 0);
  const padding = layout.size - used;
  return padding > 0 ? `, of which ${padding} ${padding === 1 ? "is" : "are"} padding` : "";
}

/** The byte order, sizes and alignment a struct prefix stands for. */
export function byteOrder(layout: StructLayout): string {
  switch (layout.prefix) {
    case "!":
      return "`!` network order (big-endian), standard sizes, no alignment";
    case ">":
      return "`>` big-endian, standard sizes, no alignment";
    case "<":
      return "`<` little-endian, standard sizes, no alignment";
    case "=":
      return "`=` native order (little-endian on x86-64), standard sizes, no alignment";
    default:
      return "`@` native order (little-endian on x86-64), native sizes and alignment";
  }
}

function matchText(value: string | number | bigint | boolean): string {
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}
