// Reads pcapng natively, streaming: the file is read in large blocks (the next one while this one is
// parsed), each pcapng block parsed in place (pcapng-parser.ts). Two read buffers take turns, so a record's
// data is a view valid only while its callback runs. Memory stays flat whatever the file size. Every fault
// is a CaptureError naming the byte offset.

import { type FileHandle, open } from "node:fs/promises";
import { CaptureError, readFailure } from "./capture-error.ts";
import type { ReadCaptureResult } from "./pcap-header.ts";
import { MINIMUM_LENGTH } from "./pcapng-blocks.ts";
import { type LargeBlock, PcapngParser, type PcapngRecordHandler } from "./pcapng-parser.ts";

/** Reads every record of a pcapng file of `size` bytes in order, in blocks of `blockSize` bytes. */
export async function readPcapng(
  file: string,
  size: number,
  onRecord: PcapngRecordHandler,
  blockSize: number,
): Promise<ReadCaptureResult> {
  // Each block is read behind `headroom` free bytes, where the unparsed end of the block before is copied;
  // a pcapng block longer than the headroom is read on its own.
  const headroom = Math.min(1 << 16, blockSize);
  const parser = new PcapngParser(file, size, onRecord, headroom);
  const handle = await reading(file, 0, () => open(file, "r"));
  let next: Promise<{ block: Buffer; bytesRead: number }> | null = null;
  try {
    const readBlock = (block: Buffer, at: number) =>
      reading(file, at, async () => {
        // Bytes past the size the file had when it was opened (a capture still being written) are not read.
        const { bytesRead } = await handle.read(
          block,
          headroom,
          Math.min(blockSize, Math.max(0, size - at)),
          at,
        );
        return { block, bytesRead };
      });
    let spare: Buffer = Buffer.allocUnsafe(headroom + blockSize);
    let position = 0;
    let carry: Buffer | null = null;
    next = readBlock(Buffer.allocUnsafe(headroom + blockSize), 0);
    for (;;) {
      const { block, bytesRead } = await next;
      next = null;
      if (bytesRead === 0) break;
      const readAt = position;
      position += bytesRead;
      const carried = carry === null ? 0 : carry.length;
      if (carry !== null) carry.copy(block, headroom - carried);
      // The unparsed end is copied out of the other buffer: it is free to read the next block into.
      next = readBlock(spare, position);
      spare = block;
      const data = block.subarray(headroom - carried, headroom + bytesRead);
      const used = parser.parse(data, readAt - carried);
      carry = used < data.length ? data.subarray(used) : null;
      const large = parser.large;
      if (large === undefined) continue;
      parser.large = undefined;
      const { block: free } = await next;
      next = null;
      await readLarge(file, handle, parser, large, carry);
      carry = null;
      position = large.at + large.length;
      next = readBlock(free, position);
    }
    if (carry !== null && parser.parse(carry, position - carry.length) < carry.length) {
      throw new CaptureError(
        "truncated-record",
        file,
        position - carry.length,
        "truncated pcapng block",
        `the file ended after ${position} of its ${size} bytes`,
      );
    }
    return parser.finish();
  } finally {
    // A read still under way must end before the file is closed.
    await next?.catch(() => undefined);
    await handle.close().catch(() => undefined);
  }
}

/**
 * Reads a block longer than the headroom, whose first bytes are `carry` (or none), and parses it; of a block
 * socklab skips, only the trailer is read.
 */
async function readLarge(
  file: string,
  handle: FileHandle,
  parser: PcapngParser,
  large: LargeBlock,
  carry: Buffer | null,
): Promise<void> {
  const { at, length } = large;
  const truncated = (got: number) =>
    new CaptureError(
      "truncated-record",
      file,
      at,
      "truncated pcapng block",
      `block says ${length} bytes, only ${got} remain`,
    );
  if (!MINIMUM_LENGTH.has(large.type)) {
    const tail = Buffer.alloc(4);
    if ((await readFully(file, handle, tail, 0, at + length - 4)) < 4) throw truncated(length - 4);
    parser.checkTrailer(tail, at, length);
    return;
  }
  const whole = Buffer.allocUnsafe(length);
  const start = carry === null ? 0 : carry.copy(whole, 0, 0, Math.min(carry.length, length));
  const got = await readFully(file, handle, whole, start, at + start);
  if (got < length) throw truncated(got);
  parser.parse(whole, at);
}

// Fills `buffer` from `start` with the file's bytes from `position`; returns how far it got.
async function readFully(
  file: string,
  handle: FileHandle,
  buffer: Buffer,
  start: number,
  position: number,
): Promise<number> {
  let got = start;
  while (got < buffer.length) {
    const from = position + got - start;
    const { bytesRead } = await reading(file, from, () =>
      handle.read(buffer, got, buffer.length - got, from),
    );
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}

// Runs a file operation, turning its failure into a CaptureError at `offset`.
async function reading<T>(file: string, offset: number, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw readFailure(file, offset, error);
  }
}
