// UDP header (RFC 768), a view over the packet's bytes.
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

import { readU16 } from "./bytes.ts";
import type { DecodeProblem, UdpLayer } from "./packet-types.ts";
import { problem, truncated } from "./problem.ts";

/** A UDP header. Build it with `UdpView.decode`; after that no getter can fail. */
export class UdpView implements UdpLayer {
  private constructor(
    readonly bytes: Uint8Array,
    readonly offset: number,
  ) {}

  /** Checks the header against the segment length the IP header gives and against the captured bytes. */
  static decode(bytes: Uint8Array, offset: number, segmentLength: number): UdpView | DecodeProblem {
    if (segmentLength < 8) {
      return problem(
        "udp",
        "bad-length",
        offset,
        8,
        segmentLength,
        `the IP header leaves ${segmentLength} bytes for UDP, less than its 8-byte header`,
      );
    }
    const available = bytes.length - offset;
    if (available < 8) return truncated("udp", "the UDP header", offset, 8, available);
    return new UdpView(bytes, offset);
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
  /** Bytes 4–5: header plus data. */
  get length(): number {
    return readU16(this.bytes, this.offset + 4);
  }
  /** Bytes 6–7 (0 means the sender computed none, IPv4 only). */
  get checksum(): number {
    return readU16(this.bytes, this.offset + 6);
  }

  /** A problem when the length field disagrees with the segment length the IP header gives. */
  lengthProblem(segmentLength: number): DecodeProblem | undefined {
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
}
