// IP fragments for tests: a packet built by build.ts cut into fragments as a sender cuts it (IPv4 header
// copied with the fragment fields set; IPv6 with a Fragment header inserted, RFC 8200 §4.5).

import type { BuildLink } from "./build.ts";
import { finishChecksum, sumWords } from "./checksum.ts";

const LINK_HEADER_LENGTH: Record<BuildLink, number> = {
  ethernet: 14,
  null: 4,
  loop: 4,
  "linux-sll": 16,
  "linux-sll2": 20,
  raw: 0,
};

/** One fragment to cut from a whole datagram: bytes [offset, offset + length) of the IP payload. */
export interface FragmentPiece {
  /** Byte offset in the IP payload (the transport header and data); a multiple of 8 except in odd tests. */
  offset: number;
  length: number;
  /** The more-fragments flag; default: whether bytes follow this piece. */
  more?: boolean;
  /** Overwrites the piece's bytes with this value (a fragment that disagrees with another). */
  fill?: number;
}

/**
 * Cuts a packet built by `buildTcp`/`buildUdp` (IPv4 or IPv6, no extension headers) into IP fragments, one
 * frame per piece, as a sender does: IPv4 copies the header with the fragment fields set (and DF clear);
 * IPv6 inserts a Fragment header (RFC 8200 §4.5) after the fixed header. `id` is the IPv4 identification
 * (16 bits) or the IPv6 fragment identification (32 bits).
 */
export function buildFragments(
  whole: Uint8Array,
  link: BuildLink,
  id: number,
  pieces: readonly FragmentPiece[],
): Uint8Array[] {
  const ip = LINK_HEADER_LENGTH[link];
  const v6 = whole[ip]! >> 4 === 6;
  const headerLength = v6 ? 40 : (whole[ip]! & 0x0f) * 4;
  const data = whole.subarray(ip + headerLength);
  return pieces.map((piece) => {
    if (piece.offset + piece.length > data.length) {
      throw new Error(`fragment ${piece.offset}+${piece.length} past the ${data.length}-byte payload`);
    }
    const more = piece.more ?? piece.offset + piece.length < data.length;
    const extra = v6 ? 8 : 0;
    const out = new Uint8Array(ip + headerLength + extra + piece.length);
    const view = new DataView(out.buffer);
    out.set(whole.subarray(0, ip + headerLength));
    const body = data.subarray(piece.offset, piece.offset + piece.length);
    if (piece.fill === undefined) out.set(body, ip + headerLength + extra);
    else out.fill(piece.fill, ip + headerLength + extra);
    if (v6) {
      const at = ip + 40;
      view.setUint16(ip + 4, 8 + piece.length);
      out[at] = whole[ip + 6]!;
      out[ip + 6] = 44;
      view.setUint16(at + 2, (piece.offset & 0xfff8) | (more ? 1 : 0));
      view.setUint32(at + 4, id >>> 0);
    } else {
      view.setUint16(ip + 2, headerLength + piece.length);
      view.setUint16(ip + 4, id & 0xffff);
      view.setUint16(ip + 6, (more ? 0x2000 : 0) | ((piece.offset >> 3) & 0x1fff));
      view.setUint16(ip + 10, 0);
      view.setUint16(ip + 10, finishChecksum(sumWords(out, ip, ip + headerLength)));
    }
    return out;
  });
}

/** Pieces of at most `size` bytes (a multiple of 8) covering `length` bytes of IP payload, in order. */
export function fragmentPieces(length: number, size: number): FragmentPiece[] {
  const pieces: FragmentPiece[] = [];
  for (let offset = 0; offset < length; offset += size) {
    pieces.push({ offset, length: Math.min(size, length - offset) });
  }
  return pieces;
}
