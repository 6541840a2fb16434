// A classic pcap file cut off mid-record (its writer was stopped by a file-size limit) is made whole again by
// dropping the partial record at its end. Only for socklab's own captures: a user's damaged file is reported,
// never repaired.
import { open } from "node:fs/promises";
import { FILE_HEADER, RECORD_HEADER } from "./pcap-header.ts";

const MICROSECOND_MAGIC = 0xa1b2c3d4;
const NANOSECOND_MAGIC = 0xa1b23c4d;

/**
 * Truncates `path` after its last whole packet record. Returns how many whole records it holds and how many
 * bytes were dropped; a file that is not classic pcap is left alone (null).
 */
export async function trimPartialRecord(
  path: string,
): Promise<{ readonly records: number; readonly droppedBytes: number } | null> {
  const file = await open(path, "r+");
  try {
    const data = await file.readFile();
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
    if (offset < data.length) await file.truncate(offset);
    return { records, droppedBytes: data.length - offset };
  } finally {
    await file.close();
  }
}
