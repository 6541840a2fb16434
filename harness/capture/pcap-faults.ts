// Locates the first structural fault in a classic pcap file tcpdump refused to convert, so the error names
// the byte offset; and the positioned reads the fault finders share.

import { type FileHandle, open } from "node:fs/promises";
import { CaptureError } from "./capture-error.ts";
import { checkClassicHeader, FILE_HEADER, MAX_CAPTURED_LENGTH, RECORD_HEADER } from "./pcap-header.ts";

/** Walks the records of a classic pcap (either precision) and describes the first structural fault. */
export async function locateClassicFault(file: string): Promise<CaptureError | undefined> {
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

/** Reads `length` bytes at `position` (fewer at the end of the file). */
export type PositionedRead = (position: number, length: number) => Promise<Uint8Array>;

/** Opens a file for positioned reads, runs `body`, and turns any read failure into a CaptureError. */
export async function withHandle<T>(
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
