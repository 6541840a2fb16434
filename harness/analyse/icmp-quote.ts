// The datagram an ICMP or ICMPv6 error quotes. Wireshark dissects the quoted IP header and UDP header as a
// packet of their own, and looking up their conversation creates one when the 4-tuple has none: the quote
// takes the next `udp.stream` number, and later datagrams of that 4-tuple share it.
//
//  ICMP error: type (1) code (1) checksum (2) unused/pointer/MTU (4), then the offending IP header and at
//  least the first 8 bytes of its payload (here: the UDP header).

import { type DecodedPacket, Ipv4View, Ipv6View, readU16 } from "../decode/index.ts";
import { addressPortKey, type EndpointKey } from "./flow-key.ts";

/** ICMPv4 error types Wireshark dissects the quote of: unreachable, quench, redirect, time exceeded, parameter. */
const ICMP4_ERRORS = new Set([3, 4, 5, 11, 12]);
/** ICMPv6 error types: unreachable, packet too big, time exceeded, parameter problem. */
const ICMP6_ERRORS = new Set([1, 2, 3, 4]);
const UDP = 17;
const UDP_LITE = 136;

/** The endpoints of the UDP (or UDP-Lite) datagram an ICMP error quotes, as its sender sent it. */
export interface QuotedDatagram {
  readonly srcKey: EndpointKey;
  readonly dstKey: EndpointKey;
}

/** The UDP datagram the packet's ICMP/ICMPv6 error quotes, if it is such an error with its header captured. */
export function quotedUdp(packet: DecodedPacket): QuotedDatagram | undefined {
  const network = packet.network;
  if (network === undefined || packet.transport !== undefined) return undefined;
  const icmp = packet.payload;
  if (icmp.length < 8) return undefined;
  let inner: Ipv4View | Ipv6View;
  if (network.version === 4) {
    if (network.protocol !== 1 || !ICMP4_ERRORS.has(icmp[0]!)) return undefined;
    const decoded = Ipv4View.decode(icmp, 8);
    if (!(decoded instanceof Ipv4View) || decoded.fragmentOffset !== 0) return undefined;
    inner = decoded;
  } else {
    if (network.protocol !== 58 || !ICMP6_ERRORS.has(icmp[0]!)) return undefined;
    const decoded = Ipv6View.decode(icmp, 8);
    if (!(decoded instanceof Ipv6View) || decoded.fragmentOffset !== 0) return undefined;
    inner = decoded;
  }
  if (inner.protocol !== UDP && inner.protocol !== UDP_LITE) return undefined;
  // As for any UDP header, Wireshark numbers the stream only when the whole 8-byte header was captured.
  const ports = 8 + inner.headerLength;
  if (icmp.length < ports + 8) return undefined;
  return {
    srcKey: addressPortKey(inner, "src", readU16(icmp, ports)),
    dstKey: addressPortKey(inner, "dst", readU16(icmp, ports + 2)),
  };
}
