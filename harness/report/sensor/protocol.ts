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
import { code, fenced } from "../markdown.ts";

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
  const { layout } = message;
  const kinds = dataKinds(message);
  const facts = [
    `- struct format: ${code(message.format)} (${layout.valueCount} ${layout.valueCount === 1 ? "value" : "values"})`,
    `- size: ${layout.size} ${layout.size === 1 ? "byte" : "bytes"}${paddingNote(message)}`,
    `- byte order: ${byteOrder(layout)}`,
    `- kinds of data: ${kinds.length === 0 ? "none" : kinds.join(", ")} (${kinds.length})`,
  ];
  if (message.sequence !== undefined) facts.push(`- sequence number: ${code(message.sequence)}`);
  const match = Object.entries(message.match);
  if (match.length > 0) {
    facts.push(
      `- recognised by: ${match.map(([field, value]) => code(`${field} = ${matchText(value)}`)).join(", ")}`,
    );
  }
  return [
    `${hashes} ${message.name} (${message.from} → ${to})`,
    "",
    ...facts,
    "",
    fenced(packetDiagram(layout, message.fields), "text"),
    "",
    ...fieldTable(layout, message.fields),
  ].join("\n");
}

// Alignment padding and pad bytes: the difference between calcsize and the bytes the values occupy.
function paddingNote(message: ProtocolMessage): string {
  const used = message.slots.reduce((sum, slot) => sum + slot.size, 0);
  const padding = message.layout.size - used;
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
