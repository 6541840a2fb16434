// Locates the first structural fault in a pcapng file tcpdump refused to convert, so the error names the
// byte offset, or the interface whose second link type classic pcap cannot hold.
//
// pcapng: blocks of type (4) | total length (4) | body | total length (4); the first is the Section Header
// Block, type 0x0A0D0D0A, with the byte-order magic 0x1A2B3C4D at offset 8.

import { CaptureError } from "./capture-error.ts";
import { withHandle } from "./pcap-faults.ts";
import { MAX_CAPTURED_LENGTH } from "./pcap-header.ts";

/** Walks the blocks of a pcapng file and describes its first structural fault or second link type. */
export async function locatePcapngFault(file: string): Promise<CaptureError | undefined> {
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
