// TCP header (RFC 9293 §3.1) and its options, a view over the packet's bytes.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |          Source Port          |       Destination Port        |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                        Sequence Number                        |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                    Acknowledgment Number                      |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |  Data |     |N|C|E|U|A|P|R|S|F|                               |
//  | Offset| Rsv |S|W|C|R|C|S|S|Y|I|            Window             |
//  |       |     | |R|E|G|K|H|T|N|N|                               |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |           Checksum            |         Urgent Pointer        |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                    Options                    |    Padding    |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Options: kind (1), then for kinds other than 0 (EOL) and 1 (NOP) a length (1) that counts kind and length:
//   2 MSS (len 4): mss (2)          3 window scale (len 3): shift (1)     4 SACK permitted (len 2)
//   5 SACK (len 2 + 8n): n × (left edge (4), right edge (4))             8 timestamps (len 10): val (4), ecr (4)

import { readU16, readU32 } from "./bytes.ts";
import type { DecodeProblem, TcpLayer, TcpOptions } from "./packet-types.ts";
import { problem, truncated } from "./problem.ts";

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;
export const TCP_ECE = 0x40;
export const TCP_CWR = 0x80;
export const TCP_NS = 0x100;

/** TCP option kinds socklab knows, with an `unknown` case. */
export type TcpOptionName = "eol" | "nop" | "mss" | "wscale" | "sackOK" | "sack" | "timestamp" | "unknown";

/** The name of a TCP option kind. */
export function tcpOptionName(kind: number): TcpOptionName {
  switch (kind) {
    case 0:
      return "eol";
    case 1:
      return "nop";
    case 2:
      return "mss";
    case 3:
      return "wscale";
    case 4:
      return "sackOK";
    case 5:
      return "sack";
    case 8:
      return "timestamp";
    default:
      return "unknown";
  }
}

const EMPTY_SACK: ReadonlyArray<readonly [number, number]> = Object.freeze([]);

/** A TCP header. Build it with `TcpView.decode`; after that no getter can fail. */
export class TcpView implements TcpLayer {
  private parsedOptions: TcpOptions | undefined = undefined;

  private constructor(
    readonly bytes: Uint8Array,
    readonly offset: number,
    /** Data offset × 4. */
    readonly headerLength: number,
    /** Header bytes captured: `headerLength`, or at least 16 when the snap length cut the header. */
    readonly capturedHeaderLength: number,
    /**
     * Where the options captured whole and well formed end, from the start of the header (20 when there
     * are none).
     */
    readonly optionsEnd: number,
    /** The first malformed option, when there is one (options before it are kept). */
    readonly problem: DecodeProblem | undefined,
  ) {}

  get protocol(): "tcp" {
    return "tcp";
  }

  /**
   * Checks the header against the segment length the IP header gives (`segmentLength`) and against the
   * captured bytes, then checks the options. A header cut short is kept, as tshark keeps it, when its
   * first 16 bytes (ports to window) were captured: `capturedHeaderLength` then says how much was.
   */
  static decode(bytes: Uint8Array, offset: number, segmentLength: number): TcpView | DecodeProblem {
    if (segmentLength < 20) {
      return problem(
        "tcp",
        "bad-length",
        offset,
        20,
        segmentLength,
        `the IP header leaves ${segmentLength} bytes for TCP, less than its 20-byte header`,
      );
    }
    const available = bytes.length - offset;
    if (available < MIN_CAPTURED) return truncated("tcp", "the TCP header", offset, 20, available);
    const headerLength = (bytes[offset + 12]! >> 4) * 4;
    if (headerLength < 20 || headerLength > segmentLength) {
      return problem(
        "tcp",
        "bad-header-length",
        offset + 12,
        headerLength < 20 ? 20 : segmentLength,
        headerLength,
        headerLength < 20
          ? `the TCP data offset says ${headerLength} header bytes, less than 20`
          : `the TCP data offset says ${headerLength} header bytes, but the segment has only ${segmentLength}`,
      );
    }
    if (headerLength === 20 && available >= 20) return new TcpView(bytes, offset, 20, 20, 20, undefined);
    const captured = Math.min(available, headerLength);
    if (captured <= 20) return new TcpView(bytes, offset, headerLength, captured, 20, undefined);
    const scan = scanOptions(bytes, offset, headerLength, captured);
    if ((scan & MALFORMED) === 0) return new TcpView(bytes, offset, headerLength, captured, scan, undefined);
    const end = scan & ~MALFORMED;
    const malformed = optionProblem(bytes, offset, headerLength, end);
    return new TcpView(bytes, offset, headerLength, captured, end, malformed);
  }

