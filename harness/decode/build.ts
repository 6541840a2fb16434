// A packet builder for tests and benchmarks: real bytes with correct lengths and checksums, from a
// readable spec. IPv6 is used when the source address contains ':'.

import type { CaptureRecord } from "../capture/record.ts";
import { parseIpv4, parseIpv6 } from "./address.ts";
import { finishChecksum, sumWords } from "./checksum.ts";

export interface TcpSpec {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  seq: number;
  ack?: number;
  /** tcpdump letters: "S", "S.", ".", "P.", "F.", "R", "R.": S=SYN F=FIN R=RST P=PSH .=ACK U=URG E=ECE W=CWR. */
  flags: string;
  window?: number;
  payload?: Uint8Array | string;
  options?: {
    mss?: number;
    windowScale?: number;
    sackPermitted?: boolean;
    sack?: [number, number][];
    timestamp?: [number, number];
  };
  /** Option bytes written as they are instead of `options` (e.g. malformed options); padded with EOL to 4. */
  rawOptions?: Uint8Array;
  urgentPointer?: number;
  /** IP fields; defaults: TTL/hop limit 64, identification 0, don't-fragment set. */
  ttl?: number;
  id?: number;
}

export interface UdpSpec {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  payload?: Uint8Array | string;
  ttl?: number;
  id?: number;
}

/** A UDP-Lite datagram (RFC 3828): a UDP spec with a checksum coverage. */
export interface UdpLiteSpec extends UdpSpec {
  /** Bytes the checksum covers from the start of the header; 0 (the default) means the whole datagram. */
  coverage?: number;
}

export type BuildLink = "ethernet" | "null" | "loop" | "linux-sll" | "linux-sll2" | "raw";

/** How a link header is written where the link type leaves a choice. */
export interface BuildLinkOptions {
  /** NULL only: the byte order of the address family (the capturing host's). Default "le". */
  nullByteOrder?: "le" | "be";
  /** NULL and LOOP: the AF value used for IPv6. Default 30 (Darwin) for NULL, 24 (OpenBSD) for LOOP. */
  ipv6AddressFamily?: number;
}

const TCP_FLAG_BITS: Record<string, number> = {
  F: 0x01,
  S: 0x02,
  R: 0x04,
  P: 0x08,
  ".": 0x10,
  U: 0x20,
  E: 0x40,
  W: 0x80,
};

const encoder = new TextEncoder();

/** The pcap LINKTYPE_ number of a link header the builder writes. */
export function linkTypeCode(link: BuildLink): number {
  switch (link) {
    case "ethernet":
      return 1;
    case "null":
      return 0;
    case "loop":
      return 108;
    case "linux-sll":
      return 113;
    case "linux-sll2":
      return 276;
    case "raw":
      return 101;
  }
}

/** Parses tcpdump flag letters ("S.", "P.", "FPU") into the TCP flag bits. */
export function tcpFlagBits(letters: string): number {
  let bits = 0;
  for (const letter of letters) {
    const bit = TCP_FLAG_BITS[letter];
    if (bit === undefined) throw new Error(`unknown TCP flag letter "${letter}" in "${letters}"`);
    bits |= bit;
  }
  return bits;
}

/** Builds a complete TCP segment inside IPv4 or IPv6 inside the given link header. */
export function buildTcp(
  spec: TcpSpec,
  link: BuildLink = "ethernet",
  linkOptions: BuildLinkOptions = {},
): Uint8Array {
  const payload = toBytes(spec.payload);
  const options = spec.rawOptions ? padOptions(spec.rawOptions) : encodeTcpOptions(spec.options ?? {});
  if (options.length > 40) throw new Error(`TCP options are ${options.length} bytes, at most 40 fit`);
  const tcp = new Uint8Array(20 + options.length + payload.length);
  const view = new DataView(tcp.buffer);
  view.setUint16(0, spec.sport);
  view.setUint16(2, spec.dport);
  view.setUint32(4, spec.seq >>> 0);
  view.setUint32(8, (spec.ack ?? 0) >>> 0);
  tcp[12] = ((20 + options.length) / 4) << 4;
  tcp[13] = tcpFlagBits(spec.flags);
  view.setUint16(14, spec.window ?? 65535);
  view.setUint16(18, spec.urgentPointer ?? 0);
  tcp.set(options, 20);
  tcp.set(payload, 20 + options.length);
  return wrap(spec, 6, tcp, 16, link, linkOptions);
}

