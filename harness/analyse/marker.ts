// socklab's capture barrier: at the end of a run the harness sends one UDP datagram to port 9 whose payload
// starts with `GRADER-END-`, and the kernel answers it with an ICMP port-unreachable. Both are the harness's
// own traffic: they are counted as ignored, never as a conversation or in its overhead.

import { type DecodedPacket, readU16 } from "../decode/index.ts";

/** The marker's destination port (discard). */
export const MARKER_PORT = 9;
const PREFIX = new TextEncoder().encode("GRADER-END-");

/** Whether the packet is the capture-barrier datagram. */
export function isMarker(packet: DecodedPacket): boolean {
  const transport = packet.transport;
  if (transport === undefined || transport.protocol !== "udp" || transport.dstPort !== MARKER_PORT)
    return false;
  return startsWithPrefix(packet.payload, 0);
}

/**
 * Whether the packet is an ICMP (type 3 code 3) or ICMPv6 (type 1 code 4) port-unreachable quoting a UDP
 * datagram sent to the marker port. The ICMP message is the packet's network payload:
 * type (1), code (1), checksum (2), unused (4), then the offending IP header and at least 8 bytes of it.
 */
export function isMarkerIcmp(packet: DecodedPacket): boolean {
  const network = packet.network;
  if (network === undefined || packet.transport !== undefined) return false;
  const icmp = packet.payload;
  if (network.version === 4) {
    if (network.protocol !== 1 || icmp[0] !== 3 || icmp[1] !== 3) return false;
    const inner = 8;
    if (icmp.length < inner + 20 || icmp[inner]! >> 4 !== 4 || icmp[inner + 9] !== 17) return false;
    return quotedPortIsMarker(icmp, inner + (icmp[inner]! & 0x0f) * 4);
  }
  if (network.protocol !== 58 || icmp[0] !== 1 || icmp[1] !== 4) return false;
  const inner = 8;
  if (icmp.length < inner + 40 || icmp[inner]! >> 4 !== 6 || icmp[inner + 6] !== 17) return false;
  return quotedPortIsMarker(icmp, inner + 40);
}

function quotedPortIsMarker(bytes: Uint8Array, udp: number): boolean {
  if (bytes.length < udp + 4) return false;
  if (readU16(bytes, udp + 2) !== MARKER_PORT) return false;
  // When the quote is long enough to show the payload, it must be the marker's.
  return bytes.length < udp + 8 + PREFIX.length || startsWithPrefix(bytes, udp + 8);
}

function startsWithPrefix(bytes: Uint8Array, at: number): boolean {
  if (bytes.length < at + PREFIX.length) return false;
  for (let i = 0; i < PREFIX.length; i++) if (bytes[at + i] !== PREFIX[i]) return false;
  return true;
}
