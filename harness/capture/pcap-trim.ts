// A classic pcap file cut off mid-record (its writer was stopped by a file-size limit) is made whole again by
// dropping the partial record at its end; a file can also be cut to its first records up to a size. Only for
// socklab's own captures: a user's damaged file is reported, never repaired.
import { open } from "node:fs/promises";
import { FILE_HEADER, RECORD_HEADER } from "./pcap-header.ts";

const MICROSECOND_MAGIC = 0xa1b2c3d4;
const NANOSECOND_MAGIC = 0xa1b23c4d;

/**
 * Truncates `path` after its last whole packet record that ends within `maxBytes` (default: the whole file).
 * Returns how many whole records it keeps and how many bytes were dropped; a file that is not classic pcap is
 * left alone (null).
 */
export async function trimPartialRecord(
  path: string,
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<{ readonly records: number; readonly droppedBytes: number } | null> {
  const file = await open(path, "r+");
  try {
    const size = (await file.stat()).size;
    const data = Buffer.alloc(Math.min(size, maxBytes));
    await file.read(data, 0, data.length, 0);
    if (data.length < FILE_HEADER) return null;
    const magic = data.readUInt32LE(0);
    const little = magic === MICROSECOND_MAGIC || magic === NANOSECOND_MAGIC;
    const big = data.readUInt32BE(0) === MICROSECOND_MAGIC || data.readUInt32BE(0) === NANOSECOND_MAGIC;
    if (!little && !big) return null;
    let offset = FILE_HEADER;
    let records = 0;
    while (offset + RECORD_HEADER <= data.length) {
      const included = little ? data.readUInt32LE(offset + 8) : data.readUInt32BE(offset + 8);
      if (offset + RECORD_HEADER + included > data.length) break;
      offset += RECORD_HEADER + included;
      records++;
    }
    if (offset < size) await file.truncate(offset);
    return { records, droppedBytes: size - offset };
  } finally {
    await file.close();
  }
}
