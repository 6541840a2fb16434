// Parses pcapng blocks as tshark 4.0 reads them. Frames are numbered as tshark numbers them: every packet
// (Enhanced, Simple and obsolete Packet Blocks) and every custom block (0x00000BAD, 0x40000BAD), systemd
// journal export block and sysdig event block; name resolution, interface statistics, decryption secrets and
// unknown blocks are skipped. Each section (byte order, interfaces) stands alone. Every fault is a
// CaptureError naming the byte offset.

import { CaptureError } from "./capture-error.ts";
import { type CaptureFileHeader, MAX_CAPTURED_LENGTH, type ReadCaptureResult } from "./pcap-header.ts";
import {
  BLOCK_NAME,
  CUSTOM,
  CUSTOM_NO_COPY,
  ENHANCED_PACKET,
  INTERFACE_DESCRIPTION,
  type Interface,
  journalEntry,
  MINIMUM_LENGTH,
  OBSOLETE_PACKET,
  readInterface,
  SECTION_HEADER,
  SIMPLE_PACKET,
  SYSDIG_EVENT,
  SYSDIG_EVENT_V2,
  SYSDIG_EVENT_V2_LARGE,
  SYSTEMD_JOURNAL,
  sysdigHeaderLength,
} from "./pcapng-blocks.ts";
import { type Instant, setInstant, toInstant } from "./pcapng-time.ts";
import { type CaptureRecord, NOT_A_PACKET } from "./record.ts";

/** Called for each record, with its interface's number in its section (-1 for a block that is no packet). */
export type PcapngRecordHandler = (
  record: CaptureRecord,
  header: CaptureFileHeader,
  interfaceId: number,
) => void;

/** The largest block read, as tshark's limit: 128 MiB of packet data and room for options. */
const MAX_BLOCK = 32 + 128 * 1024 * 1024 + 131072;

/** A block longer than the headroom, not yet whole in the data parsed. */
export interface LargeBlock {
  readonly at: number;
  readonly length: number;
  readonly type: number;
}

/** Parses pcapng blocks in order, keeping the section, its interfaces and the frame count. */
export class PcapngParser {
  /** A block that did not fit in the data parsed, longer than the headroom: the reader reads it on its own. */
  large: LargeBlock | undefined;
  readonly #file: string;
  readonly #size: number;
  readonly #onRecord: PcapngRecordHandler;
  readonly #headroom: number;
  #le = true;
  #interfaces: Interface[] = [];
  #header: CaptureFileHeader | undefined;
  #first: CaptureFileHeader | undefined;
  #number = 0;
  readonly #time: Instant = { timeUs: 0, nanos: 0 };

  constructor(file: string, size: number, onRecord: PcapngRecordHandler, headroom: number) {
    this.#file = file;
    this.#size = size;
    this.#onRecord = onRecord;
    this.#headroom = headroom;
  }