/** Builds a complete UDP datagram inside IPv4 or IPv6 inside the given link header. */
export function buildUdp(
  spec: UdpSpec,
  link: BuildLink = "ethernet",
  linkOptions: BuildLinkOptions = {},
): Uint8Array {
  const udp = udpHeaderAndPayload(spec, (length) => length);
  return wrap(spec, 17, udp, 6, link, linkOptions);
}

// The 8-byte header (ports, then `lengthField` of the datagram's length) and the payload; checksum left 0.
function udpHeaderAndPayload(spec: UdpSpec, lengthField: (length: number) => number): Uint8Array {
  const payload = toBytes(spec.payload);
  const udp = new Uint8Array(8 + payload.length);
  const view = new DataView(udp.buffer);
  view.setUint16(0, spec.sport);
  view.setUint16(2, spec.dport);
  view.setUint16(4, lengthField(udp.length));
  udp.set(payload, 8);
  return udp;
}

/**
 * Builds a UDP-Lite datagram (IP protocol 136) inside IPv4 or IPv6 inside the given link header: the
 * coverage in the length field, the checksum over the covered bytes. A coverage outside 8 … length is
 * written as given (the checksum then covers the whole datagram).
 */
export function buildUdpLite(
  spec: UdpLiteSpec,
  link: BuildLink = "ethernet",
  linkOptions: BuildLinkOptions = {},
): Uint8Array {
  const coverage = spec.coverage ?? 0;
  const udp = udpHeaderAndPayload(spec, () => coverage);
  const covered = coverage >= 8 && coverage <= udp.length ? coverage : udp.length;
  return wrap(spec, 136, udp, 6, link, linkOptions, covered);
}

/**
 * Wraps bytes as a capture record whose first `snapLength` bytes were captured, as a capture with that
 * snap length (`tcpdump -s`, `editcap -s`) holds them; the original length stays the frame's.
 */
export function toCutRecord(
  bytes: Uint8Array,
  snapLength: number,
  number: number,
  timeUs: number,
): CaptureRecord {
  const data = bytes.subarray(0, Math.min(snapLength, bytes.length));
  return { ...toRecord(data, number, timeUs), originalLength: bytes.length };
}

/** Wraps bytes as a capture record (captured length = original length; fileOffset as given, default 0). */
export function toRecord(bytes: Uint8Array, number: number, timeUs: number, fileOffset = 0): CaptureRecord {
  return {
    number,
    timeUs,
    capturedLength: bytes.length,
    originalLength: bytes.length,
    data: bytes,
    fileOffset,
  };
}

/** Encodes TCP options in the order Linux writes them (MSS, SACK-permitted+TS, NOP+WS, SACK), EOL-padded. */
export function encodeTcpOptions(options: NonNullable<TcpSpec["options"]>): Uint8Array {
  const out: number[] = [];
  const u16 = (v: number) => out.push((v >> 8) & 0xff, v & 0xff);
  const u32 = (v: number) => out.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  if (options.mss !== undefined) {
    out.push(2, 4);
    u16(options.mss);
  }
  if (options.timestamp) {
    // Linux fills the 2 bytes before the timestamp with SACK-permitted when it has it, else with 2 NOPs.
    if (options.sackPermitted) out.push(4, 2);
    else out.push(1, 1);
    out.push(8, 10);
    u32(options.timestamp[0]);
    u32(options.timestamp[1]);
  } else if (options.sackPermitted) {
    out.push(1, 1, 4, 2);
  }
  if (options.windowScale !== undefined) out.push(1, 3, 3, options.windowScale);
  if (options.sack && options.sack.length > 0) {
    out.push(1, 1, 5, 2 + 8 * options.sack.length);
    for (const [left, right] of options.sack) {
      u32(left);
      u32(right);
    }
  }
  return padOptions(Uint8Array.from(out));
}

function padOptions(bytes: Uint8Array): Uint8Array {
  const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
  padded.set(bytes);
  return padded;
}

function toBytes(payload: Uint8Array | string | undefined): Uint8Array {
  if (payload === undefined) return new Uint8Array(0);
  return typeof payload === "string" ? encoder.encode(payload) : payload;
}