  /** Whether the whole header, options included, was captured. */
  get optionsCaptured(): boolean {
    return this.capturedHeaderLength === this.headerLength;
  }

  /** Bytes 0–1. */
  get srcPort(): number {
    return readU16(this.bytes, this.offset);
  }
  /** Bytes 2–3. */
  get dstPort(): number {
    return readU16(this.bytes, this.offset + 2);
  }
  /** Bytes 4–7, unsigned. */
  get seq(): number {
    return readU32(this.bytes, this.offset + 4);
  }
  /** Bytes 8–11, unsigned (meaningful only with the ACK flag). */
  get ack(): number {
    return readU32(this.bytes, this.offset + 8);
  }
  /** Byte 12 low bit (NS) and byte 13 (CWR … FIN). */
  get flags(): number {
    return readU16(this.bytes, this.offset + 12) & 0x1ff;
  }
  get fin(): boolean {
    return (this.bytes[this.offset + 13]! & TCP_FIN) !== 0;
  }
  get syn(): boolean {
    return (this.bytes[this.offset + 13]! & TCP_SYN) !== 0;
  }
  get rst(): boolean {
    return (this.bytes[this.offset + 13]! & TCP_RST) !== 0;
  }
  get psh(): boolean {
    return (this.bytes[this.offset + 13]! & TCP_PSH) !== 0;
  }
  get ackFlag(): boolean {
    return (this.bytes[this.offset + 13]! & TCP_ACK) !== 0;
  }
  get urg(): boolean {
    return (this.bytes[this.offset + 13]! & TCP_URG) !== 0;
  }
  get ece(): boolean {
    return (this.bytes[this.offset + 13]! & TCP_ECE) !== 0;
  }
  get cwr(): boolean {
    return (this.bytes[this.offset + 13]! & TCP_CWR) !== 0;
  }
  /** Bytes 14–15, not scaled. */
  get window(): number {
    return readU16(this.bytes, this.offset + 14);
  }
  /** Bytes 16–17 (0 when not captured). */
  get checksum(): number {
    return readU16(this.bytes, this.offset + 16);
  }
  /** Bytes 18–19 (0 when not captured). */
  get urgentPointer(): number {
    return readU16(this.bytes, this.offset + 18);
  }
  /**
   * The options from byte 20 up to the first malformed one, or to the last one captured whole (parsed on
   * first use, then kept).
   */
  get options(): TcpOptions {
    this.parsedOptions ??= parseOptions(this.bytes, this.offset, this.optionsEnd);
    return this.parsedOptions;
  }
}

// The length a known option kind must have; 0 for kinds with a variable or unknown length.
function requiredOptionLength(kind: number): number {
  switch (kind) {
    case 2:
      return 4;
    case 3:
      return 3;
    case 4:
      return 2;
    case 8:
      return 10;
    default:
      return 0;
  }
}

const MALFORMED = 0x100;

// The header bytes tshark needs to put a segment in its conversation and analyse it: ports, sequence and
// acknowledgement numbers, data offset, flags and window. The checksum and urgent pointer may be cut.
const MIN_CAPTURED = 16;

