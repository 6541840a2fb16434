// The student's messages read back out of a run's capture with their own protocol description: each reading
// and reply with the packet that completed it and its time. TCP streams are cut at the declared sizes; UDP
// datagrams are read one by one. Bytes that fit no message are findings (data), never exceptions.
import type { Conversation, TcpConversation, UdpConversation } from "../../analyse/types.ts";
import {
  type DecodedMessage,
  type Direction,
  decodeMessage,
  type FieldValue,
  fixedSize,
  type Protocol,
  splitStream,
} from "../../protocol/index.ts";
import { readingMessage } from "./probe-readings.ts";

/** One message of the student's protocol, seen on the wire: the decoded message (offset in its TCP stream, 0
 * for a datagram; bytes; values; fields; sequence) and where and when it travelled. */
export interface TimedMessage extends Omit<DecodedMessage, "message"> {
  /** The protocol message's name (e.g. "reading"). */
  readonly name: string;
  readonly from: Direction;
  /** The conversation (analysis id) it travelled in. */
  readonly conversation: number;
  /** The capture's packet number that carried its last byte (first transmission). */
  readonly packet: number;
  /** Capture time of that packet, µs, and seconds since the capture's first packet. */
  readonly timeUs: number;
  readonly relativeSeconds: number;
}

/** Bytes that are not a message of the protocol. */
export interface TrafficProblem {
  readonly from: Direction;
  readonly conversation: number;
  /** The packet where the bad bytes start (null when unknown). */
  readonly packet: number | null;
  /** Byte offset in the stream (TCP) or 0 (UDP). */
  readonly offset: number;
  readonly length: number;
  readonly message: string;
  /** A message cut short: the stream ended mid-message (TCP). */
  readonly incomplete: boolean;
}

/** Everything the student's protocol made of a run's traffic. */
export interface SensorTraffic {
  /** Messages from the client, in capture order, but its control messages. */
  readonly readings: readonly TimedMessage[];
  /** Messages from the server, in capture order, but its control messages. */
  readonly replies: readonly TimedMessage[];
  /**
   * Control messages: a kind of message sent at most once per conversation (a greeting, a goodbye, its
   * answer) by a side that sends another kind at least three times. They decode like any message but are
   * neither readings nor replies: they do not count for the period, the values or the pairing.
   */
  readonly controls: readonly TimedMessage[];
  readonly problems: readonly TrafficProblem[];
  /** Conversations read (TCP connections, UDP flows). */
  readonly conversations: readonly number[];
}

const EMPTY: SensorTraffic = { readings: [], replies: [], controls: [], problems: [], conversations: [] };

/** The names of a side's control messages (see SensorTraffic.controls); a numbered message never is one. */
export function controlNames(messages: readonly TimedMessage[]): Set<string> {
  const perConversation = new Map<number, Map<string, number>>();
  for (const m of messages) {
    const counts = perConversation.get(m.conversation) ?? new Map<string, number>();
    counts.set(m.name, (counts.get(m.name) ?? 0) + 1);
    perConversation.set(m.conversation, counts);
  }
  const names = new Set(messages.filter((m) => m.sequence === undefined).map((m) => m.name));
  for (const counts of perConversation.values()) {
    const most = Math.max(...counts.values());
    for (const name of [...names]) {
      if ((counts.get(name) ?? 0) > 1 || most < 3 || counts.get(name) === most) names.delete(name);
    }
  }
  return names;
}

/**
 * Client messages that carry no sequence number when the reading does (a heartbeat, a greeting, a goodbye
 * beside numbered readings): control messages, however often they are sent.
 */
function unnumberedBeside(protocol: Protocol): string[] {
  const reading = readingMessage(protocol);
  if (reading?.sequence === undefined) return [];
  return protocol.messages
    .filter((m) => m.from === "client" && m !== reading && m.sequence === undefined)
    .map((m) => m.name);
}

