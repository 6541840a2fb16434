// Reads capture files: classic pcap of either timestamp precision through pcap-parser (the only file that
// imports it), pcapng through socklab's own reader (pcapng-file.ts). Streaming: memory stays flat whatever
// the file size. Every failure is a CaptureError naming the file and the byte offset; nothing else is
// thrown (except what the caller's own callback throws).

import { EventEmitter } from "node:events";
import { type FileHandle, open, stat } from "node:fs/promises";
import pcapParserModule from "pcap-parser";
import { CaptureError, readFailure } from "./capture-error.ts";
import {
  type CaptureFileHeader,
  checkClassicHeader,
  FILE_HEADER,
  MAX_CAPTURED_LENGTH,
  RECORD_HEADER,
  type ReadCaptureOptions,
  type ReadCaptureResult,
} from "./pcap-header.ts";
import { readPcapng } from "./pcapng-file.ts";
import type { CaptureHeader, CaptureRecord } from "./record.ts";

const DEFAULT_HIGH_WATER_MARK = 2 << 20;

type Format = CaptureHeader["format"];

// The part of pcap-parser 0.2.1 this adapter uses is declared in pcap-parser.d.ts (the package ships no
// types). `state`, `errored` and `buffer` are its internals, touched only to stop it early.
const pcapParser = pcapParserModule;

/**
 * Reads every record of a capture file in order, calling `onPacket` for each: the packets, and in pcapng
 * the blocks tshark numbers as frames though they hold no packet (`linkType` NOT_A_PACKET). The record's
 * data is a view into a read buffer that is read into again once the callback returns: valid only during
 * the call. Copy what is kept (`new Uint8Array(record.data.subarray(…))`; Buffer#slice does not copy).
 */
export async function readCapture(
  path: string,
  onPacket: (record: CaptureRecord, header: CaptureFileHeader) => void,
  options: ReadCaptureOptions = {},
): Promise<ReadCaptureResult> {
  const sniffed = await sniff(path);
  const blockSize = Math.max(options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK, 4096);
  if (sniffed.format === "pcapng") return readPcapng(path, sniffed.size, onPacket, blockSize);
  return parseClassic(path, sniffed.size, sniffed.bytes, sniffed.format, onPacket, blockSize);
}

interface Sniffed {
  format: Format;
  size: number;
  /** The first 24 bytes (or fewer, for a short file). */
  bytes: Uint8Array;
}

