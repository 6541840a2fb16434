// Reads the records of a classic pcap file one by one, in fixed-size chunks (a 7 GB file never sits in memory):
// just enough for the benchmark's own captures, which tcpdump writes (microseconds, this host's byte order).
//
//  File header (24 bytes): magic a1b2c3d4, version 2.4, thiszone, sigfigs, snaplen, linktype
//  Record header (16 bytes): ts_sec, ts_usec, incl_len, orig_len; then incl_len bytes of data

import { closeSync, openSync, readSync } from "node:fs";

/** One record; `data` is a view into the reader's buffer, valid until the next record is read. */
export interface PcapRecord {
  readonly timeUs: number;
  readonly data: Uint8Array;
  readonly originalLength: number;
}

const CHUNK = 8 << 20;

/** The records of a little-endian microsecond pcap file, in file order. */
export function* pcapRecords(path: string): Generator<PcapRecord, void, undefined> {
  const fd = openSync(path, "r");
  try {
    let buffer = new Uint8Array(CHUNK);
    let view = new DataView(buffer.buffer);
    let start = 0;
    let end = readSync(fd, buffer, 0, buffer.length, null);
    if (end < 24) throw new Error(`${path}: not a pcap file (${end} bytes)`);
    const magic = view.getUint32(0, true);
    if (magic !== 0xa1b2c3d4) throw new Error(`${path}: expected a little-endian µs pcap, magic ${magic}`);
    start = 24;
    for (;;) {
      if (end - start < 16 || end - start < 16 + view.getUint32(start + 8, true)) {
        // Move the partial record to the front (growing the buffer for a record larger than it) and refill.
        const need = end - start >= 16 ? 16 + view.getUint32(start + 8, true) : 16;
        const next = need > buffer.length ? new Uint8Array(need * 2) : buffer;
        if (next === buffer) next.copyWithin(0, start, end);
        else next.set(buffer.subarray(start, end));
        end -= start;
        start = 0;
        buffer = next;
        view = new DataView(buffer.buffer);
        const read = readSync(fd, buffer, end, buffer.length - end, null);
        if (read === 0) {
          if (end !== 0) throw new Error(`${path}: ${end} bytes of a truncated record at the end`);
          return;
        }
        end += read;
        continue;
      }
      const length = view.getUint32(start + 8, true);
      yield {
        timeUs: view.getUint32(start, true) * 1e6 + view.getUint32(start + 4, true),
        data: buffer.subarray(start + 16, start + 16 + length),
        originalLength: view.getUint32(start + 12, true),
      };
      start += 16 + length;
    }
  } finally {
    closeSync(fd);
  }
}

/** The link type in a pcap file's header. */
export function pcapLinkType(path: string): number {
  const fd = openSync(path, "r");
  try {
    const header = new Uint8Array(24);
    readSync(fd, header, 0, 24, 0);
    return new DataView(header.buffer).getUint32(20, true) & 0xffff;
  } finally {
    closeSync(fd);
  }
}
