// UDP header (RFC 768), and UDP-Lite's (RFC 3828, IP protocol 136), a view over the packet's bytes.
//
//   0      7 8     15 16    23 24    31
//  +--------+--------+--------+--------+
//  |     Source      |   Destination   |
//  |      Port       |      Port       |
//  +--------+--------+--------+--------+
//  |                 |                 |
//  |     Length      |    Checksum     |
//  +--------+--------+--------+--------+
//  |          data octets ...
//  +---------------- ...
//
// UDP-Lite's bytes 4–5 are the checksum coverage instead: how many bytes from the start of the header the
// checksum covers (0 = the whole datagram; otherwise at least the 8-byte header and at most the datagram).
// Its datagram length is the one the IP header gives.

import { readU16 } from "./bytes.ts";
import type { DecodeProblem, UdpLayer } from "./packet-types.ts";
import { problem, truncated } from "./problem.ts";

/** A UDP or UDP-Lite header. Build it with `UdpView.decode`; after that no getter can fail. */
export class UdpView implements UdpLayer {
  private constructor(
    readonly bytes: Uint8Array,
    readonly offset: number,
    /** Whether this is UDP-Lite. */
    readonly lite: boolean,
    /** The datagram length the IP header gives (header included). */
    readonly segmentLength: number,
  ) {}

  /**
   * Checks the header against the segment length the IP header gives and against the captured bytes.
   * `lite` decodes UDP-Lite.
   */
  static decode(
    bytes: Uint8Array,
    offset: number,
    segmentLength: number,
    lite = false,
  ): UdpView | DecodeProblem {
    const name = lite ? "UDP-Lite" : "UDP";
    if (segmentLength < 8) {
      return problem(
        "udp",
        "bad-length",
        offset,
        8,
        segmentLength,
        `the IP header leaves ${segmentLength} bytes for ${name}, less than its 8-byte header`,
      );
    }
    const available = bytes.length - offset;
    if (available < 8) return truncated("udp", `the ${name} header`, offset, 8, available);
    return new UdpView(bytes, offset, lite, segmentLength);
  }

  get protocol(): "udp" {
    return "udp";
  }
  /** Bytes 0–1. */
  get srcPort(): number {
    return readU16(this.bytes, this.offset);
  }
  /** Bytes 2–3. */
  get dstPort(): number {
    return readU16(this.bytes, this.offset + 2);
  }
  /** UDP: bytes 4–5, header plus data. UDP-Lite: the datagram length the IP header gives. */
  get length(): number {
    return this.lite ? this.segmentLength : readU16(this.bytes, this.offset + 4);
  }
  /** UDP-Lite: bytes 4–5, the checksum coverage (0 = the whole datagram). UDP: `length`. */
  get checksumCoverage(): number {
    return readU16(this.bytes, this.offset + 4);
  }
  /** Bytes 6–7 (0 means the sender computed none, IPv4 only). */
  get checksum(): number {
    return readU16(this.bytes, this.offset + 6);
  }

  /**
   * A problem when the length field disagrees with the segment length the IP header gives; for UDP-Lite,
   * when the checksum coverage is neither 0 nor between 8 and that length (tshark's "bad checksum
   * coverage").
   */
  lengthProblem(segmentLength: number): DecodeProblem | undefined {
    if (this.lite) return this.coverageProblem(segmentLength);
    const length = this.length;
    if (length === segmentLength) return undefined;
    return problem(
      "udp",
      "bad-length",
      this.offset + 4,
      segmentLength,
      length,
      `the UDP length field says ${length}, but the IP header leaves ${segmentLength} bytes`,
    );
  }

  private coverageProblem(segmentLength: number): DecodeProblem | undefined {
    const coverage = this.checksumCoverage;
    if (coverage === 0 || (coverage >= 8 && coverage <= segmentLength)) return undefined;
    return problem(
      "udp",
      "bad-checksum-coverage",
      this.offset + 4,
      coverage < 8 ? 8 : segmentLength,
      coverage,
      `the UDP-Lite checksum coverage is ${coverage}, not 0 and not between 8 and the datagram's ${segmentLength} bytes`,
    );
  }
}