// Walks the options without allocating. Returns where the well-formed options end (from the start of the
// header), with MALFORMED added when they end at a malformed option rather than at EOL, the header's end or
// the end of the `captured` header bytes (an option the snap length cut is not malformed).
function scanOptions(bytes: Uint8Array, offset: number, headerLength: number, captured: number): number {
  let at = 20;
  while (at < captured) {
    const kind = bytes[offset + at]!;
    if (kind === 0) return at;
    if (kind === 1) {
      at++;
      continue;
    }
    if (at + 1 >= headerLength) return at | MALFORMED;
    if (at + 1 >= captured) return at;
    const length = bytes[offset + at + 1]!;
    if (length < 2 || at + length > headerLength) return at | MALFORMED;
    const required = requiredOptionLength(kind);
    if (required !== 0 && length !== required) return at | MALFORMED;
    if (kind === 5 && (length < 10 || (length - 2) % 8 !== 0)) return at | MALFORMED;
    if (at + length > captured) return at;
    at += length;
  }
  return at;
}

// Describes the malformed option that scanOptions stopped at (`at`, from the start of the header).
function optionProblem(bytes: Uint8Array, offset: number, headerLength: number, at: number): DecodeProblem {
  const where = offset + at;
  const kind = bytes[where]!;
  const name = `TCP option ${tcpOptionName(kind)} (${kind})`;
  if (at + 1 >= headerLength) {
    return problem(
      "tcp",
      "malformed-option",
      where,
      2,
      1,
      `${name} has no length byte before the header ends`,
    );
  }
  const length = bytes[where + 1]!;
  if (length < 2) {
    return problem(
      "tcp",
      "malformed-option",
      where + 1,
      2,
      length,
      `${name} has length ${length}, less than 2`,
    );
  }
  const left = headerLength - at;
  if (length > left) {
    return problem(
      "tcp",
      "malformed-option",
      where + 1,
      length,
      left,
      `${name} has length ${length}, but only ${left} option bytes remain`,
    );
  }
  const required = requiredOptionLength(kind);
  const expected = required !== 0 ? String(required) : "2 + 8 × blocks (at least 10)";
  return problem(
    "tcp",
    "bad-option-length",
    where + 1,
    required || 10,
    length,
    `${name} has length ${length}, expected ${expected}`,
  );
}

// Parses options already checked by scanOptions, between byte 20 and `end` of the header.
function parseOptions(bytes: Uint8Array, offset: number, end: number): TcpOptions {
  let mss: number | undefined;
  let windowScale: number | undefined;
  let sackPermitted = false;
  let sack: ReadonlyArray<readonly [number, number]> = EMPTY_SACK;
  let timestamp: { value: number; echo: number } | undefined;
  const kinds: number[] = [];
  let at = offset + 20;
  const stop = offset + end;
  while (at < stop) {
    const kind = bytes[at]!;
    kinds.push(kind);
    if (kind === 1) {
      at++;
      continue;
    }
    const length = bytes[at + 1]!;
    if (kind === 2) mss = readU16(bytes, at + 2);
    else if (kind === 3) windowScale = bytes[at + 2]!;
    else if (kind === 4) sackPermitted = true;
    else if (kind === 8) timestamp = { value: readU32(bytes, at + 2), echo: readU32(bytes, at + 6) };
    else if (kind === 5) {
      const blocks: (readonly [number, number])[] = [];
      for (let b = at + 2; b + 8 <= at + length; b += 8)
        blocks.push([readU32(bytes, b), readU32(bytes, b + 4)]);
      sack = sack.length === 0 ? blocks : [...sack, ...blocks];
    }
    at += length;
  }
  const options: { -readonly [K in keyof TcpOptions]: TcpOptions[K] } = { sackPermitted, sack, kinds };
  if (mss !== undefined) options.mss = mss;
  if (windowScale !== undefined) options.windowScale = windowScale;
  if (timestamp !== undefined) options.timestamp = timestamp;
  return options;
}
