// IPv4 header (RFC 791 §3.1), a view over the packet's bytes.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |Version|  IHL  |Type of Service|          Total Length         |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |         Identification        |Flags|      Fragment Offset    |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |  Time to Live |    Protocol   |         Header Checksum       |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                       Source Address                          |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                    Destination Address                        |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                    Options                    |    Padding    |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

import { formatIpv4 } from "./address.ts";
import { readU16, readU32 } from "./bytes.ts";
import { internetChecksum } from "./checksum.ts";
import type { DecodeProblem, Ipv4Layer } from "./packet-types.ts";
import { problem, truncated } from "./problem.ts";

/** IP protocol numbers socklab knows, with an `unknown` case. */
export type IpProtocolName = "tcp" | "udp" | "icmp" | "icmpv6" | "unknown";

/** The name of an IP protocol number. */
export function ipProtocolName(protocol: number): IpProtocolName {
  switch (protocol) {
    case 6:
      return "tcp";
    case 17:
      return "udp";
    case 1:
      return "icmp";
    case 58:
      return "icmpv6";
    default:
      return "unknown";
  }
}

/** An IPv4 header. Build it with `Ipv4View.decode`; after that no getter can fail. */
export class Ipv4View implements Ipv4Layer {
  private srcText: string | undefined = undefined;
  private dstText: string | undefined = undefined;

  private constructor(
    /** The whole packet. */
    readonly bytes: Uint8Array,
    /** Where the IPv4 header starts in `bytes`. */
    readonly offset: number,
    /** Byte 0, low nibble: IHL, the header length in 32-bit words (options included), × 4. */
    readonly headerLength: number,
  ) {}

  /** Checks the fixed header, the version and the IHL against the captured bytes. */
  static decode(bytes: Uint8Array, offset: number): Ipv4View | DecodeProblem {
    const available = bytes.length - offset;
    if (available < 20) return truncated("ipv4", "the IPv4 header", offset, 20, available);
    const version = bytes[offset]! >> 4;
    if (version !== 4) {
      return problem(
        "ipv4",
        "bad-version",
        offset,
        4,
        version,
        `the IPv4 header has version ${version}, not 4`,
      );
    }
    const headerLength = (bytes[offset]! & 0x0f) * 4;
    if (headerLength < 20) {
      return problem(
        "ipv4",
        "bad-header-length",
        offset,
        20,
        headerLength,
        `the IPv4 header length (IHL × 4) is ${headerLength}, less than 20`,
      );
    }
    if (available < headerLength) {
      return truncated("ipv4", "the IPv4 header with options", offset, headerLength, available);
    }
    return new Ipv4View(bytes, offset, headerLength);
  }

  get version(): 4 {
    return 4;
  }
  /** Byte 1: DSCP (6 bits) and ECN (2 bits). */
  get tos(): number {
    return this.bytes[this.offset + 1]!;
  }
  /** Bytes 2–3: the whole datagram's length, header included. */
  get totalLength(): number {
    return readU16(this.bytes, this.offset + 2);
  }
  /** Bytes 4–5. */
  get identification(): number {
    return readU16(this.bytes, this.offset + 4);
  }
  /** Byte 6, bit 0x40: DF. */
  get dontFragment(): boolean {
    return (this.bytes[this.offset + 6]! & 0x40) !== 0;
  }
  /** Byte 6, bit 0x20: MF. */
  get moreFragments(): boolean {
    return (this.bytes[this.offset + 6]! & 0x20) !== 0;
  }
  /** Bytes 6–7, low 13 bits, in 8-byte units; returned in bytes. Non-zero means no transport header here. */
  get fragmentOffset(): number {
    return (readU16(this.bytes, this.offset + 6) & 0x1fff) * 8;
  }
  /** Whether this datagram is a fragment (MF set or a non-zero offset). */
  get isFragment(): boolean {
    return this.moreFragments || this.fragmentOffset !== 0;
  }
  /** Byte 8. */
  get ttl(): number {
    return this.bytes[this.offset + 8]!;
  }
  /** Byte 9: the transport protocol number (6 TCP, 17 UDP, 1 ICMP). */
  get protocol(): number {
    return this.bytes[this.offset + 9]!;
  }
  get protocolName(): IpProtocolName {
    return ipProtocolName(this.protocol);
  }
  /** Bytes 10–11. */
  get checksum(): number {
    return readU16(this.bytes, this.offset + 10);
  }
  /** Whether the header checksum verifies. */
  get checksumValid(): boolean {
    return internetChecksum(this.bytes, this.offset, this.offset + this.headerLength) === 0;
  }
  /** Bytes 12–15, as dotted-quad text (computed once). */
  get src(): string {
    this.srcText ??= formatIpv4(this.bytes, this.offset + 12);
    return this.srcText;
  }
  /** Bytes 16–19, as dotted-quad text (computed once). */
  get dst(): string {
    this.dstText ??= formatIpv4(this.bytes, this.offset + 16);
    return this.dstText;
  }
  /** The source address as an unsigned 32-bit number (for keys without strings). */
  get srcNumber(): number {
    return readU32(this.bytes, this.offset + 12);
  }
  get dstNumber(): number {
    return readU32(this.bytes, this.offset + 16);
  }
  /** Bytes of upper-layer data according to the header (total length − header length; may be negative). */
  get upperLayerLength(): number {
    return this.totalLength - this.headerLength;
  }
}
