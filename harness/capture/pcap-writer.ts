// Writes classic pcap files (libpcap savefile format 2.4): for fixtures, tests and benchmarks.
//
//  File header (24 bytes)                     Record header (16 bytes), then caplen bytes of data
//  0  magic a1b2c3d4 (µs) / a1b23c4d (ns)     0  ts_sec
//  4  major 2, 6 minor 4                      4  ts_usec (or ts_nsec)
//  8  thiszone, 12 sigfigs (0)                8  incl_len (caplen)
//  16 snaplen, 20 linktype                    12 orig_len

import { closeSync, openSync, writeSync } from "node:fs";
import { writeFile } from "node:fs/promises";

/** One packet to write. */
export interface PcapPacket {
  /** Microseconds since the Unix epoch. */
  readonly timeUs: number;
  readonly data: Uint8Array;
  /** orig_len; defaults to data.length (set it larger to describe a snap-length cut). */
  readonly originalLength?: number;
}

export interface PcapWriteOptions {
  /** Default 262144, tcpdump's. */
  readonly snapLength?: number;
  /** The byte order of every header field. Default "le". */
  readonly byteOrder?: "le" | "be";
  /** Timestamp resolution and magic. Default "us". */
  readonly precision?: "us" | "ns";
}

const FILE_HEADER_LENGTH = 24;
const RECORD_HEADER_LENGTH = 16;
const DEFAULT_SNAP_LENGTH = 262144;

/** The 24-byte pcap file header. */
export function encodePcapHeader(linkType: number, options: PcapWriteOptions = {}): Uint8Array {
  const out = new Uint8Array(FILE_HEADER_LENGTH);
  const view = new DataView(out.buffer);
  const le = options.byteOrder !== "be";
  view.setUint32(0, options.precision === "ns" ? 0xa1b23c4d : 0xa1b2c3d4, le);
  view.setUint16(4, 2, le);
  view.setUint16(6, 4, le);
  view.setUint32(16, options.snapLength ?? DEFAULT_SNAP_LENGTH, le);
  view.setUint32(20, linkType >>> 0, le);
  return out;
}

/** A whole pcap file in memory. */
export function encodePcap(
  linkType: number,
  packets: readonly PcapPacket[],
  options: PcapWriteOptions = {},
): Uint8Array {
  let total = FILE_HEADER_LENGTH;
  for (const packet of packets) total += RECORD_HEADER_LENGTH + packet.data.length;
  const out = new Uint8Array(total);
  out.set(encodePcapHeader(linkType, options));
  const view = new DataView(out.buffer);
  let offset = FILE_HEADER_LENGTH;
  for (const packet of packets) offset = writeRecord(out, view, offset, packet, options);
  return out;
}

/** Writes a whole pcap file. */
export async function writePcap(
  path: string,
  linkType: number,
  packets: readonly PcapPacket[],
  options: PcapWriteOptions = {},
): Promise<void> {
  await writeFile(path, encodePcap(linkType, packets, options));
}

/**
 * A streaming pcap writer with a large write buffer, for files too big to hold in memory (a
 * million-packet benchmark capture). Writes are synchronous: it is a tool for tests and benchmarks.
 */
export class PcapWriter {
  readonly path: string;
  #fd: number | undefined;
  readonly #buffer: Uint8Array;
  readonly #view: DataView;
  readonly #options: PcapWriteOptions;
  #used = 0;
  #packets = 0;

  private constructor(path: string, fd: number, bufferSize: number, options: PcapWriteOptions) {
    this.path = path;
    this.#fd = fd;
    this.#buffer = new Uint8Array(bufferSize);
    this.#view = new DataView(this.#buffer.buffer);
    this.#options = options;
  }

  /** Creates (or truncates) the file and writes the file header. */
  static open(
    path: string,
    linkType: number,
    options: PcapWriteOptions & { bufferSize?: number } = {},
  ): PcapWriter {
    const fd = openSync(path, "w");
    const writer = new PcapWriter(path, fd, Math.max(options.bufferSize ?? 4 << 20, 1 << 16), options);
    writer.#buffer.set(encodePcapHeader(linkType, options));
    writer.#used = FILE_HEADER_LENGTH;
    return writer;
  }

  /** Packets appended so far. */
  get packets(): number {
    return this.#packets;
  }

  /** Appends one record. */
  append(packet: PcapPacket): void {
    if (this.#fd === undefined) throw new Error(`${this.path}: append after close`);
    const size = RECORD_HEADER_LENGTH + packet.data.length;
    if (this.#used + size > this.#buffer.length) this.#flush();
    if (size > this.#buffer.length) {
      // Larger than the whole buffer: write it on its own.
      const single = new Uint8Array(size);
      writeRecord(single, new DataView(single.buffer), 0, packet, this.#options);
      writeSync(this.#fd, single);
    } else {
      this.#used = writeRecord(this.#buffer, this.#view, this.#used, packet, this.#options);
    }
    this.#packets++;
  }

  /** Flushes the buffer and closes the file. Closing twice is harmless. */
  close(): void {
    if (this.#fd === undefined) return;
    this.#flush();
    closeSync(this.#fd);
    this.#fd = undefined;
  }

  #flush(): void {
    if (this.#fd === undefined || this.#used === 0) return;
    let written = 0;
    while (written < this.#used) written += writeSync(this.#fd, this.#buffer, written, this.#used - written);
    this.#used = 0;
  }
}

function writeRecord(
  out: Uint8Array,
  view: DataView,
  offset: number,
  packet: PcapPacket,
  options: PcapWriteOptions,
): number {
  const le = options.byteOrder !== "be";
  const seconds = Math.floor(packet.timeUs / 1e6);
  const micros = packet.timeUs - seconds * 1e6;
  view.setUint32(offset, seconds, le);
  view.setUint32(offset + 4, options.precision === "ns" ? micros * 1000 : micros, le);
  view.setUint32(offset + 8, packet.data.length, le);
  view.setUint32(offset + 12, packet.originalLength ?? packet.data.length, le);
  out.set(packet.data, offset + RECORD_HEADER_LENGTH);
  return offset + RECORD_HEADER_LENGTH + packet.data.length;
}