/** What a path that is not a regular file is, in words. */
function kindOf(info: {
  isDirectory(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
}): string {
  if (info.isDirectory()) return "a directory";
  if (info.isCharacterDevice()) return "a character device";
  if (info.isBlockDevice()) return "a block device";
  if (info.isFIFO()) return "a named pipe";
  if (info.isSocket()) return "a socket";
  return "not a regular file";
}

// Opens the file, reads its first bytes and names its format.
async function sniff(path: string): Promise<Sniffed> {
  let handle: FileHandle | undefined;
  try {
    // A device, a folder or a pipe: say what it is rather than open it (a pipe would block; /dev/zero is not
    // "empty").
    const info = await stat(path);
    if (!info.isFile()) {
      throw new CaptureError("not-a-file", path, 0, "not a capture file", `it is ${kindOf(info)}`);
    }
    handle = await open(path, "r");
    const size = (await handle.stat()).size;
    const bytes = new Uint8Array(Math.min(FILE_HEADER, size));
    let got = 0;
    while (got < bytes.length) {
      const { bytesRead } = await handle.read(bytes, got, bytes.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    if (size === 0 || got === 0)
      throw new CaptureError("empty-file", path, 0, "empty capture file", "0 bytes");
    if (got < 4) {
      throw new CaptureError(
        "truncated-header",
        path,
        0,
        "truncated file header",
        `the file has ${got} bytes, too few for any capture format`,
      );
    }
    const magic = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
    let format: Format;
    if (magic === 0xa1b2c3d4 || magic === 0xd4c3b2a1) format = "pcap";
    else if (magic === 0xa1b23c4d || magic === 0x4d3cb2a1) format = "pcap-ns";
    else if (magic === 0x0a0d0d0a) format = "pcapng";
    else {
      throw new CaptureError(
        "unknown-magic",
        path,
        0,
        "unknown capture file format",
        `magic 0x${magic.toString(16).padStart(8, "0")} is not pcap (a1b2c3d4, a1b23c4d, either byte order) or pcapng (0a0d0d0a)`,
      );
    }
    return { format, size, bytes: bytes.subarray(0, got) };
  } catch (error) {
    if (error instanceof CaptureError) throw error;
    const code = (error as { code?: string }).code;
    if (code === "ENOENT") {
      throw new CaptureError("missing-file", path, 0, "cannot open capture file", "no such file", {
        cause: error,
      });
    }
    throw readFailure(path, 0, error);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

// Streams a classic pcap through pcap-parser. pcap-parser knows only the microsecond magics: a nanosecond
// file is shown the microsecond magic of its byte order, and its "microseconds" are nanoseconds.
function parseClassic(
  file: string,
  size: number,
  first: Uint8Array,
  format: Format,
  onPacket: (record: CaptureRecord, header: CaptureFileHeader) => void,
  blockSize: number,
): Promise<ReadCaptureResult> {
  const checked = checkClassicHeader(file, first, size);
  const header: CaptureFileHeader = {
    file,
    format,
    linkType: checked.linkType,
    snapLength: checked.snapLength,
    byteOrder: checked.le ? "le" : "be",
  };
  const limit =
    checked.snapLength === 0 ? MAX_CAPTURED_LENGTH : Math.min(checked.snapLength, MAX_CAPTURED_LENGTH);
  const nanosecond = format === "pcap-ns";
  const magic = checked.le ? MICROSECOND_MAGIC_LE : MICROSECOND_MAGIC_BE;

  return new Promise<ReadCaptureResult>((resolvePromise, reject) => {
    const stream = new BlockSource();
    const parser = pcapParser.parse(stream as unknown as NodeJS.ReadableStream);
    let settled = false;
    let offset = FILE_HEADER;
    let recordOffset = FILE_HEADER;
    let pending = false;
    let pendingLength = 0;
    let packets = 0;

    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      // Stop pcap-parser: no further chunks, and its loop ends with the chunk in hand.
      parser.errored = true;
      parser.state = () => false;
      reject(error);
    };

    parser.on("packetHeader", (h) => {
      if (settled) return;
      recordOffset = offset;
      pending = true;
      pendingLength = h.capturedLength;
      if (h.capturedLength > limit) {
        const bound =
          h.capturedLength > MAX_CAPTURED_LENGTH
            ? `the ${MAX_CAPTURED_LENGTH}-byte maximum`
            : `the snap length ${checked.snapLength}`;
        fail(
          new CaptureError(
            "corrupt-record",
            file,
            recordOffset,
            `corrupt packet record`,
            `header says ${h.capturedLength} captured bytes, more than ${bound}`,
          ),
        );
      }
    });

    parser.on("packet", (p) => {
      if (settled) return;
      const h = p.header;
      packets++;
      let record: CaptureRecord;
      if (nanosecond) {
        const ns = h.timestampMicroseconds;
        const micros = Math.floor(ns / 1000);
        record = {
          number: packets,
          timeUs: h.timestampSeconds * 1e6 + micros,
          nanos: ns - micros * 1000,
          capturedLength: h.capturedLength,
          originalLength: h.originalLength,
          data: p.data,
          fileOffset: recordOffset,
        };
      } else {
        record = {
          number: packets,
          timeUs: h.timestampSeconds * 1e6 + h.timestampMicroseconds,
          capturedLength: h.capturedLength,
          originalLength: h.originalLength,
          data: p.data,
          fileOffset: recordOffset,
        };
      }
      offset = recordOffset + RECORD_HEADER + h.capturedLength;
      pending = false;
      try {
        onPacket(record, header);
      } catch (error) {
        fail(error);
      }
    });

    parser.on("error", (error) => {
      if (error.code !== undefined) {
        fail(readFailure(file, offset, error));
      } else {
        fail(
          new CaptureError("parser-error", file, offset, `unreadable pcap`, error.message, {
            cause: error,
          }),
        );
      }
    });

    parser.on("end", () => {
      if (settled) return;
      if (pending) {
        const remain = Math.max(0, size - recordOffset - RECORD_HEADER);
        fail(
          new CaptureError(
            "truncated-record",
            file,
            recordOffset,
            `truncated packet record`,
            `header says ${pendingLength} bytes, only ${remain} remain`,
          ),
        );
        return;
      }
      if (offset < size) {
        fail(
          new CaptureError(
            "truncated-record-header",
            file,
            offset,
            `truncated packet record header`,
            `${RECORD_HEADER} bytes needed, only ${size - offset} remain`,
          ),
        );
        return;
      }
      settled = true;
      resolvePromise({ header, packets, bytes: offset });
    });

    pump(file, stream, parser, blockSize, nanosecond ? magic : undefined, () => settled).catch(
      (error: unknown) => fail(readFailure(file, offset, error)),
    );
  });
}

// pcap-parser reads a stream of chunks and joins each chunk to the partial record left from the one before
// by copying both into a new zero-filled buffer: every byte of the file would be copied once more. It is
// fed here instead: each block is read from the file behind a copy of that partial record (a few bytes),
// and the parser's own leftover is emptied, so it parses each block in place.
class BlockSource extends EventEmitter {
  pause(): void {}
  resume(): void {}
}

// The microsecond magic of each byte order, as it lies in the file.
const MICROSECOND_MAGIC_LE = Uint8Array.of(0xd4, 0xc3, 0xb2, 0xa1);
const MICROSECOND_MAGIC_BE = Uint8Array.of(0xa1, 0xb2, 0xc3, 0xd4);

// `magic`, when given, replaces the file's first four bytes in the first block read (never in the file).
async function pump(
  path: string,
  source: BlockSource,
  parser: { buffer: Buffer | null },
  blockSize: number,
  magic: Uint8Array | undefined,
  stopped: () => boolean,
): Promise<void> {
  const handle = await open(path, "r");
  // Two buffers take turns: a block is read into one while the other is parsed, each behind `headroom` free
  // bytes where the partial record before it is copied. A record's data is valid only while its callback
  // runs (the buffer is read into again after), so a whole file costs two buffers, not garbage per block.
  const headroom = Math.min(1 << 16, blockSize);
  let spare: Buffer = Buffer.allocUnsafe(headroom + blockSize);
  const readBlock = async (block: Buffer, position: number) => {
    const { bytesRead } = await handle.read(block, headroom, blockSize, position);
    return { block, bytesRead };
  };
  let next: ReturnType<typeof readBlock> | null = readBlock(Buffer.allocUnsafe(headroom + blockSize), 0);
  try {
    let position = 0;
    while (!stopped()) {
      const { block, bytesRead } = await next!;
      next = null;
      if (stopped()) return;
      if (bytesRead === 0) {
        source.emit("end");
        return;
      }
      if (position === 0 && magic !== undefined) block.set(magic.subarray(0, bytesRead), headroom);
      position += bytesRead;
      const carry = parser.buffer;
      const carried = carry === null ? 0 : carry.length;
      let data: Buffer;
      if (carried <= headroom) {
        if (carry !== null && carried > 0) carry.copy(block, headroom - carried);
        data = block.subarray(headroom - carried, headroom + bytesRead);
      } else {
        // A record longer than the headroom: join the two (rare; records are mostly far shorter).
        data = Buffer.concat([carry!, block.subarray(headroom, headroom + bytesRead)]);
      }
      parser.buffer = null;
      // The partial record is copied out of the other buffer: it is free to read the next block into.
      next = readBlock(spare, position);
      spare = block;
      source.emit("data", data);
    }
  } finally {
    // A read still under way must end before the file is closed.
    await next?.catch(() => undefined);
    await handle.close().catch(() => undefined);
  }
}
