// Reads capture files: classic pcap with microsecond timestamps directly (through pcap-parser, the only
// file that imports it), nanosecond pcap and pcapng after converting them to classic pcap with tcpdump.
// Streaming: memory stays flat whatever the file size. Every failure is a CaptureError naming the file
// and the byte offset; nothing else is thrown (except what the caller's own callback throws).
//
// Classic pcap (libpcap savefile 2.4):
//   file header, 24 bytes: 0 magic | 4 major | 6 minor | 8 thiszone | 12 sigfigs | 16 snaplen | 20 linktype
//   record header, 16 bytes: 0 ts_sec | 4 ts_usec (ts_nsec) | 8 caplen | 12 origlen; then caplen bytes
// pcapng: blocks of type (4) | total length (4) | body | total length (4); the first is the Section Header
// Block, type 0x0A0D0D0A, with the byte-order magic 0x1A2B3C4D at offset 8.

import { spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { type FileHandle, mkdtemp, open, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { CaptureError } from "./capture-error.ts";
import type { CaptureHeader, CaptureRecord } from "./record.ts";

/** The header, plus what socklab learnt about the file while reading it. */
export interface CaptureFileHeader extends CaptureHeader {
  /** Byte order of the classic pcap that was read. */
  readonly byteOrder: "le" | "be";
}

export interface ReadCaptureOptions {
  /** Read buffer size; default 1 MiB. */
  readonly highWaterMark?: number;
  /** The tcpdump used to convert nanosecond pcap and pcapng; default "tcpdump" on the PATH. */
  readonly tcpdump?: string;
  /** Where the converted file is written (a fresh directory inside, removed afterwards); default the OS's. */
  readonly tempDir?: string;
  /** How long a conversion may take; default 120 s. */
  readonly conversionTimeoutMs?: number;
}

export interface ReadCaptureResult {
  readonly header: CaptureFileHeader;
  readonly packets: number;
  /** Bytes of the classic pcap read: 24 + Σ(16 + caplen). */
  readonly bytes: number;
}

/** Link types socklab decodes (masked with 0xFFFF), with their libpcap names. */
export const READABLE_LINK_TYPES: ReadonlyMap<number, string> = new Map([
  [0, "NULL"],
  [1, "EN10MB"],
  [12, "RAW"],
  [14, "RAW"],
  [101, "RAW"],
  [108, "LOOP"],
  [113, "LINUX_SLL"],
  [228, "IPV4"],
  [229, "IPV6"],
  [276, "LINUX_SLL2"],
]);

/** The largest caplen accepted: libpcap's maximum snap length (tcpdump's default). */
export const MAX_CAPTURED_LENGTH = 262144;

const FILE_HEADER = 24;
const RECORD_HEADER = 16;
const DEFAULT_HIGH_WATER_MARK = 1 << 20;

type Format = CaptureHeader["format"];

// The part of pcap-parser 0.2.1 this adapter uses (the package ships no types). `state`, `errored` and
// `buffer` are its internals, touched only to stop it early.
interface PcapParserPacketHeader {
  timestampSeconds: number;
  timestampMicroseconds: number;
  capturedLength: number;
  originalLength: number;
}
interface PcapParser {
  on(event: "packetHeader", listener: (header: PcapParserPacketHeader) => void): void;
  on(event: "packet", listener: (packet: { header: PcapParserPacketHeader; data: Buffer }) => void): void;
  on(event: "error", listener: (error: Error & { code?: string }) => void): void;
  on(event: "end", listener: () => void): void;
  state: () => boolean;
  errored: boolean;
}
const pcapParser = createRequire(import.meta.url)("pcap-parser") as {
  parse(input: NodeJS.ReadableStream): PcapParser;
};

/**
 * Reads every packet of a capture file in order, calling `onPacket` for each. The record's data is a view
 * (a Node Buffer) into a read buffer that is never reused, so it stays valid, but a kept view pins the
 * whole buffer: copy with `new Uint8Array(record.data)` to keep many (Buffer#slice does not copy).
 */
export async function readCapture(
  path: string,
  onPacket: (record: CaptureRecord, header: CaptureFileHeader) => void,
  options: ReadCaptureOptions = {},
): Promise<ReadCaptureResult> {
  const sniffed = await sniff(path);
  if (sniffed.format === "pcap")
    return parseClassic(path, path, sniffed.size, sniffed.bytes, "pcap", onPacket, options);
  // pcap-ns: check the header here, where the offsets are the user's own.
  if (sniffed.format === "pcap-ns") checkClassicHeader(path, sniffed.bytes, sniffed.size, "");
  let dir: string | undefined;
  try {
    dir = await mkdtemp(join(options.tempDir ?? tmpdir(), "socklab-capture-"));
    const converted = join(dir, "converted.pcap");
    await convert(path, converted, sniffed.format, options);
    const info = await sniff(converted, path);
    return await parseClassic(path, converted, info.size, info.bytes, sniffed.format, onPacket, options);
  } finally {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

interface Sniffed {
  format: Format;
  size: number;
  /** The first 24 bytes (or fewer, for a short file). */
  bytes: Uint8Array;
}

// Opens the file, reads its first bytes and names its format.
async function sniff(path: string, shownAs = path): Promise<Sniffed> {
  let handle: FileHandle | undefined;
  try {
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
      throw new CaptureError("empty-file", shownAs, 0, "empty capture file", "0 bytes");
    if (got < 4) {
      throw new CaptureError(
        "truncated-header",
        shownAs,
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
        shownAs,
        0,
        "unknown capture file format",
        `magic 0x${magic.toString(16).padStart(8, "0")} is not pcap (a1b2c3d4, a1b23c4d, either byte order) or pcapng (0a0d0d0a)`,
      );
    }
    return { format, size, bytes: bytes.subarray(0, got) };
  } catch (error) {
    if (error instanceof CaptureError) throw error;
    const code = (error as { code?: string }).code;
    const reason = error instanceof Error ? error.message : String(error);
    if (code === "ENOENT") {
      throw new CaptureError("missing-file", shownAs, 0, "cannot open capture file", "no such file", {
        cause: error,
      });
    }
    throw new CaptureError("unreadable-file", shownAs, 0, "cannot read capture file", reason, {
      cause: error,
    });
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

// Checks a classic pcap file header (either timestamp precision); returns it decoded.
function checkClassicHeader(
  file: string,
  bytes: Uint8Array,
  size: number,
  note: string,
): { le: boolean; snapLength: number; linkType: number } {
  if (bytes.length < FILE_HEADER) {
    throw new CaptureError(
      "truncated-header",
      file,
      0,
      `truncated file header${note}`,
      `${FILE_HEADER} bytes needed, the file has ${size}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = bytes[0] === 0xd4 || bytes[0] === 0x4d;
  const major = view.getUint16(4, le);
  const minor = view.getUint16(6, le);
  if (major !== 2 || minor !== 4) {
    throw new CaptureError(
      "bad-version",
      file,
      4,
      `unsupported pcap version${note}`,
      `${major}.${minor}, expected 2.4`,
    );
  }
  const snapLength = view.getUint32(16, le);
  const rawLinkType = view.getUint32(20, le);
  const linkType = rawLinkType & 0xffff;
  // Bits 16–25 are reserved (above them: the FCS length and its flag); libpcap refuses files that set them.
  if ((rawLinkType & 0x03ff0000) !== 0) {
    throw new CaptureError(
      "unsupported-link-type",
      file,
      20,
      `unsupported link type${note}`,
      `0x${rawLinkType.toString(16)} sets reserved bits`,
    );
  }
  if (!READABLE_LINK_TYPES.has(linkType)) {
    const known = [...READABLE_LINK_TYPES].map(([code, name]) => `${code} ${name}`).join(", ");
    throw new CaptureError(
      "unsupported-link-type",
      file,
      20,
      `unsupported link type${note}`,
      `${linkType}; socklab reads ${known}`,
    );
  }
  return { le, snapLength, linkType };
}

// Streams a classic microsecond pcap through pcap-parser. `file` is the user's path (for messages),
// `path` the file read (a conversion's output, or the same).
function parseClassic(
  file: string,
  path: string,
  size: number,
  first: Uint8Array,
  format: Format,
  onPacket: (record: CaptureRecord, header: CaptureFileHeader) => void,
  options: ReadCaptureOptions,
): Promise<ReadCaptureResult> {
  const note = format === "pcapng" ? " in the classic pcap converted from pcapng" : "";
  const checked = checkClassicHeader(file, first, size, note);
  const header: CaptureFileHeader = {
    file,
    format,
    linkType: checked.linkType,
    snapLength: checked.snapLength,
    byteOrder: checked.le ? "le" : "be",
  };
  const limit =
    checked.snapLength === 0 ? MAX_CAPTURED_LENGTH : Math.min(checked.snapLength, MAX_CAPTURED_LENGTH);

  return new Promise<ReadCaptureResult>((resolvePromise, reject) => {
    const stream = createReadStream(path, {
      highWaterMark: options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK,
    });
    const parser = pcapParser.parse(stream);
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
      stream.destroy();
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
            `corrupt packet record${note}`,
            `header says ${h.capturedLength} captured bytes, more than ${bound}`,
          ),
        );
      }
    });

    parser.on("packet", (p) => {
      if (settled) return;
      const h = p.header;
      packets++;
      const record: CaptureRecord = {
        number: packets,
        timeUs: h.timestampSeconds * 1e6 + h.timestampMicroseconds,
        capturedLength: h.capturedLength,
        originalLength: h.originalLength,
        data: p.data,
        fileOffset: recordOffset,
      };
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
        fail(
          new CaptureError("unreadable-file", file, offset, "cannot read capture file", error.message, {
            cause: error,
          }),
        );
      } else {
        fail(
          new CaptureError("parser-error", file, offset, `unreadable pcap${note}`, error.message, {
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
            `truncated packet record${note}`,
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
            `truncated packet record header${note}`,
            `${RECORD_HEADER} bytes needed, only ${size - offset} remain`,
          ),
        );
        return;
      }
      settled = true;
      resolvePromise({ header, packets, bytes: offset });
    });
  });
}

// Converts nanosecond pcap or pcapng to classic microsecond pcap with tcpdump. On failure the output is
// discarded and the error says where the input went wrong, when socklab can tell.
async function convert(
  file: string,
  output: string,
  format: Format,
  options: ReadCaptureOptions,
): Promise<void> {
  const tcpdump = options.tcpdump ?? "tcpdump";
  const timeoutMs = options.conversionTimeoutMs ?? 120_000;
  const outcome = await new Promise<{
    code: number | null;
    stderr: string;
    error?: Error;
    timedOut: boolean;
  }>((done) => {
    let stderr = "";
    let timedOut = false;
    const child = spawn(tcpdump, ["-n", "-r", resolve(file), "-w", output], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      if (stderr.length < 65536) stderr += chunk;
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      done({ code: null, stderr, error, timedOut });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, stderr, timedOut });
    });
  });
  if (outcome.code === 0) return;
  await rm(output, { force: true }).catch(() => undefined);
  const from = format === "pcapng" ? "pcapng" : "nanosecond pcap";
  if (outcome.error !== undefined) {
    throw new CaptureError(
      "conversion-failed",
      file,
      0,
      `cannot convert ${from} to classic pcap`,
      `could not run ${tcpdump}: ${outcome.error.message}`,
      { cause: outcome.error },
    );
  }
  if (outcome.timedOut) {
    throw new CaptureError(
      "conversion-failed",
      file,
      0,
      `cannot convert ${from} to classic pcap`,
      `${tcpdump} did not finish within ${timeoutMs / 1000} s`,
    );
  }
  const said = lastLine(outcome.stderr) || `exit code ${outcome.code}`;
  const located = format === "pcapng" ? await locatePcapngFault(file) : await locateClassicFault(file);
  if (located !== undefined) throw located;
  throw new CaptureError(
    "conversion-failed",
    file,
    0,
    `cannot convert ${from} to classic pcap`,
    `tcpdump: ${said}`,
  );
}

function lastLine(text: string): string {
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("reading from file"));
  return (lines[lines.length - 1] ?? "").replace(/^tcpdump: /, "");
}

// Walks the records of a classic pcap (either precision) and describes the first structural fault.
async function locateClassicFault(file: string): Promise<CaptureError | undefined> {
  return withHandle(file, async (read, size) => {
    const head = await read(0, FILE_HEADER);
    const checked = checkClassicHeader(file, head, size, "");
    const limit =
      checked.snapLength === 0 ? MAX_CAPTURED_LENGTH : Math.min(checked.snapLength, MAX_CAPTURED_LENGTH);
    let at = FILE_HEADER;
    while (at < size) {
      if (size - at < RECORD_HEADER) {
        return new CaptureError(
          "truncated-record-header",
          file,
          at,
          "truncated packet record header",
          `${RECORD_HEADER} bytes needed, only ${size - at} remain`,
        );
      }
      const h = await read(at, RECORD_HEADER);
      const caplen = new DataView(h.buffer, h.byteOffset, 16).getUint32(8, checked.le);
      if (caplen > limit) {
        return new CaptureError(
          "corrupt-record",
          file,
          at,
          "corrupt packet record",
          `header says ${caplen} captured bytes, more than ${caplen > MAX_CAPTURED_LENGTH ? `the ${MAX_CAPTURED_LENGTH}-byte maximum` : `the snap length ${checked.snapLength}`}`,
        );
      }
      if (size - at - RECORD_HEADER < caplen) {
        return new CaptureError(
          "truncated-record",
          file,
          at,
          "truncated packet record",
          `header says ${caplen} bytes, only ${size - at - RECORD_HEADER} remain`,
        );
      }
      at += RECORD_HEADER + caplen;
    }
    return undefined;
  });
}

// Walks the blocks of a pcapng file and describes the first structural fault, or the first interface
// whose link type differs from the first one's (which classic pcap cannot hold).
async function locatePcapngFault(file: string): Promise<CaptureError | undefined> {
  return withHandle(file, async (read, size) => {
    let at = 0;
    let le = true;
    let firstLinkType: number | undefined;
    let interfaces = 0;
    while (at < size) {
      if (size - at < 12) {
        return new CaptureError(
          "truncated-record-header",
          file,
          at,
          "truncated pcapng block",
          `12 bytes needed, only ${size - at} remain`,
        );
      }
      const head = await read(at, 12);
      const type = new DataView(head.buffer, head.byteOffset, 12).getUint32(0, le);
      if (type === 0x0a0d0d0a) {
        const bom = new DataView(head.buffer, head.byteOffset, 12).getUint32(8, true);
        if (bom === 0x1a2b3c4d) le = true;
        else if (bom === 0x4d3c2b1a) le = false;
        else {
          return new CaptureError(
            "corrupt-record",
            file,
            at + 8,
            "corrupt pcapng section header",
            `byte-order magic 0x${bom.toString(16).padStart(8, "0")} is not 1a2b3c4d`,
          );
        }
      }
      const view = new DataView(head.buffer, head.byteOffset, 12);
      const length = view.getUint32(4, le);
      if (length < 12 || length % 4 !== 0) {
        return new CaptureError(
          "corrupt-record",
          file,
          at,
          "corrupt pcapng block",
          `block length ${length} is not a multiple of 4 of at least 12`,
        );
      }
      if (length > size - at) {
        return new CaptureError(
          "truncated-record",
          file,
          at,
          "truncated pcapng block",
          `block says ${length} bytes, only ${size - at} remain`,
        );
      }
      const tail = await read(at + length - 4, 4);
      const trailer = new DataView(tail.buffer, tail.byteOffset, 4).getUint32(0, le);
      if (trailer !== length) {
        return new CaptureError(
          "corrupt-record",
          file,
          at,
          "corrupt pcapng block",
          `block length ${length} at the start but ${trailer} at the end`,
        );
      }
      if (type === 0x0a0d0d0a) {
        interfaces = 0;
        const version = await read(at + 12, 4);
        const v = new DataView(version.buffer, version.byteOffset, 4);
        const major = v.getUint16(0, le);
        const minor = v.getUint16(2, le);
        if (major !== 1 || (minor !== 0 && minor !== 2)) {
          return new CaptureError(
            "bad-version",
            file,
            at + 12,
            "unsupported pcapng version",
            `${major}.${minor}, expected 1.0`,
          );
        }
      }
      if (type === 1) {
        interfaces++;
        const linkType = view.getUint16(8, le);
        if (firstLinkType === undefined) firstLinkType = linkType;
        else if (linkType !== firstLinkType) {
          return new CaptureError(
            "multiple-link-types",
            file,
            at,
            "pcapng interface with a second link type",
            `link type ${linkType} after ${firstLinkType}; classic pcap holds one link type, so socklab reads ` +
              "pcapng captured on one interface only (capture with `-i lo`, not several interfaces)",
          );
        }
      }
      if (type === 6) {
        // Enhanced Packet Block: 8 interface id | 12 timestamp (8) | 20 captured length | 24 original length.
        if (length < 32) {
          return new CaptureError(
            "corrupt-record",
            file,
            at,
            "corrupt pcapng packet block",
            `${length} bytes, at least 32 needed`,
          );
        }
        const fields = await read(at + 8, 16);
        const f = new DataView(fields.buffer, fields.byteOffset, 16);
        const iface = f.getUint32(0, le);
        const caplen = f.getUint32(12, le);
        if (iface >= interfaces) {
          return new CaptureError(
            "corrupt-record",
            file,
            at,
            "corrupt pcapng packet block",
            `interface ${iface}, but the section describes ${interfaces}`,
          );
        }
        if (caplen > MAX_CAPTURED_LENGTH || caplen > length - 32) {
          return new CaptureError(
            "corrupt-record",
            file,
            at,
            "corrupt pcapng packet block",
            `captured length ${caplen} does not fit in the block of ${length} bytes (at most ${MAX_CAPTURED_LENGTH})`,
          );
        }
      }
      at += length;
    }
    return undefined;
  });
}

type PositionedRead = (position: number, length: number) => Promise<Uint8Array>;

async function withHandle<T>(
  file: string,
  body: (read: PositionedRead, size: number) => Promise<T>,
): Promise<T> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, "r");
    const h = handle;
    const size = (await h.stat()).size;
    const read: PositionedRead = async (position, length) => {
      const out = new Uint8Array(length);
      let got = 0;
      while (got < length) {
        const { bytesRead } = await h.read(out, got, length - got, position + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return out;
    };
    return await body(read, size);
  } catch (error) {
    if (error instanceof CaptureError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new CaptureError("unreadable-file", file, 0, "cannot read capture file", reason, { cause: error });
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