/** Reads every conversation of the run with the protocol (null protocol: nothing to read). */
export function sensorTraffic(
  conversations: readonly Conversation[],
  protocol: Protocol | null,
  startUs: number,
): SensorTraffic {
  if (protocol === null) return EMPTY;
  const parts = conversations.map((conv) =>
    conv.protocol === "tcp" ? tcpTraffic(conv, protocol, startUs) : udpTraffic(conv, protocol, startUs),
  );
  const byTime = (a: TimedMessage, b: TimedMessage) => a.timeUs - b.timeUs || a.packet - b.packet;
  const fromClient = parts.flatMap((p) => p.readings).sort(byTime);
  const fromServer = parts.flatMap((p) => p.replies).sort(byTime);
  // Declared kinds first: a message declared control is one however often it is sent (a heartbeat); one
  // declared anything else never is. Undeclared ones are told from the traffic.
  const declared = new Map(
    protocol.messages.flatMap((m) => (m.kind === undefined ? [] : [[m.name, m.kind]])),
  );
  const control = new Set(
    [...controlNames(fromClient), ...controlNames(fromServer), ...unnumberedBeside(protocol)].filter(
      (name) => !declared.has(name),
    ),
  );
  for (const [name, kind] of declared) if (kind === "control") control.add(name);
  return {
    readings: fromClient.filter((m) => !control.has(m.name)),
    replies: fromServer.filter((m) => !control.has(m.name)),
    controls: [...fromClient, ...fromServer].filter((m) => control.has(m.name)).sort(byTime),
    problems: parts.flatMap((p) => p.problems),
    conversations: conversations.map((c) => c.id),
  };
}

/** The direction key of the analysis for a sender. */
const DIRECTION = { client: "c2s", server: "s2c" } as const;

function tcpTraffic(conv: TcpConversation, protocol: Protocol, startUs: number): SensorTraffic {
  const rows = (conv.timeline ?? []).filter((r) => r.protocol === "tcp" && r.payloadLength > 0);
  const read = (from: Direction) => {
    const dir = conv[DIRECTION[from]];
    const bytes = dir.stream.base64 === null ? new Uint8Array() : Buffer.from(dir.stream.base64, "base64");
    const mine = rows.filter((r) => r.direction === DIRECTION[from]);
    // Where each of the sender's segments ends in the stream (offset = relative seq − 1): one send each.
    const boundaries = [...new Set(mine.map((r) => (r.protocol === "tcp" ? r.seq - 1 + r.payloadLength : 0)))]
      .filter((b) => b > 0)
      .sort((a, b) => a - b);
    const split = splitStream(protocol, from, bytes, boundaries);
    // Stream offset x is relative sequence number x + 1: the stream starts at relative 1 whether baseSeq is
    // the ISN (SYN seen) or the first seq − 1 (capture started mid-connection).
    const shift = 1;
    const packetAt = (offset: number) =>
      mine.find(
        (r) => r.protocol === "tcp" && r.seq <= offset + shift && offset + shift < r.seq + r.payloadLength,
      ) ?? null;
    const messages = split.messages.map((m) => {
      const row = packetAt(m.offset + m.bytes.length - 1);
      return timed(m, from, conv.id, row?.number ?? 0, row?.timeUs ?? conv.firstTimeUs, startUs);
    });
    const problems: TrafficProblem[] = [];
    const mismatch = from === "client" ? writeSizeMismatch(protocol, mine) : null;
    if (mismatch && split.leftover.length === 0) {
      problems.push({
        from,
        conversation: conv.id,
        packet: mismatch.packet,
        offset: 0,
        length: mismatch.size,
        message: mismatch.message,
        incomplete: false,
      });
    }
    if (split.leftover.length > 0) {
      problems.push({
        from,
        conversation: conv.id,
        packet: packetAt(split.leftoverOffset)?.number ?? null,
        offset: split.leftoverOffset,
        length: split.leftover.length,
        message:
          split.problem?.message ??
          `the stream ends ${split.leftover.length} bytes into a message (bytes ${split.leftoverOffset}..)`,
        incomplete: split.problem === undefined,
      });
    }
    return { messages, problems };
  };
  const c = read("client");
  const s = read("server");
  return {
    readings: c.messages,
    replies: s.messages,
    controls: [],
    problems: [...c.problems, ...s.problems],
    conversations: [conv.id],
  };
}

