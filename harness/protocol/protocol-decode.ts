// Reading the student's messages back out of captured payloads with their own protocol description: one
// datagram (or one recv) at a time, or a TCP byte stream cut at the declared sizes. A payload that fits no
// message is a finding returned as data, never an exception.

import type { Direction, Protocol, ProtocolMessage } from "./protocol-descriptor.ts";
import { DATA_KINDS, type DataKind, dataKind } from "./protocol-fields.ts";
import { type StructValue, unpack } from "./struct-pack.ts";

/** One message read from the bytes. */
export interface DecodedMessage {
  readonly message: ProtocolMessage;
  /** Byte offset in the stream (0 for decodeMessage). */
  readonly offset: number;
  readonly bytes: Uint8Array;
  /** The values in format order, as struct.unpack returns them. */
  readonly values: readonly StructValue[];
  /** The values by field name. */
  readonly fields: Readonly<Record<string, StructValue>>;
  /** The value of the message's sequence field, if it declares one. */
  readonly sequence?: number | bigint;
}

/** Why bytes could not be read as a message. */
export interface MessageProblem {
  /** no-message: no message from that side fits; ambiguous: more than one does. */
  readonly code: "no-message" | "ambiguous";
  readonly message: string;
  /** Byte offset in the stream where the problem starts. */
  readonly offset: number;
  /** Names of the messages that fitted (ambiguous). */
  readonly candidates: readonly string[];
}

/** The message, or why there is none. */
export type DecodeResult = { ok: true; decoded: DecodedMessage } | { ok: false; problem: MessageProblem };

/** The messages cut from a byte stream, with the bytes left after the last whole message. */
export interface StreamSplit {
  readonly messages: readonly DecodedMessage[];
  /** Offset of the first byte not read as a message. */
  readonly leftoverOffset: number;
  /** The bytes not read: a message still arriving, or, with a problem, everything from the problem on. */
  readonly leftover: Uint8Array;
  readonly problem?: MessageProblem;
}

/** Reads one whole payload (a datagram, or one message) sent by `from`, picked by size and match values. */
export function decodeMessage(protocol: Protocol, from: Direction, bytes: Uint8Array): DecodeResult {
  const sent = protocol.messages.filter((message) => message.from === from);
  const fitting = sent.filter((m) => m.layout.size === bytes.length && matchesAt(m, bytes, false));
  if (fitting.length === 1) return { ok: true, decoded: decodeAt(fitting[0]!, bytes, 0) };
  if (fitting.length > 1) return { ok: false, problem: ambiguous(fitting, bytes.length, 0) };
  const sized = sent.filter((m) => m.layout.size === bytes.length);
  const message =
    sized.length === 0
      ? `no ${from} message is ${bytes.length} bytes long (${sizes(sent)})`
      : `${bytes.length} bytes from the ${from} fit the size of ${sized.map(matchText).join(" and ")} but not ` +
        `${sized.length === 1 ? "its" : "their"} match values`;
  return { ok: false, problem: { code: "no-message", message, offset: 0, candidates: [] } };
}

/** Cuts a TCP byte stream sent by `from` into consecutive messages, using each message's declared size. */
export function splitStream(protocol: Protocol, from: Direction, bytes: Uint8Array): StreamSplit {
  const sent = protocol.messages.filter((message) => message.from === from);
  const messages: DecodedMessage[] = [];
  let offset = 0;
  const stop = (problem?: MessageProblem): StreamSplit => {
    const leftover = bytes.subarray(offset);
    return problem === undefined
      ? { messages, leftoverOffset: offset, leftover }
      : { messages, leftoverOffset: offset, leftover, problem };
  };
  while (offset < bytes.length) {
    const rest = bytes.subarray(offset);
    // Messages the bytes so far could still be: a match byte not yet received does not rule one out.
    const possible = sent.filter((m) => matchesAt(m, rest, true));
    if (possible.length === 0) {
      const message = `bytes ${offset}.. from the ${from} start no message (${sent.map(matchText).join(", ")})`;
      return stop({ code: "no-message", message, offset, candidates: [] });
    }
    const whole = possible.filter((m) => m.layout.size <= rest.length);
    if (whole.length === 0) return stop();
    if (possible.length > 1) return stop(ambiguous(possible, rest.length, offset));
    const message = whole[0]!;
    messages.push(decodeAt(message, rest.subarray(0, message.layout.size), offset));
    offset += message.layout.size;
  }
  return stop();
}

/** The kinds of data a message carries, in DATA_KINDS order (the lab asks for at least three). */
export function dataKinds(message: ProtocolMessage): DataKind[] {
  const used = new Set(message.slots.map((slot) => dataKind(slot.char)));
  return DATA_KINDS.filter((kind) => used.has(kind));
}

// Whether the bytes carry the message's match bytes; `partial` accepts match bytes not received yet.
function matchesAt(message: ProtocolMessage, bytes: Uint8Array, partial: boolean): boolean {
  return message.matchBytes.every((fixed) =>
    fixed.bytes.every((byte, k) => {
      const at = fixed.offset + k;
      return at < bytes.length ? bytes[at] === byte : partial;
    }),
  );
}

function decodeAt(message: ProtocolMessage, bytes: Uint8Array, offset: number): DecodedMessage {
  const unpacked = unpack(message.layout, bytes);
  // The size was checked before, and unpack refuses nothing else for a parsed layout.
  if (!unpacked.ok) throw new Error(`internal: unpack refused ${message.name}: ${unpacked.problem.message}`);
  const values = unpacked.value;
  const fields = Object.fromEntries(message.slots.map((slot) => [slot.name, values[slot.index]!]));
  const decoded = { message, offset, bytes, values, fields };
  if (message.sequence === undefined) return decoded;
  const sequence = fields[message.sequence];
  return typeof sequence === "number" || typeof sequence === "bigint" ? { ...decoded, sequence } : decoded;
}

function ambiguous(candidates: readonly ProtocolMessage[], length: number, offset: number): MessageProblem {
  const names = candidates.map((m) => m.name);
  const message = `${length} bytes at offset ${offset} could be any of ${names.map((n) => `"${n}"`).join(", ")}`;
  return { code: "ambiguous", message, offset, candidates: names };
}

function sizes(messages: readonly ProtocolMessage[]): string {
  return messages.map((m) => `"${m.name}" is ${m.layout.size}`).join(", ");
}

function matchText(message: ProtocolMessage): string {
  const fixed = Object.entries(message.match).map(([field, value]) => `${field}=${String(value)}`);
  const match = fixed.length === 0 ? "" : `, ${fixed.join(", ")}`;
  return `"${message.name}" (${message.layout.size} bytes${match})`;
}
