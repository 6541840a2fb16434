// A whole packet decoded layer by layer: link → IPv4/IPv6 → TCP/UDP/UDP-Lite → payload. Lax: every layer
// decoded before a problem is kept, and problems are returned as data. Lengths come from the IP header, not
// from the captured length, so a packet the snap length cut keeps its lengths; where the cut falls inside
// the headers is recorded as `cut`, apart from the packet's own problems.

import type { CaptureRecord } from "../capture/record.ts";
import { formatPacket } from "./format.ts";
import { Ipv4View } from "./ipv4.ts";
import { Ipv6View } from "./ipv6.ts";
import { decodeLink, type LinkView } from "./link.ts";
import type { DecodedPacket, DecodeProblem } from "./packet-types.ts";
import { cutBySnapLength, NO_PROBLEMS, problem, truncated } from "./problem.ts";
import { TcpView } from "./tcp.ts";
import { UdpView } from "./udp.ts";

const EMPTY = new Uint8Array(0);

/** A decoded packet: views over the record's bytes (valid as long as the record's data is). */
export class Packet implements DecodedPacket {
  constructor(
    readonly number: number,
    readonly timeUs: number,
    readonly nanos: number,
    readonly frameLength: number,
    readonly capturedLength: number,
    /** The captured bytes, from the link header on. */
    readonly data: Uint8Array,
    readonly link: LinkView,
    readonly network: Ipv4View | Ipv6View | undefined,
    readonly transport: TcpView | UdpView | undefined,
    /**
     * Bytes after the last header decoded, by the length fields: the application payload when there is a
     * transport layer; otherwise the network payload (e.g. ICMP, a later fragment), or the frame after
     * the link header.
     */
    readonly payloadLength: number,
    /** Where the payload starts in `data`. */
    readonly payloadOffset: number,
    readonly problems: readonly DecodeProblem[],
    /** Where the snap length cut the headers, when it did. */
    readonly cut: DecodeProblem | undefined = undefined,
  ) {}

  /** The captured payload bytes: a view, shorter than payloadLength when the snap length cut the packet. */
  get payload(): Uint8Array {
    if (this.payloadLength === 0 || this.payloadOffset >= this.data.length) return EMPTY;
    return this.data.subarray(
      this.payloadOffset,
      Math.min(this.payloadOffset + this.payloadLength, this.data.length),
    );
  }

  /** The record's frame number and tcpdump notation. */
  toString(): string {
    return formatPacket(this);
  }
}

/**
 * Decodes one capture record. `fileLinkType` (masked with 0xFFFF) is the file's; the record's own, when it
 * has one, wins. Never throws.
 */