/**
 * The client's writes against the declared reading size. TCP may cut and join writes, but on the loopback a
 * write of a few bytes is one segment: when most segments have one size that is neither a multiple nor a
 * divisor of the declared reading's, the description does not match what the client sends, even when the
 * stream's length happens to divide (4 writes of 12 bytes read as 6 readings of 8).
 */
export function writeSizeMismatch(
  protocol: Protocol,
  rows: readonly { payloadLength: number; number: number }[],
): { size: number; packet: number; message: string } | null {
  const reading = readingMessage(protocol);
  const declared = reading === null ? 0 : (fixedSize(reading.body) ?? 0);
  const data = rows.filter((r) => r.payloadLength > 0);
  if (!reading || declared === 0 || data.length < 3) return null;
  const counts = new Map<number, number>();
  for (const r of data) counts.set(r.payloadLength, (counts.get(r.payloadLength) ?? 0) + 1);
  const [size, count] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  if (count < 0.75 * data.length || size % declared === 0 || declared % size === 0) return null;
  const first = data.find((r) => r.payloadLength === size)!;
  return {
    size,
    packet: first.number,
    message:
      `the client writes ${size} bytes at a time (${count} of its ${data.length} segments), but "${reading.name}" ` +
      `is declared as ${declared} bytes ("${reading.format}"): the description does not match what the client packs`,
  };
}

function udpTraffic(conv: UdpConversation, protocol: Protocol, startUs: number): SensorTraffic {
  const readings: TimedMessage[] = [];
  const replies: TimedMessage[] = [];
  const problems: TrafficProblem[] = [];
  for (const row of conv.timeline ?? []) {
    if (row.protocol !== "udp") continue;
    const from: Direction = row.direction === "c2s" ? "client" : "server";
    const bytes =
      row.payload === null ? new Uint8Array() : new Uint8Array(Buffer.from(row.payload, "base64"));
    const result = decodeMessage(protocol, from, bytes);
    if (result.ok) {
      (from === "client" ? readings : replies).push(
        timed(result.decoded, from, conv.id, row.number, row.timeUs, startUs),
      );
    } else {
      problems.push({
        from,
        conversation: conv.id,
        packet: row.number,
        offset: 0,
        length: bytes.length,
        message: result.problem.message,
        incomplete: false,
      });
    }
  }
  return { readings, replies, controls: [], problems, conversations: [conv.id] };
}

function timed(
  m: DecodedMessage,
  from: Direction,
  conversation: number,
  packet: number,
  timeUs: number,
  startUs: number,
): TimedMessage {
  const { message, ...decoded } = m;
  return {
    ...decoded,
    name: message.name,
    from,
    conversation,
    packet,
    timeUs,
    relativeSeconds: (timeUs - startUs) / 1e6,
  };
}

/** The readings a message carries: one per repeated group (a batch), each with the head's fields too; or
 * the message's own fields. */
export function readingItems(m: TimedMessage): Readonly<Record<string, FieldValue>>[] {
  return m.groups.length === 0 ? [m.fields] : m.groups.map((group) => ({ ...m.fields, ...group }));
}

/** The sequence numbers a message carries: its items' when the sequence field is in the repeated group. */
export function sequencesOf(m: TimedMessage, protocol: Protocol): (number | bigint)[] {
  if (m.sequence !== undefined) return [m.sequence];
  const sequence = protocol.messages.find((p) => p.name === m.name)?.sequence;
  if (sequence === undefined) return [];
  return m.groups.flatMap((group) => {
    const value = group[sequence];
    return typeof value === "number" || typeof value === "bigint" ? [value] : [];
  });
}
