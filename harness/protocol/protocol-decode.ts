// Reading the student's messages back out of captured payloads with their own protocol description: one
// datagram (or one recv) at a time, or a TCP byte stream cut into messages — struct messages at the sizes
// their heads give, text messages at line ends (or, in a stream with no line end, at the ends of the TCP
// segments: one send per message), JSON messages where each document closes. A payload that fits no message
// is a finding returned as data, never an exception.

import { measureJson, readJson } from "./json-body.ts";
import { type FieldValue, fixedSize, minimumSize } from "./message-body.ts";
import type { Direction, Protocol, ProtocolMessage } from "./protocol-descriptor.ts";
import { DATA_KINDS, type DataKind } from "./protocol-fields.ts";
import { measureStruct, readStruct } from "./struct-body.ts";
import { measureLine, measureSegment, readText } from "./text-body.ts";

/** One message read from the bytes. */
export interface DecodedMessage {
  readonly message: ProtocolMessage;
  /** Byte offset in the stream (0 for decodeMessage). */
  readonly offset: number;
  readonly bytes: Uint8Array;
  /** The head's values in format order, as struct.unpack returns them (text and JSON: the fields in order). */
  readonly values: readonly FieldValue[];
  /** The values by field name: the head's, the tail's (struct), every field (text, JSON). */
  readonly fields: Readonly<Record<string, FieldValue>>;
  /** Each repeated group's values by field name (a batch of readings); empty without `repeat:`. */
  readonly groups: readonly Readonly<Record<string, FieldValue>>[];
  /** The value of the message's sequence field, when it is one of the head's (or the only) fields. */
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

/** Reads one whole payload (a datagram, or one message) sent by `from`. */
export function decodeMessage(protocol: Protocol, from: Direction, bytes: Uint8Array): DecodeResult {
  const sent = protocol.messages.filter((message) => message.from === from);
  const read = sent.map((m) => ({ m, r: readWhole(m, bytes, 0) }));
  const fitting = read.flatMap(({ r }) => (typeof r === "string" ? [] : [r]));
  if (fitting.length === 1) return { ok: true, decoded: fitting[0]! };
  if (fitting.length > 1) {
    return {
      ok: false,
      problem: ambiguous(
        fitting.map((d) => d.message),
        bytes.length,
        0,
      ),
    };
  }
  return {
    ok: false,
    problem: { code: "no-message", message: noMessage(sent, from, bytes, read), offset: 0, candidates: [] },
  };
}

/**
 * Cuts a TCP byte stream sent by `from` into consecutive messages. `boundaries` are the stream offsets where
 * the sender's TCP segments end; they cut text messages in a stream that has no line end at all.
 */
export function splitStream(
  protocol: Protocol,
  from: Direction,
  bytes: Uint8Array,
  boundaries: readonly number[] = [],
): StreamSplit {
  const sent = protocol.messages.filter((message) => message.from === from);
  const lines = bytes.includes(0x0a);
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
    const end = lines ? undefined : boundaries.find((b) => b > offset);
    // Messages the bytes so far could still be, and those they already are.
    const possible: { message: ProtocolMessage; decoded: DecodedMessage | null }[] = [];
    for (const message of sent) {
      const size = measure(message, rest, lines, end === undefined ? undefined : end - offset);
      if (size === null) continue;
      if (size === "more") possible.push({ message, decoded: null });
      else {
        const decoded = readWhole(message, rest.subarray(0, size), offset);
        if (typeof decoded !== "string") possible.push({ message, decoded });
      }
    }
    if (possible.length === 0) {
      const message = `bytes ${offset}.. from the ${from} start no message (${sent.map(matchText).join(", ")})`;
      return stop({ code: "no-message", message, offset, candidates: [] });
    }
    const whole = possible.flatMap((p) => (p.decoded === null ? [] : [p.decoded]));
    if (whole.length === 0) return stop();
    if (possible.length > 1) {
      return stop(
        ambiguous(
          possible.map((p) => p.message),
          rest.length,
          offset,
        ),
      );
    }
    messages.push(whole[0]!);
    offset += whole[0]!.bytes.length;
  }
  return stop();
}

/** The kinds of data a message carries, in DATA_KINDS order (the lab asks for at least three). */
export function dataKinds(message: ProtocolMessage): DataKind[] {
  const kind = { int: "integer", float: "float", bool: "bool", str: "bytes" } as const;
  const used = new Set(message.fields.map((field) => kind[field.type]));
  return DATA_KINDS.filter((k) => used.has(k));
}