  /** Parses the whole blocks in `data` (at file offset `base`); returns the bytes used. */
  parse(data: Buffer, base: number): number {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const end = data.length;
    let at = 0;
    while (at < end) {
      const offset = base + at;
      const remain = this.#size - offset;
      if (remain < 12) {
        throw this.#error(
          "truncated-record-header",
          offset,
          "truncated pcapng block",
          `12 bytes needed, only ${remain} remain`,
        );
      }
      if (end - at < 12) return at;
      const type = view.getUint32(at, this.#le);
      if (type === SECTION_HEADER) this.#byteOrder(view, at, offset);
      const length = view.getUint32(at + 4, this.#le);
      if (length < 12 || length % 4 !== 0) {
        throw this.#corrupt(offset, "block", `block length ${length} is not a multiple of 4 of at least 12`);
      }
      if (length > MAX_BLOCK) {
        throw this.#corrupt(offset, "block", `block length ${length} is over the ${MAX_BLOCK}-byte maximum`);
      }
      if (length > remain) {
        throw this.#truncated(offset, `block says ${length} bytes, only ${remain} remain`);
      }
      if (length > end - at) {
        if (length > this.#headroom) this.large = { at: offset, length, type };
        return at;
      }
      this.#block(data, view, at, type, length, offset);
      at += length;
    }
    return at;
  }

  /** Checks the trailer of a skipped block read apart from it (`tail`: its last 4 bytes). */
  checkTrailer(tail: Buffer, at: number, length: number): void {
    const trailer = this.#le ? tail.readUInt32LE(0) : tail.readUInt32BE(0);
    if (trailer !== length) {
      throw this.#corrupt(at, "block", `block length ${length} at the start but ${trailer} at the end`);
    }
  }

  finish(): ReadCaptureResult {
    const header = this.#first ?? this.#headerFor(NOT_A_PACKET, 0);
    return { header, packets: this.#number, bytes: this.#size };
  }

  #error(code: "truncated-record-header" | "bad-version", offset: number, what: string, detail: string) {
    return new CaptureError(code, this.#file, offset, what, detail);
  }

  #corrupt(offset: number, block: string | undefined, detail: string): CaptureError {
    return new CaptureError("corrupt-record", this.#file, offset, `corrupt pcapng ${block}`, detail);
  }

  #truncated(offset: number, detail: string): CaptureError {
    return new CaptureError("truncated-record", this.#file, offset, "truncated pcapng block", detail);
  }

  // A Section Header Block sets the byte order its own length is read in.
  #byteOrder(view: DataView, at: number, offset: number): void {
    const magic = view.getUint32(at + 8, true);
    if (magic === 0x1a2b3c4d) this.#le = true;
    else if (magic === 0x4d3c2b1a) this.#le = false;
    else {
      throw this.#corrupt(
        offset + 8,
        "section header",
        `byte-order magic 0x${magic.toString(16).padStart(8, "0")} is not 1a2b3c4d`,
      );
    }
  }

  #headerFor(linkType: number, snapLength: number): CaptureFileHeader {
    return { file: this.#file, format: "pcapng", linkType, snapLength, byteOrder: this.#le ? "le" : "be" };
  }

  #block(data: Buffer, view: DataView, at: number, type: number, length: number, offset: number): void {
    const le = this.#le;
    const trailer = view.getUint32(at + length - 4, le);
    if (trailer !== length) {
      throw this.#corrupt(offset, "block", `block length ${length} at the start but ${trailer} at the end`);
    }
    const minimum = MINIMUM_LENGTH.get(type);
    if (minimum === undefined) return;
    if (length < minimum) {
      throw this.#corrupt(offset, BLOCK_NAME.get(type), `${length} bytes, at least ${minimum} needed`);
    }
    switch (type) {
      case ENHANCED_PACKET:
      case OBSOLETE_PACKET:
        this.#packet(data, view, at, type, length, offset);
        return;
      case SIMPLE_PACKET:
        this.#simplePacket(data, view, at, length, offset);
        return;
      case SECTION_HEADER: {
        const major = view.getUint16(at + 12, le);
        const minor = view.getUint16(at + 14, le);
        if (major !== 1 || (minor !== 0 && minor !== 2)) {
          throw this.#error(
            "bad-version",
            offset + 12,
            "unsupported pcapng version",
            `${major}.${minor}, expected 1.0`,
          );
        }
        this.#interfaces = [];
        return;
      }
      case INTERFACE_DESCRIPTION: {
        const described = readInterface(this.#file, view, at, length, le, offset);
        this.#interfaces.push(described);
        if (this.#first === undefined) {
          this.#first = this.#headerFor(described.linkType, described.snapLength);
          this.#header = this.#first;
        }
        return;
      }
      case CUSTOM:
      case CUSTOM_NO_COPY:
        this.#other(data.subarray(at + 12, at + length - 4), length - 16, offset);
        return;
      case SYSTEMD_JOURNAL: {
        const entry = journalEntry(data.subarray(at + 8, at + length - 4));
        if (entry.realtimeUs !== undefined) {
          const us = entry.realtimeUs;
          setInstant(Number(us / 1_000_000n), Number(us % 1_000_000n) * 1000, this.#time);
        }
        this.#other(data.subarray(at + 8, at + 8 + entry.length), entry.length, offset);
        return;
      }
      case SYSDIG_EVENT:
      case SYSDIG_EVENT_V2:
      case SYSDIG_EVENT_V2_LARGE: {
        const ns = view.getBigUint64(at + 10, le);
        setInstant(Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n), this.#time);
        const start = at + 8 + sysdigHeaderLength(type);
        const captured = at + length - 4 - start;
        this.#other(data.subarray(start, start + captured), view.getUint32(at + 26, le), offset, captured);
      }
    }
  }

  // An Enhanced Packet Block, or the obsolete Packet Block (a 16-bit interface number).
  #packet(data: Buffer, view: DataView, at: number, type: number, length: number, offset: number): void {
    const le = this.#le;
    const id = type === ENHANCED_PACKET ? view.getUint32(at + 8, le) : view.getUint16(at + 8, le);
    const iface = this.#interfaces[id];
    if (iface === undefined) {
      throw this.#corrupt(
        offset,
        BLOCK_NAME.get(type),
        `interface ${id}, but the section describes ${this.#interfaces.length}`,
      );
    }
    const captured = view.getUint32(at + 20, le);
    if (captured > length - 32 || captured > MAX_CAPTURED_LENGTH) {
      throw this.#corrupt(
        offset,
        BLOCK_NAME.get(type),
        `captured length ${captured} does not fit in the block of ${length} bytes (at most ${MAX_CAPTURED_LENGTH})`,
      );
    }
    const time = this.#time;
    toInstant(view.getUint32(at + 12, le), view.getUint32(at + 16, le), iface.units, time);
    this.#deliver(
      {
        number: ++this.#number,
        timeUs: time.timeUs,
        nanos: time.nanos,
        linkType: iface.linkType === this.#header!.linkType ? undefined : iface.linkType,
        capturedLength: captured,
        originalLength: view.getUint32(at + 24, le),
        data: data.subarray(at + 28, at + 28 + captured),
        fileOffset: offset,
      },
      id,
    );
  }

  // A Simple Packet Block: interface 0, no timestamp, as many bytes as the snap length keeps.
  #simplePacket(data: Buffer, view: DataView, at: number, length: number, offset: number): void {
    const iface = this.#interfaces[0];
    if (iface === undefined) {
      throw this.#corrupt(
        offset,
        "simple packet block",
        "it comes before any interface description in its section",
      );
    }
    const original = view.getUint32(at + 8, this.#le);
    const captured = iface.snapLength !== 0 && iface.snapLength < original ? iface.snapLength : original;
    if (captured > length - 16 || captured > MAX_CAPTURED_LENGTH) {
      throw this.#corrupt(
        offset,
        "simple packet block",
        `captured length ${captured} does not fit in the block of ${length} bytes (at most ${MAX_CAPTURED_LENGTH})`,
      );
    }
    this.#deliver(
      {
        number: ++this.#number,
        timeUs: this.#time.timeUs,
        nanos: this.#time.nanos,
        linkType: iface.linkType === this.#header!.linkType ? undefined : iface.linkType,
        capturedLength: captured,
        originalLength: original,
        data: data.subarray(at + 12, at + 12 + captured),
        fileOffset: offset,
      },
      0,
    );
  }

  // A block tshark numbers as a frame though it holds no packet.
  #other(bytes: Buffer, originalLength: number, offset: number, captured = bytes.length): void {
    this.#deliver(
      {
        number: ++this.#number,
        timeUs: this.#time.timeUs,
        nanos: this.#time.nanos,
        linkType: NOT_A_PACKET,
        capturedLength: captured,
        originalLength,
        data: bytes,
        fileOffset: offset,
      },
      -1,
    );
  }

  #deliver(record: CaptureRecord, interfaceId: number): void {
    this.#header ??= this.#headerFor(NOT_A_PACKET, 0);
    this.#onRecord(record, this.#header, interfaceId);
  }
}
