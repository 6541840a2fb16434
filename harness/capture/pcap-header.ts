// The classic pcap file header: its layout, the limits socklab holds records to, the check every classic
// reader runs first, and the types shared by the readers.
//
// Classic pcap (libpcap savefile 2.4):
//   file header, 24 bytes: 0 magic | 4 major | 6 minor | 8 thiszone | 12 sigfigs | 16 snaplen | 20 linktype
//   record header, 16 bytes: 0 ts_sec | 4 ts_usec (ts_nsec) | 8 caplen | 12 origlen; then caplen bytes

import { CaptureError } from "./capture-error.ts";
import type { CaptureHeader } from "./record.ts";

/** The header, plus what socklab learnt about the file while reading it. */
export interface CaptureFileHeader extends CaptureHeader {
  /** Byte order of the classic pcap, or of the pcapng file's first section. */
  readonly byteOrder: "le" | "be";
}

export interface ReadCaptureOptions {
  /** Read buffer size; default 2 MiB, at least 4 KiB. */
  readonly highWaterMark?: number;
}

export interface ReadCaptureResult {
  readonly header: CaptureFileHeader;
  /** Records delivered: packets, and the pcapng blocks tshark counts as frames. */
  readonly packets: number;
  /** Bytes read: for classic pcap 24 + Σ(16 + caplen); for pcapng the whole file. */
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

/** Bytes in a classic pcap file header. */
export const FILE_HEADER = 24;
/** Bytes in a classic pcap record header. */
export const RECORD_HEADER = 16;

/** Checks a classic pcap file header (either timestamp precision); returns it decoded. */
export function checkClassicHeader(
  file: string,
  bytes: Uint8Array,
  size: number,
): { le: boolean; snapLength: number; linkType: number } {
  if (bytes.length < FILE_HEADER) {
    throw new CaptureError(
      "truncated-header",
      file,
      0,
      `truncated file header`,
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
      `unsupported pcap version`,
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
      `unsupported link type`,
      `0x${rawLinkType.toString(16)} sets reserved bits`,
    );
  }
  if (!READABLE_LINK_TYPES.has(linkType)) {
    const known = [...READABLE_LINK_TYPES].map(([code, name]) => `${code} ${name}`).join(", ");
    throw new CaptureError(
      "unsupported-link-type",
      file,
      20,
      `unsupported link type`,
      `${linkType}; socklab reads ${known}`,
    );
  }
  return { le, snapLength, linkType };
}
