// Link-layer headers of the capture link types socklab reads. Each header ends with a protocol value that
// says what follows; all multi-byte fields are big-endian except where noted.
//
// Ethernet, LINKTYPE_ETHERNET 1 (Linux `-i lo` writes zero MACs), 14 bytes:
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                    Destination MAC address                    |   0: destination (6)
//  +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                               |     Source MAC address        |   6: source (6)
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
//  |                                                               |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |           EtherType           |                                  12: 0x0800 IPv4, 0x86DD IPv6,
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                                      0x8100/0x88A8/0x9100 VLAN tag
//  802.1Q tag (after the MACs, repeated for QinQ): TPID 0x8100 (2) | PCP 3 bits, DEI 1, VID 12 (2),
//  then the real EtherType (2): each tag adds 4 bytes.
//
// NULL (LINKTYPE_NULL 0, BSD/macOS lo0) and LOOP (LINKTYPE_LOOP 108, OpenBSD), 4 bytes:
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                        Address family                         |   0: AF_INET 2; AF_INET6 10 (Linux),
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+      24 (Net/OpenBSD), 28 (FreeBSD),
//   NULL: in the byte order of the host that wrote the file (try both);    30 (Darwin)
//   LOOP: big-endian.
//
// LINUX_SLL (LINKTYPE_LINUX_SLL 113, Linux cooked v1), 16 bytes:
//   0: packet type (2) [0 host, 1 broadcast, 2 multicast, 3 other host, 4 outgoing]
//   2: ARPHRD type (2), 4: link address length (2), 6: link address (8), 14: protocol (EtherType) (2)
//
// LINUX_SLL2 (LINKTYPE_LINUX_SLL2 276, Linux cooked v2, `tcpdump -i any` since 4.99), 20 bytes:
//   0: protocol (EtherType) (2), 2: reserved, zero (2), 4: interface index (4), 8: ARPHRD type (2),
//   10: packet type (1), 11: link address length (1), 12: link address (8)
//
// RAW (LINKTYPE_RAW 101; DLT 12 and 14 on some systems), 0 bytes: the IP version nibble says v4 or v6.
// LINKTYPE_IPV4 228 and LINKTYPE_IPV6 229, 0 bytes: the link type says it.
//
// NOT_A_PACKET (0xFFFF, no real link type): a capture record that is not a packet (a pcapng custom block
// tshark counts as a frame): no link header, no network layer, and no problem either.

import { NOT_A_PACKET } from "../capture/record.ts";
import { readU16, readU32, readU32Le } from "./bytes.ts";
import type { DecodeProblem, LinkLayer, LinkTypeName } from "./packet-types.ts";
import { problem, truncated } from "./problem.ts";

/** What the link header says comes next. */
export type NetworkKind = "ipv4" | "ipv6" | "unknown";

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
const AF_INET = 2;

// 802.1Q, 802.1ad and the old QinQ tag protocol identifiers.
function isVlanTpid(etherType: number): boolean {
  return etherType === 0x8100 || etherType === 0x88a8 || etherType === 0x9100;
}

// AF_INET6 on Linux, Net/OpenBSD, FreeBSD and Darwin.
function isInet6(af: number): boolean {
  return af === 10 || af === 24 || af === 28 || af === 30;
}

/** The name of a link type code (masked with 0xFFFF). */
export function linkTypeName(code: number): LinkTypeName {
  switch (code & 0xffff) {
    case 0:
      return "null";
    case 1:
      return "ethernet";
    case 12:
    case 14:
    case 101:
    case 228:
    case 229:
      return "raw";
    case 108:
      return "loop";
    case 113:
      return "linux-sll";
    case 276:
      return "linux-sll2";
    default:
      return "unknown";
  }
}

/** A decoded link header. Views for the common cases are shared between packets (they hold no bytes). */
export class LinkView implements LinkLayer {
  constructor(
    readonly type: LinkTypeName,
    readonly code: number,
    readonly headerLength: number,
    readonly network: NetworkKind,
    /** The raw value that selected the network layer: an EtherType, an address family or the IP version. */
    readonly protocolValue: number,
    /** The VLAN id of the first 802.1Q tag, when there is one. */
    readonly vlan: number | undefined = undefined,
    /** Why no network layer follows, when the header could not be used. */
    readonly problem: DecodeProblem | undefined = undefined,
  ) {}
}

const cache = new Map<number, LinkView>();
// The last view handed out: consecutive packets almost always share it, and a comparison beats the Map.
let last = new LinkView("ethernet", 1, 14, "ipv4", ETHERTYPE_IPV4);