// Puts the IP header and the link header in front of a transport segment and fills in its checksum
// (at `checksumOffset` inside the segment) over the IPv4 or IPv6 pseudo-header and the first `covered`
// bytes of the segment (all of them unless given: only UDP-Lite covers less).
function wrap(
  spec: { src: string; dst: string; ttl?: number; id?: number },
  protocol: number,
  segment: Uint8Array,
  checksumOffset: number,
  link: BuildLink,
  linkOptions: BuildLinkOptions,
  covered = segment.length,
): Uint8Array {
  const v6 = spec.src.includes(":");
  if (v6 !== spec.dst.includes(":")) throw new Error(`mixed address families: ${spec.src} and ${spec.dst}`);
  const src = v6 ? parseIpv6(spec.src) : parseIpv4(spec.src);
  const dst = v6 ? parseIpv6(spec.dst) : parseIpv4(spec.dst);
  const ipLength = v6 ? 40 : 20;
  const linkLength = linkHeaderLength(link);
  const out = new Uint8Array(linkLength + ipLength + segment.length);
  const view = new DataView(out.buffer);
  writeLinkHeader(out, view, link, v6, linkOptions);
  const ip = linkLength;
  if (v6) {
    view.setUint32(ip, 0x60000000);
    view.setUint16(ip + 4, segment.length);
    out[ip + 6] = protocol;
    out[ip + 7] = spec.ttl ?? 64;
    out.set(src, ip + 8);
    out.set(dst, ip + 24);
  } else {
    out[ip] = 0x45;
    view.setUint16(ip + 2, 20 + segment.length);
    view.setUint16(ip + 4, spec.id ?? 0);
    view.setUint16(ip + 6, 0x4000);
    out[ip + 8] = spec.ttl ?? 64;
    out[ip + 9] = protocol;
    out.set(src, ip + 12);
    out.set(dst, ip + 16);
    view.setUint16(ip + 10, finishChecksum(sumWords(out, ip, ip + 20)));
  }
  const l4 = ip + ipLength;
  out.set(segment, l4);
  // Pseudo-header: addresses, protocol and the transport length (RFC 793 / RFC 8200 §8.1).
  let sum = sumWords(src, 0, src.length) + sumWords(dst, 0, dst.length) + protocol + segment.length;
  sum = sumWords(out, l4, l4 + covered, sum);
  let checksum = finishChecksum(sum);
  // UDP sends a computed 0 as 0xFFFF (0 means "no checksum"); so does UDP-Lite (RFC 3828 §3.1).
  if ((protocol === 17 || protocol === 136) && checksum === 0) checksum = 0xffff;
  view.setUint16(l4 + checksumOffset, checksum);
  return out;
}

function linkHeaderLength(link: BuildLink): number {
  switch (link) {
    case "ethernet":
      return 14;
    case "null":
    case "loop":
      return 4;
    case "linux-sll":
      return 16;
    case "linux-sll2":
      return 20;
    case "raw":
      return 0;
  }
}

function writeLinkHeader(
  out: Uint8Array,
  view: DataView,
  link: BuildLink,
  v6: boolean,
  linkOptions: BuildLinkOptions,
): void {
  const etherType = v6 ? 0x86dd : 0x0800;
  switch (link) {
    case "ethernet":
      // Zero MACs, as Linux writes on lo.
      view.setUint16(12, etherType);
      return;
    case "null":
      view.setUint32(0, v6 ? (linkOptions.ipv6AddressFamily ?? 30) : 2, linkOptions.nullByteOrder !== "be");
      return;
    case "loop":
      view.setUint32(0, v6 ? (linkOptions.ipv6AddressFamily ?? 24) : 2);
      return;
    case "linux-sll":
      // pkttype 0 (to us), ARPHRD_LOOPBACK 772, address length 6, zero address, protocol.
      view.setUint16(2, 772);
      view.setUint16(4, 6);
      view.setUint16(14, etherType);
      return;
    case "linux-sll2":
      // protocol, reserved, if_index 1, ARPHRD_LOOPBACK 772, pkttype 0, address length 6, zero address.
      view.setUint16(0, etherType);
      view.setUint32(4, 1);
      view.setUint16(8, 772);
      out[11] = 6;
      return;
    case "raw":
      return;
  }
}