/** How many bytes of a stream the message would take: a size, "more", or null when it cannot start here. */
function measure(
  message: ProtocolMessage,
  rest: Uint8Array,
  lines: boolean,
  segment: number | undefined,
): number | "more" | null {
  const { body } = message;
  switch (body.type) {
    case "struct": {
      if (!matchesAt(message, rest, true)) return null;
      const size = measureStruct(body, rest);
      return typeof size === "object" ? null : size;
    }
    case "text":
      return lines ? measureLine(rest) : measureSegment(body, rest.subarray(0, segment ?? rest.length));
    case "json":
      return measureJson(rest);
  }
}

/** The message read from exactly these bytes, or why they are not it. */
function readWhole(message: ProtocolMessage, bytes: Uint8Array, offset: number): DecodedMessage | string {
  const { body } = message;
  let read: {
    values: FieldValue[];
    fields: Record<string, FieldValue>;
    groups: Record<string, FieldValue>[];
  };
  if (body.type === "struct") {
    if (bytes.length < body.layout.size)
      return `${bytes.length} bytes, shorter than its head (${body.layout.size})`;
    if (!matchesAt(message, bytes, false)) return "not its match values";
    const size = measureStruct(body, bytes);
    if (typeof size === "object") return size.reason;
    if (size !== bytes.length)
      return `${bytes.length} bytes, but its head says ${size === "more" ? "more" : size}`;
    const struct = readStruct(body, bytes);
    if ("reason" in struct) return struct.reason;
    read = struct;
  } else {
    const fields = body.type === "text" ? { groups: [], ...readText(body, bytes) } : readJson(body, bytes);
    if ("reason" in fields) return fields.reason;
    const mismatch = Object.entries(message.match).find(
      ([name, value]) => !sameValue(fields.fields[name], value),
    );
    if (mismatch)
      return `${mismatch[0]} is ${String(fields.fields[mismatch[0]])}, not ${String(mismatch[1])}`;
    read = { values: Object.values(fields.fields), fields: fields.fields, groups: fields.groups };
  }
  const decoded: DecodedMessage = { message, offset, bytes, ...read };
  const sequence = message.sequence === undefined ? undefined : read.fields[message.sequence];
  return typeof sequence === "number" || typeof sequence === "bigint" ? { ...decoded, sequence } : decoded;
}

/** A text or JSON value against a match value: equal, or equal as text (`"1"` and 1). */
function sameValue(value: FieldValue | undefined, match: unknown): boolean {
  if (value === undefined) return false;
  if (value === match) return true;
  return typeof value !== "object" && String(value) === String(match);
}

// Whether the bytes carry a struct message's match bytes; `partial` accepts match bytes not received yet.
function matchesAt(message: ProtocolMessage, bytes: Uint8Array, partial: boolean): boolean {
  if (message.body.type !== "struct") return true;
  return message.body.matchBytes.every((fixed) =>
    fixed.bytes.every((byte, k) => {
      const at = fixed.offset + k;
      return at < bytes.length ? bytes[at] === byte : partial;
    }),
  );
}

/** Why a payload is no message from `from`: by size when every message has a fixed size, else each reason. */
function noMessage(
  sent: readonly ProtocolMessage[],
  from: Direction,
  bytes: Uint8Array,
  read: readonly { m: ProtocolMessage; r: DecodedMessage | string }[],
): string {
  if (sent.every((m) => fixedSize(m.body) !== null)) {
    const sized = sent.filter((m) => fixedSize(m.body) === bytes.length);
    return sized.length === 0
      ? `no ${from} message is ${bytes.length} bytes long (${sizes(sent)})`
      : `${bytes.length} bytes from the ${from} fit the size of ${sized.map(matchText).join(" and ")} but not ` +
          `${sized.length === 1 ? "its" : "their"} match values`;
  }
  const why = read.map(({ m, r }) => `"${m.name}": ${typeof r === "string" ? r : "fits"}`);
  return `${bytes.length} bytes from the ${from} are no ${from} message (${why.join("; ")})`;
}

function ambiguous(candidates: readonly ProtocolMessage[], length: number, offset: number): MessageProblem {
  const names = candidates.map((m) => m.name);
  const message = `${length} bytes at offset ${offset} could be any of ${names.map((n) => `"${n}"`).join(", ")}`;
  return { code: "ambiguous", message, offset, candidates: names };
}

function sizes(messages: readonly ProtocolMessage[]): string {
  return messages.map((m) => `"${m.name}" is ${minimumSize(m.body)}`).join(", ");
}

function matchText(message: ProtocolMessage): string {
  const fixed = Object.entries(message.match).map(([field, value]) => `${field}=${String(value)}`);
  const match = fixed.length === 0 ? "" : `, ${fixed.join(", ")}`;
  const size = fixedSize(message.body);
  const what =
    size !== null
      ? `${size} bytes`
      : message.body.type === "struct"
        ? `${message.body.layout.size}+ bytes`
        : message.body.type;
  return `"${message.name}" (${what}${match})`;
}