function shared(type: LinkTypeName, code: number, headerLength: number, network: NetworkKind, value: number) {
  if (last.code === code && last.headerLength === headerLength && last.protocolValue === value) return last;
  const key = code * 0x100000000 + headerLength * 0x10000 + value;
  let view = cache.get(key);
  if (view === undefined) {
    view = new LinkView(type, code, headerLength, network, value);
    cache.set(key, view);
  }
  last = view;
  return view;
}

function fromEtherType(etherType: number): NetworkKind {
  return etherType === ETHERTYPE_IPV4 ? "ipv4" : etherType === ETHERTYPE_IPV6 ? "ipv6" : "unknown";
}

function fromAddressFamily(af: number): NetworkKind {
  return af === AF_INET ? "ipv4" : isInet6(af) ? "ipv6" : "unknown";
}

function failed(type: LinkTypeName, code: number, p: DecodeProblem): LinkView {
  return new LinkView(type, code, 0, "unknown", 0, undefined, p);
}

// A link header whose protocol value names no network layer socklab decodes (ARP, LLC, …).
function unknownNetwork(
  type: LinkTypeName,
  code: number,
  headerLength: number,
  value: number,
  at: number,
  vlan?: number,
): LinkView {
  const p = problem(
    "link",
    "unknown-network-protocol",
    at,
    0,
    value,
    `the ${type} header names protocol 0x${value.toString(16).padStart(4, "0")}, which is not IPv4 or IPv6`,
  );
  return new LinkView(type, code, headerLength, "unknown", value, vlan, p);
}

/** Decodes the link header of a packet of the given link type (masked with 0xFFFF here). */
export function decodeLink(data: Uint8Array, linkType: number): LinkView {
  const code = linkType & 0xffff;
  const length = data.length;
  switch (code) {
    case 1: {
      if (length < 14)
        return failed("ethernet", code, truncated("link", "the Ethernet header", 0, 14, length));
      let at = 12;
      let etherType = readU16(data, 12);
      let vlan: number | undefined;
      while (isVlanTpid(etherType)) {
        if (length < at + 6) {
          return failed("ethernet", code, truncated("link", "an 802.1Q VLAN tag", at, at + 6, length));
        }
        vlan ??= readU16(data, at + 2) & 0x0fff;
        at += 4;
        etherType = readU16(data, at);
      }
      const network = fromEtherType(etherType);
      if (network === "unknown") return unknownNetwork("ethernet", code, at + 2, etherType, at, vlan);
      if (vlan !== undefined) return new LinkView("ethernet", code, at + 2, network, etherType, vlan);
      return shared("ethernet", code, 14, network, etherType);
    }
    case 0:
    case 108: {
      const type = code === 0 ? "null" : "loop";
      if (length < 4) return failed(type, code, truncated("link", `the ${type} header`, 0, 4, length));
      const be = readU32(data, 0);
      let af = be;
      if (code === 0) {
        // The writer's byte order: a small value read little-endian means a little-endian writer.
        const le = readU32Le(data, 0);
        af = le <= 0xffff ? le : be;
      }
      const network = fromAddressFamily(af);
      if (network === "unknown") return unknownNetwork(type, code, 4, af, 0);
      return shared(type, code, 4, network, af);
    }
    case 113: {
      if (length < 16)
        return failed("linux-sll", code, truncated("link", "the Linux SLL header", 0, 16, length));
      const etherType = readU16(data, 14);
      const network = fromEtherType(etherType);
      if (network === "unknown") return unknownNetwork("linux-sll", code, 16, etherType, 14);
      return shared("linux-sll", code, 16, network, etherType);
    }
    case 276: {
      if (length < 20) {
        return failed("linux-sll2", code, truncated("link", "the Linux SLL2 header", 0, 20, length));
      }
      const etherType = readU16(data, 0);
      const network = fromEtherType(etherType);
      if (network === "unknown") return unknownNetwork("linux-sll2", code, 20, etherType, 0);
      return shared("linux-sll2", code, 20, network, etherType);
    }
    case 228:
      return shared("raw", code, 0, "ipv4", 4);
    case 229:
      return shared("raw", code, 0, "ipv6", 6);
    case 12:
    case 14:
    case 101: {
      if (length < 1) return failed("raw", code, truncated("link", "a raw IP packet", 0, 1, length));
      const version = data[0]! >> 4;
      if (version === 4) return shared("raw", code, 0, "ipv4", 4);
      if (version === 6) return shared("raw", code, 0, "ipv6", 6);
      return failed(
        "raw",
        code,
        problem(
          "link",
          "bad-version",
          0,
          4,
          version,
          `a raw IP packet has IP version ${version}, not 4 or 6`,
        ),
      );
    }
    case NOT_A_PACKET:
      return shared("unknown", code, 0, "unknown", 0);
    default:
      return failed(
        "unknown",
        code,
        problem("link", "unknown-link-type", 0, 0, code, `link type ${code} is not one socklab decodes`),
      );
  }
}
