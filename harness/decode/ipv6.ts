// IPv6 header (RFC 8200 §3) and the extension headers in front of the upper layer (§4), a view over the
// packet's bytes.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |Version| Traffic Class |           Flow Label                  |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |         Payload Length        |  Next Header  |   Hop Limit   |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                                                               |
//  +                         Source Address (16)                   +    bytes 8–23
//  |                                                               |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                                                               |
//  +                      Destination Address (16)                 +    bytes 24–39
//  |                                                               |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Extension headers start with Next Header (1) and a length byte (1):
//   0 Hop-by-Hop, 43 Routing, 60 Destination Options, 135 Mobility, 139 HIP, 140 Shim6: (len + 1) × 8 bytes
//   44 Fragment: 8 bytes; bytes 2–3 = offset (13 bits, 8-byte units) | res (2) | M (1)
//   51 Authentication Header (RFC 4302): (len + 2) × 4 bytes
//   59 No Next Header: nothing follows. 50 ESP: encrypted, nothing to decode.

import { formatIpv6 } from "./address.ts";
import { readU16, readU32 } from "./bytes.ts";
import { type IpProtocolName, ipProtocolName } from "./ipv4.ts";
import type { DecodeProblem, Ipv6Layer } from "./packet-types.ts";
import { problem, truncated } from "./problem.ts";

const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const AUTHENTICATION = 51;
const DESTINATION_OPTIONS = 60;
const MOBILITY = 135;
const HIP = 139;
const SHIM6 = 140;

/** Whether an IPv6 next-header value is an extension header that socklab skips. */
export function isIpv6ExtensionHeader(nextHeader: number): boolean {
  switch (nextHeader) {
    case HOP_BY_HOP:
    case ROUTING:
    case FRAGMENT:
    case AUTHENTICATION:
    case DESTINATION_OPTIONS:
    case MOBILITY:
    case HIP:
    case SHIM6:
      return true;
    default:
      return false;
  }
}

/** An IPv6 header plus its extension headers. Build it with `Ipv6View.decode`. */
export class Ipv6View implements Ipv6Layer {
  private srcText: string | undefined = undefined;
  private dstText: string | undefined = undefined;

  private constructor(
    readonly bytes: Uint8Array,
    readonly offset: number,
    /** 40 plus every extension header skipped. */
    readonly headerLength: number,
    /** The upper-layer protocol after the extension headers (or the header where the chain stopped). */
    readonly protocol: number,
    /** From a Fragment header, in bytes; 0 when there is none. */
    readonly fragmentOffset: number,
    readonly moreFragments: boolean,
    readonly hasFragmentHeader: boolean,
    /** Where the first Fragment header starts in `bytes`, or -1 when there is none. */
    readonly fragmentHeaderAt: number,
    /** Why the extension-header chain could not be followed to the end (the fixed header is still good). */
    readonly problem: DecodeProblem | undefined,
  ) {}

  /** Checks the fixed header and walks the extension headers inside the captured bytes. */
  static decode(bytes: Uint8Array, offset: number): Ipv6View | DecodeProblem {
    const available = bytes.length - offset;
    if (available < 40) return truncated("ipv6", "the IPv6 header", offset, 40, available);
    const version = bytes[offset]! >> 4;
    if (version !== 6) {
      return problem(
        "ipv6",
        "bad-version",
        offset,
        6,
        version,
        `the IPv6 header has version ${version}, not 6`,
      );
    }
    let next = bytes[offset + 6]!;
    let at = offset + 40;
    let fragmentOffset = 0;
    let moreFragments = false;
    let hasFragmentHeader = false;
    let fragmentHeaderAt = -1;
    let chainProblem: DecodeProblem | undefined;
    while (isIpv6ExtensionHeader(next)) {
      if (bytes.length < at + 2) {
        chainProblem = truncated("ipv6", `IPv6 extension header ${next}`, at, 2, bytes.length - at);
        break;
      }
      let length: number;
      if (next === FRAGMENT) length = 8;
      else if (next === AUTHENTICATION) length = (bytes[at + 1]! + 2) * 4;
      else length = (bytes[at + 1]! + 1) * 8;
      if (bytes.length < at + length) {
        chainProblem = truncated("ipv6", `IPv6 extension header ${next}`, at, length, bytes.length - at);
        break;
      }
      if (next === FRAGMENT && !hasFragmentHeader) {
        hasFragmentHeader = true;
        fragmentHeaderAt = at;
        const field = readU16(bytes, at + 2);
        fragmentOffset = field & 0xfff8;
        moreFragments = (field & 1) !== 0;
      }
      next = bytes[at]!;
      at += length;
    }
    return new Ipv6View(
      bytes,
      offset,
      at - offset,
      next,
      fragmentOffset,
      moreFragments,
      hasFragmentHeader,
      fragmentHeaderAt,
      chainProblem,
    );
  }

  get version(): 6 {
    return 6;
  }
  /** Bytes 0–1: traffic class, the 8 bits after the version. */
  get trafficClass(): number {
    return (readU16(this.bytes, this.offset) >> 4) & 0xff;
  }
  /** Bytes 1–3: the low 20 bits. */
  get flowLabel(): number {
    return readU32(this.bytes, this.offset) & 0xfffff;
  }
  /** Bytes 4–5: the bytes after the fixed header, extension headers included. */
  get payloadLength(): number {
    return readU16(this.bytes, this.offset + 4);
  }
  /** Byte 6: the first next-header value (before any extension header). */
  get nextHeader(): number {
    return this.bytes[this.offset + 6]!;
  }
  /** Byte 7. */
  get hopLimit(): number {
    return this.bytes[this.offset + 7]!;
  }
  get protocolName(): IpProtocolName {
    return ipProtocolName(this.protocol);
  }
  /** Whether this packet is a fragment; a non-zero offset means no transport header here. */
  get isFragment(): boolean {
    return this.moreFragments || this.fragmentOffset !== 0;
  }
  /** The Fragment header's Identification (its bytes 4–7), or 0 without a Fragment header. */
  get fragmentIdentification(): number {
    return this.fragmentHeaderAt < 0 ? 0 : readU32(this.bytes, this.fragmentHeaderAt + 4);
  }
  /** The Fragment header's Next Header: the protocol of the reassembled data (-1 without the header). */
  get fragmentNextHeader(): number {
    return this.fragmentHeaderAt < 0 ? -1 : this.bytes[this.fragmentHeaderAt]!;
  }
  /**
   * Bytes of fragmentable data after the Fragment header by the payload length field (may be negative when
   * the field is too small); 0 without a Fragment header.
   */
  get fragmentDataLength(): number {
    if (this.fragmentHeaderAt < 0) return 0;
    return this.offset + 40 + this.payloadLength - (this.fragmentHeaderAt + 8);
  }
  /** Bytes 8–23, as RFC 5952 text (computed once). */
  get src(): string {
    this.srcText ??= formatIpv6(this.bytes, this.offset + 8);
    return this.srcText;
  }
  /** Bytes 24–39, as RFC 5952 text (computed once). */
  get dst(): string {
    this.dstText ??= formatIpv6(this.bytes, this.offset + 24);
    return this.dstText;
  }
  /** Bytes of upper-layer data according to the header (payload length − extension headers). */
  get upperLayerLength(): number {
    return this.payloadLength - (this.headerLength - 40);
  }
}