export function decodePacket(record: CaptureRecord, fileLinkType: number): Packet {
  const linkType = record.linkType ?? fileLinkType;
  const data = record.data;
  const frameLength = record.originalLength;
  const link = decodeLink(data, linkType);
  let problems: DecodeProblem[] | undefined;
  let network: Ipv4View | Ipv6View | undefined;
  let transport: TcpView | UdpView | undefined;
  let payloadOffset = link.headerLength;
  let payloadLength = Math.max(0, frameLength - payloadOffset);
  if (link.problem !== undefined) problems = [link.problem];

  if (link.network !== "unknown") {
    const ip = link.headerLength;
    const decoded = link.network === "ipv4" ? Ipv4View.decode(data, ip) : Ipv6View.decode(data, ip);
    if (decoded instanceof Ipv4View || decoded instanceof Ipv6View) {
      network = decoded;
      const headerLength = decoded.headerLength;
      let declared: number;
      // Only a first fragment (or a whole datagram) starts with the transport header.
      let transportFollows = decoded.fragmentOffset === 0;
      if (decoded instanceof Ipv4View) {
        declared = decoded.totalLength;
      } else {
        declared = 40 + decoded.payloadLength;
        if (decoded.problem !== undefined) {
          problems = add(problems, decoded.problem);
          transportFollows = false;
        }
      }
      // Bytes of upper-layer data by the length fields (upperLayerLength; may be negative).
      const upper = declared - headerLength;
      const segment = ip + headerLength;
      payloadOffset = segment;
      payloadLength = Math.max(0, upper);
      if (upper < 0) {
        problems = add(problems, lengthTooSmall(decoded, ip, declared));
        transportFollows = false;
      } else if (declared > frameLength - ip) {
        problems = add(problems, lengthTooLarge(decoded, ip, declared, frameLength - ip));
      }
      if (transportFollows) {
        const protocol = decoded.protocol;
        if (protocol === 6) {
          const tcp = TcpView.decode(data, segment, upper);
          if (tcp instanceof TcpView) {
            transport = tcp;
            if (tcp.problem !== undefined) problems = add(problems, tcp.problem);
            if (tcp.capturedHeaderLength < tcp.headerLength) {
              const what = tcp.capturedHeaderLength < 20 ? "the TCP header" : "the TCP header with options";
              const missing = truncated("tcp", what, segment, tcp.headerLength, tcp.capturedHeaderLength);
              problems = add(problems, missing);
            }
            payloadOffset = segment + tcp.headerLength;
            payloadLength = upper - tcp.headerLength;
          } else {
            problems = add(problems, tcp);
          }
        } else if (protocol === 17 || protocol === 136) {
          const udp = UdpView.decode(data, segment, upper, protocol === 136);
          if (udp instanceof UdpView) {
            transport = udp;
            // A first fragment carries the whole datagram's UDP length.
            const mismatch = decoded.moreFragments ? undefined : udp.lengthProblem(upper);
            if (mismatch !== undefined) problems = add(problems, mismatch);
            payloadOffset = segment + 8;
            payloadLength = upper - 8;
          } else {
            problems = add(problems, udp);
          }
        }
      }
    } else {
      problems = add(problems, decoded);
    }
  }

  // Headers missing bytes that the frame had on the wire were cut by the snap length: a fact of the capture,
  // kept apart from the packet's problems.
  const cut =
    problems !== undefined && data.length < frameLength ? takeCut(problems, frameLength) : undefined;
  return new Packet(
    record.number,
    record.timeUs,
    record.nanos ?? 0,
    frameLength,
    record.capturedLength,
    data,
    link,
    network,
    transport,
    payloadLength,
    payloadOffset,
    problems === undefined || problems.length === 0 ? NO_PROBLEMS : problems,
    cut,
  );
}

// Removes from `problems` every truncation that lies inside the frame's length on the wire (the snap length
// cut it) and returns the first as the packet's cut: nothing after it could be decoded.
function takeCut(problems: DecodeProblem[], frameLength: number): DecodeProblem | undefined {
  let cut: DecodeProblem | undefined;
  let kept = 0;
  for (const p of problems) {
    if (p.code === "truncated" && p.offset + p.required <= frameLength) cut ??= cutBySnapLength(p);
    else problems[kept++] = p;
  }
  problems.length = kept;
  return cut;
}

function add(list: DecodeProblem[] | undefined, p: DecodeProblem): DecodeProblem[] {
  if (list === undefined) return [p];
  list.push(p);
  return list;
}

function lengthTooSmall(ip: Ipv4View | Ipv6View, at: number, declared: number): DecodeProblem {
  if (ip instanceof Ipv4View) {
    return problem(
      "ipv4",
      "bad-total-length",
      at + 2,
      ip.headerLength,
      declared,
      `the IPv4 total length is ${declared}, less than its ${ip.headerLength}-byte header`,
    );
  }
  return problem(
    "ipv6",
    "bad-payload-length",
    at + 4,
    ip.headerLength - 40,
    ip.payloadLength,
    `the IPv6 payload length is ${ip.payloadLength}, less than its ${ip.headerLength - 40} bytes of extension headers`,
  );
}

function lengthTooLarge(
  ip: Ipv4View | Ipv6View,
  at: number,
  declared: number,
  actual: number,
): DecodeProblem {
  const v4 = ip instanceof Ipv4View;
  return problem(
    v4 ? "ipv4" : "ipv6",
    v4 ? "bad-total-length" : "bad-payload-length",
    at + (v4 ? 2 : 4),
    declared,
    actual,
    `the ${v4 ? "IPv4 total length" : "IPv6 header and payload length"} is ${declared} bytes, but the frame has only ${actual} after the link header`,
  );
}
