// Builds pcapng files byte by byte, for tests only: every block Wireshark writes, in either byte order,
// with the options socklab reads (if_tsresol, if_tsoffset).
//
// Every block: 0 type (4) | 4 total length (4) | body, padded to 4 bytes | total length again (4).
//   SHB 0x0A0D0D0A: 8 byte-order magic 0x1A2B3C4D | 12 major (2) | 14 minor (2) | 16 section length (8)
//   IDB 1:          8 link type (2) | 10 reserved (2) | 12 snap length (4) | 16 options
//   EPB 6:          8 interface (4) | 12 timestamp high (4) | 16 low (4) | 20 captured (4) | 24 original (4)
//   SPB 3:          8 original length (4) | 12 data
//   PB 2:           8 interface (2) | 10 drops (2) | 12 timestamp high | 16 low | 20 captured | 24 original
// Options: code (2) | length (2) | value, padded to 4 bytes; opt_endofopt is code 0, length 0.

/** One section's byte order: true for little-endian. */
export type Endian = { readonly le: boolean };

/** One option: its code and raw value (written in the section's byte order by the caller's helpers). */
export interface PcapngOption {
  readonly code: number;
  readonly value: Uint8Array;
}

function u16(value: number, le: boolean): number[] {
  return le ? [value & 0xff, (value >> 8) & 0xff] : [(value >> 8) & 0xff, value & 0xff];
}

function u32(value: number, le: boolean): number[] {
  const v = value >>> 0;
  const bytes = [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  return le ? bytes.reverse() : bytes;
}

function u64(value: bigint, le: boolean): number[] {
  const v = BigInt.asUintN(64, value);
  const high = Number(v >> 32n);
  const low = Number(v & 0xffffffffn);
  return le ? [...u32(low, le), ...u32(high, le)] : [...u32(high, le), ...u32(low, le)];
}

function pad(bytes: readonly number[] | Uint8Array): number[] {
  return [...bytes, ...new Array((4 - (bytes.length % 4)) % 4).fill(0)];
}

function encodeOptions(options: readonly PcapngOption[], le: boolean): number[] {
  if (options.length === 0) return [];
  const out: number[] = [];
  for (const option of options) {
    out.push(...u16(option.code, le), ...u16(option.value.length, le), ...pad(option.value));
  }
  out.push(0, 0, 0, 0);
  return out;
}

/** Any block: the type, the body (padded here) and both length fields, in the given byte order. */
export function block(type: number, body: readonly number[] | Uint8Array, { le }: Endian): Uint8Array {
  const padded = pad(body);
  const length = 12 + padded.length;
  return Uint8Array.from([...u32(type, le), ...u32(length, le), ...padded, ...u32(length, le)]);
}

/** A Section Header Block, version 1.0 unless told, section length unknown (-1). */
export function sectionHeader(endian: Endian, version: [number, number] = [1, 0]): Uint8Array {
  const { le } = endian;
  return block(
    0x0a0d0d0a,
    [...u32(0x1a2b3c4d, le), ...u16(version[0], le), ...u16(version[1], le), ...u64(-1n, le)],
    endian,
  );
}

export interface InterfaceOptions {
  readonly linkType: number;
  /** Default 262144. */
  readonly snapLength?: number;
  /** The if_tsresol byte: n for 10^-n, 0x80 | n for 2^-n. Absent: microseconds. */
  readonly tsresol?: number;
  /** if_tsoffset in seconds. */
  readonly tsoffset?: bigint;
  /** if_name. */
  readonly name?: string;
}

/** An Interface Description Block. */
export function interfaceDescription(endian: Endian, options: InterfaceOptions): Uint8Array {
  const { le } = endian;
  const opts: PcapngOption[] = [];
  if (options.name !== undefined) opts.push({ code: 2, value: new TextEncoder().encode(options.name) });
  if (options.tsresol !== undefined) opts.push({ code: 9, value: Uint8Array.of(options.tsresol) });
  if (options.tsoffset !== undefined)
    opts.push({ code: 14, value: Uint8Array.from(u64(options.tsoffset, le)) });
  return block(
    1,
    [
      ...u16(options.linkType, le),
      0,
      0,
      ...u32(options.snapLength ?? 262144, le),
      ...encodeOptions(opts, le),
    ],
    endian,
  );
}

export interface PacketOptions {
  readonly iface?: number;
  /** The timestamp in the interface's units. */
  readonly ts: bigint;
  readonly data: Uint8Array;
  /** Default data.length. */
  readonly originalLength?: number;
  /** Default data.length (set it to describe a corrupt block). */
  readonly capturedLength?: number;
  /** epb_flags and the like, written after the data. */
  readonly options?: readonly PcapngOption[];
}

/** An Enhanced Packet Block. */
export function enhancedPacket(endian: Endian, p: PacketOptions): Uint8Array {
  const { le } = endian;
  const ts = BigInt.asUintN(64, p.ts);
  return block(
    6,
    [
      ...u32(p.iface ?? 0, le),
      ...u32(Number(ts >> 32n), le),
      ...u32(Number(ts & 0xffffffffn), le),
      ...u32(p.capturedLength ?? p.data.length, le),
      ...u32(p.originalLength ?? p.data.length, le),
      ...pad(p.data),
      ...encodeOptions(p.options ?? [], le),
    ],
    endian,
  );
}

/** The obsolete Packet Block (type 2). */
export function obsoletePacket(endian: Endian, p: PacketOptions): Uint8Array {
  const { le } = endian;
  const ts = BigInt.asUintN(64, p.ts);
  return block(
    2,
    [
      ...u16(p.iface ?? 0, le),
      ...u16(0, le),
      ...u32(Number(ts >> 32n), le),
      ...u32(Number(ts & 0xffffffffn), le),
      ...u32(p.capturedLength ?? p.data.length, le),
      ...u32(p.originalLength ?? p.data.length, le),
      ...pad(p.data),
    ],
    endian,
  );
}

/** A Simple Packet Block: the original length, then as many bytes as the writer kept. */
export function simplePacket(endian: Endian, data: Uint8Array, originalLength = data.length): Uint8Array {
  return block(3, [...u32(originalLength, endian.le), ...data], endian);
}

/** A Name Resolution Block with one IPv4 record. */
export function nameResolution(endian: Endian, address: readonly number[], name: string): Uint8Array {
  const { le } = endian;
  const value = [...address, ...new TextEncoder().encode(name), 0];
  return block(4, [...u16(1, le), ...u16(value.length, le), ...pad(value), 0, 0, 0, 0], endian);
}

/** An Interface Statistics Block with no options. */
export function interfaceStatistics(endian: Endian, iface: number, ts: bigint): Uint8Array {
  const { le } = endian;
  const t = BigInt.asUintN(64, ts);
  return block(
    5,
    [...u32(iface, le), ...u32(Number(t >> 32n), le), ...u32(Number(t & 0xffffffffn), le)],
    endian,
  );
}

/** A Decryption Secrets Block holding TLS key log text. */
export function decryptionSecrets(endian: Endian, text: string): Uint8Array {
  const { le } = endian;
  const secret = new TextEncoder().encode(text);
  return block(0x0a, [...u32(0x544c534b, le), ...u32(secret.length, le), ...secret], endian);
}

/** A Custom Block (0x00000BAD may be copied, 0x40000BAD may not) with a Private Enterprise Number. */
export function customBlock(endian: Endian, type: number, pen: number, data: Uint8Array): Uint8Array {
  return block(type, [...u32(pen, endian.le), ...data], endian);
}

/** Joins blocks into one file. */
export function pcapng(...blocks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of blocks) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}
