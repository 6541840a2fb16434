// Header overhead: every frame split into link, network and transport headers, application payload and
// trailer (padding or bytes after the IP packet), so that the parts add up to the frame length exactly.
// Counters are mutable while packets stream in and become OverheadBucket data at the end.

import { type DecodedPacket, type FragmentFrame, fragmentsOf } from "../decode/index.ts";
import type { OverheadBucket, PacketKind } from "./types.ts";

/** Running sums for one group of packets. */
export interface OverheadCounter {
  packets: number;
  link: number;
  network: number;
  transport: number;
  payload: number;
  trailer: number;
}

/** Counters per packet kind (created on first use). */
export type KindCounters = Partial<Record<PacketKind, OverheadCounter>>;

/** Every packet kind, in report order. */
export const PACKET_KINDS: readonly PacketKind[] = [
  "tcp-handshake",
  "tcp-data",
  "tcp-ack",
  "tcp-fin",
  "tcp-rst",
  "udp",
  "ignored",
];

/** Per-kind counters, none used yet (every key present, so that all such objects share one shape). */
export function createKindCounters(): KindCounters {
  return {
    "tcp-handshake": undefined,
    "tcp-data": undefined,
    "tcp-ack": undefined,
    "tcp-fin": undefined,
    "tcp-rst": undefined,
    udp: undefined,
    ignored: undefined,
  };
}

/** Zeroed counters. */
export function createCounter(): OverheadCounter {
  return { packets: 0, link: 0, network: 0, transport: 0, payload: 0, trailer: 0 };
}

/**
 * Adds one frame. Header lengths come from the decoded layers (the TCP data offset, the IPv4 IHL, IPv6 with
 * its extension headers); the payload from the IP length fields. Each part is clamped to what is left of the
 * frame, so the parts always sum to the frame length; whatever follows the IP packet is trailer.
 */
export function addPacket(counter: OverheadCounter, packet: DecodedPacket): void {
  const fragments = fragmentsOf(packet);
  if (fragments !== undefined) {
    for (const frame of fragments) addFrame(counter, frame);
    return;
  }
  addParts(
    counter,
    packet.frameLength,
    packet.link.headerLength,
    packet.network?.headerLength ?? 0,
    transportHeaderLength(packet),
    packet.payloadLength,
  );
}

/**
 * Adds one frame that carried an IP fragment, split as it decodes on its own: a datagram reassembled from
 * fragments counts every frame's link and IP headers, the transport header where a frame carried one, and
 * the fragments' data as payload.
 */
export function addFrame(counter: OverheadCounter, frame: FragmentFrame): void {
  addParts(
    counter,
    frame.frameLength,
    frame.linkHeaderLength,
    frame.networkHeaderLength,
    frame.transportHeaderLength,
    frame.payloadLength,
  );
}

function addParts(
  counter: OverheadCounter,
  frameLength: number,
  linkHeader: number,
  networkHeader: number,
  transportHeader: number,
  payloadLength: number,
): void {
  let left = frameLength;
  const link = Math.min(linkHeader, left);
  left -= link;
  const network = Math.min(networkHeader, left);
  left -= network;
  const transport = Math.min(transportHeader, left);
  left -= transport;
  const payload = Math.min(Math.max(payloadLength, 0), left);
  left -= payload;
  counter.packets++;
  counter.link += link;
  counter.network += network;
  counter.transport += transport;
  counter.payload += payload;
  counter.trailer += left;
}

/** Adds `from` into `into`. */
export function addCounter(into: OverheadCounter, from: OverheadCounter): void {
  into.packets += from.packets;
  into.link += from.link;
  into.network += from.network;
  into.transport += from.transport;
  into.payload += from.payload;
  into.trailer += from.trailer;
}

/** Adds every kind of `from` into `into`. */
export function addKindCounters(into: KindCounters, from: KindCounters): void {
  for (const kind of PACKET_KINDS) {
    const counter = from[kind];
    if (counter === undefined) continue;
    addCounter(kindCounter(into, kind), counter);
  }
}

/** The sum over every kind. */
export function sumKinds(counters: KindCounters): OverheadCounter {
  const total = createCounter();
  for (const kind of PACKET_KINDS) {
    const counter = counters[kind];
    if (counter !== undefined) addCounter(total, counter);
  }
  return total;
}

/** The counter for `kind`, created on first use. */
export function kindCounter(counters: KindCounters, kind: PacketKind): OverheadCounter {
  let counter = counters[kind];
  if (counter === undefined) {
    counter = createCounter();
    counters[kind] = counter;
  }
  return counter;
}

/** The JSON form of a counter, with the total and the header-to-payload ratio. */
export function toBucket(counter: OverheadCounter): OverheadBucket {
  const headers = counter.link + counter.network + counter.transport;
  return {
    packets: counter.packets,
    link: counter.link,
    network: counter.network,
    transport: counter.transport,
    payload: counter.payload,
    trailer: counter.trailer,
    total: headers + counter.payload + counter.trailer,
    headers,
    ratio: counter.payload === 0 ? null : headers / counter.payload,
  };
}

/** The JSON form of per-kind counters, in report order. */
export function toKindBuckets(counters: KindCounters): Partial<Record<PacketKind, OverheadBucket>> {
  const out: Partial<Record<PacketKind, OverheadBucket>> = {};
  for (const kind of PACKET_KINDS) {
    const counter = counters[kind];
    if (counter !== undefined) out[kind] = toBucket(counter);
  }
  return out;
}

/** Packets of the kinds that carry no payload (handshake, pure ACK, FIN, RST). */
export function noPayloadPackets(counters: KindCounters): number {
  return (
    (counters["tcp-handshake"]?.packets ?? 0) +
    (counters["tcp-ack"]?.packets ?? 0) +
    (counters["tcp-fin"]?.packets ?? 0) +
    (counters["tcp-rst"]?.packets ?? 0)
  );
}

function transportHeaderLength(packet: DecodedPacket): number {
  const transport = packet.transport;
  if (transport === undefined) return 0;
  return transport.protocol === "tcp" ? transport.headerLength : 8;
}
