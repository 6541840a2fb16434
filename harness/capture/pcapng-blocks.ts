// The pcapng blocks socklab reads, one parse step each, over a block already known to be whole (its length
// checked against its trailer). Offsets are from the block's start; `le` is its section's byte order.
//
//  Section Header 0x0A0D0D0A    8 byte-order magic 0x1A2B3C4D | 12 major (2) | 14 minor (2) | 16 length (8)
//  Interface Description 1      8 link type (2) | 10 reserved (2) | 12 snap length (4) | 16 options
//  Enhanced Packet 6            8 interface (4) | 12 timestamp high (4) | 16 low (4) | 20 captured (4)
//                               24 original (4) | 28 data, padded | options
//  Packet (obsolete) 2          8 interface (2) | 10 drops (2) | then as the Enhanced Packet Block
//  Simple Packet 3              8 original length (4) | 12 data, padded (interface 0, no timestamp)
//  Custom 0x00000BAD, 0x40000BAD  8 Private Enterprise Number (4) | 12 data
//  systemd Journal Export 9     8 one journal entry, text, padded with NULs
//  sysdig event 0x204           8 cpu (2) | 10 timestamp, ns (8) | 18 thread (8) | 26 event length (4)
//  (v2 0x216, v2 large 0x221)   30 event type (2) | (v2: 32 parameter count (4)) | data
// Options: code (2) | length (2) | value padded to 4; code 0 ends them. The IDB's: 9 if_tsresol (1 byte),
// 14 if_tsoffset (8 bytes, signed).

import { CaptureError } from "./capture-error.ts";
import { type TimeUnits, timeUnits } from "./pcapng-time.ts";

export const SECTION_HEADER = 0x0a0d0d0a;
export const INTERFACE_DESCRIPTION = 1;
export const OBSOLETE_PACKET = 2;
export const SIMPLE_PACKET = 3;
export const ENHANCED_PACKET = 6;
export const SYSTEMD_JOURNAL = 9;
export const CUSTOM = 0x00000bad;
export const CUSTOM_NO_COPY = 0x40000bad;
export const SYSDIG_EVENT = 0x204;
export const SYSDIG_EVENT_V2 = 0x216;
export const SYSDIG_EVENT_V2_LARGE = 0x221;

/** The smallest length of each block socklab reads (tshark refuses shorter ones). */
export const MINIMUM_LENGTH: ReadonlyMap<number, number> = new Map([
  [SECTION_HEADER, 28],
  [INTERFACE_DESCRIPTION, 20],
  [OBSOLETE_PACKET, 32],
  [SIMPLE_PACKET, 16],
  [ENHANCED_PACKET, 32],
  [SYSTEMD_JOURNAL, 35],
  [CUSTOM, 16],
  [CUSTOM_NO_COPY, 16],
  [SYSDIG_EVENT, 36],
  [SYSDIG_EVENT_V2, 40],
  [SYSDIG_EVENT_V2_LARGE, 40],
]);

/** Names of the blocks, for messages. */
export const BLOCK_NAME: ReadonlyMap<number, string> = new Map([
  [SECTION_HEADER, "section header"],
  [INTERFACE_DESCRIPTION, "interface description"],
  [OBSOLETE_PACKET, "packet block"],
  [SIMPLE_PACKET, "simple packet block"],
  [ENHANCED_PACKET, "enhanced packet block"],
  [SYSTEMD_JOURNAL, "systemd journal export block"],
  [CUSTOM, "custom block"],
  [CUSTOM_NO_COPY, "custom block"],
  [SYSDIG_EVENT, "sysdig event block"],
  [SYSDIG_EVENT_V2, "sysdig event block"],
  [SYSDIG_EVENT_V2_LARGE, "sysdig event block"],
]);

/** One interface of a section. */
export interface Interface {
  /** Masked with 0xFFFF. */
  readonly linkType: number;
  /** 0: no limit. */
  readonly snapLength: number;
  readonly units: TimeUnits;
}

/** Reads an Interface Description Block at `at` in `view`. `offset` is `at`'s place in the file. */
export function readInterface(
  file: string,
  view: DataView,
  at: number,
  length: number,
  le: boolean,
  offset: number,
): Interface {
  const linkType = view.getUint16(at + 8, le);
  // A link type socklab does not decode is read all the same, as tshark reads it: its packets decode as an
  // unknown link layer (counted, each with its problem), and the file's other interfaces are analysed.
  const snapLength = view.getUint32(at + 12, le);
  let tsresol: number | undefined;
  let tsoffset = 0;
  const end = at + length - 4;
  let p = at + 16;
  while (p + 4 <= end) {
    const code = view.getUint16(p, le);
    const size = view.getUint16(p + 2, le);
    if (code === 0) break;
    if (p + 4 + size > end) {
      throw new CaptureError(
        "corrupt-record",
        file,
        offset + (p - at),
        "corrupt pcapng interface description",
        `option ${code} says ${size} bytes, only ${end - p - 4} remain in the block`,
      );
    }
    if (code === 9 && size === 1) tsresol = view.getUint8(p + 4);
    if (code === 14 && size === 8) tsoffset = Number(view.getBigInt64(p + 4, le));
    p += 4 + size + ((4 - (size % 4)) % 4);
  }
  return { linkType, snapLength, units: timeUnits(tsresol, tsoffset) };
}

const REALTIME = "__REALTIME_TIMESTAMP=";

/**
 * A systemd journal entry's length (trailing NULs dropped) and its __REALTIME_TIMESTAMP in microseconds
 * (undefined when there is none), read as Wireshark does: the text up to the first NUL is searched.
 */
export function journalEntry(bytes: Uint8Array): { length: number; realtimeUs: bigint | undefined } {
  let length = bytes.length;
  while (length > 0 && bytes[length - 1] === 0) length--;
  let text = "";
  for (let i = 0; i < length && bytes[i] !== 0; i++) text += String.fromCharCode(bytes[i]!);
  const at = text.indexOf(REALTIME);
  if (at < 0 || at + REALTIME.length + 1 > length) return { length, realtimeUs: undefined };
  const digits = /^\s*\+?(\d*)/.exec(text.slice(at + REALTIME.length))![1]!;
  if (digits === "") return { length, realtimeUs: undefined };
  const value = BigInt(digits);
  return { length, realtimeUs: value < 1n << 64n ? value : undefined };
}

/** The bytes before a sysdig event's data: 24, or 28 for the v2 blocks. */
export function sysdigHeaderLength(type: number): number {
  return type === SYSDIG_EVENT ? 24 : 28;
}
