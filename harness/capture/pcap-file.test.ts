import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { buildTcp, buildUdp } from "../decode/build.ts";
import { decodePacket } from "../decode/packet.ts";
import { CaptureError } from "./capture-error.ts";
import { readCapture } from "./pcap-file.ts";
import { encodePcap, type PcapPacket, type PcapWriteOptions } from "./pcap-writer.ts";
import * as ng from "./pcapng-build.ts";
import type { CaptureRecord } from "./record.ts";

const FIXTURES = join(import.meta.dirname, "../../fixtures/captures");
const dir = mkdtempSync(join(tmpdir(), "socklab-pcap-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PACKETS: PcapPacket[] = [
  {
    timeUs: 1_700_000_000_000_001,
    data: buildUdp({ src: "127.0.0.1", dst: "127.0.0.1", sport: 1, dport: 5005, payload: "a" }),
  },
  {
    timeUs: 1_700_000_000_500_000,
    data: buildTcp({ src: "::1", dst: "::1", sport: 2, dport: 3, seq: 4, flags: "S" }),
  },
  {
    timeUs: 1_700_000_001_999_999,
    data: buildUdp({ src: "10.0.0.1", dst: "10.0.0.2", sport: 7, dport: 8, payload: "bcd" }),
  },
];
const SIZES = PACKETS.map((p) => p.data.length); // 43, 74, 45
const OFFSETS = [24, 24 + 16 + SIZES[0]!, 24 + 32 + SIZES[0]! + SIZES[1]!];

let counter = 0;
function file(name: string, bytes: Uint8Array | number[]): string {
  const path = join(dir, `${counter++}-${name}`);
  writeFileSync(path, bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes));
  return path;
}

function pcap(options: PcapWriteOptions = {}, linkType = 1, packets = PACKETS): Uint8Array {
  return encodePcap(linkType, packets, options);
}

async function readAll(path: string) {
  const records: CaptureRecord[] = [];
  const result = await readCapture(path, (record) =>
    records.push({ ...record, data: new Uint8Array(record.data) }),
  );
  return { ...result, records };
}

async function failure(path: string): Promise<CaptureError> {
  try {
    await readCapture(path, (record, header) => decodePacket(record, header.linkType));
  } catch (error) {
    expect(error).toBeInstanceOf(CaptureError);
    return error as CaptureError;
  }
  throw new Error(`${path} was read without an error`);
}

// pcapng blocks, little-endian, from the test-side writer.
const LE = { le: true };
const SHB = ng.sectionHeader(LE);
const idb = (linkType: number) => ng.interfaceDescription(LE, { linkType });
const epb = (iface: number, data: Uint8Array) => ng.enhancedPacket(LE, { iface, ts: 1_000_000n, data });

describe("each format reads", () => {
  test.each([
    { name: "pcap, little-endian", bytes: pcap(), format: "pcap", byteOrder: "le" },
    { name: "pcap, big-endian", bytes: pcap({ byteOrder: "be" }), format: "pcap", byteOrder: "be" },
    {
      name: "nanosecond pcap, little-endian",
      bytes: pcap({ precision: "ns" }),
      format: "pcap-ns",
      byteOrder: "le",
    },
    {
      name: "nanosecond pcap, big-endian",
      bytes: pcap({ precision: "ns", byteOrder: "be" }),
      format: "pcap-ns",
    },
  ])("$name", async ({ bytes, format, byteOrder }) => {
    const got = await readAll(file("f.pcap", bytes));
    expect(got.header).toMatchObject({ format, linkType: 1, snapLength: 262144 });
    if (byteOrder) expect(got.header.byteOrder).toBe(byteOrder);
    expect(got.packets).toBe(3);
    expect(got.bytes).toBe(bytes.length);
    expect(got.records.map((r) => r.number)).toEqual([1, 2, 3]);
    expect(got.records.map((r) => r.timeUs)).toEqual(PACKETS.map((p) => p.timeUs));
    expect(got.records.map((r) => r.fileOffset)).toEqual(OFFSETS);
    expect(got.records.map((r) => [...r.data])).toEqual(PACKETS.map((p) => [...p.data]));
  });

  test("pcapng written by socklab's test writer", async () => {
    const bytes = ng.pcapng(SHB, idb(1), ...PACKETS.map((p) => epb(0, p.data)));
    const got = await readAll(file("w.pcapng", bytes));
    expect(got.header).toMatchObject({ format: "pcapng", linkType: 1 });
    expect(got.records.map((r) => [...r.data])).toEqual(PACKETS.map((p) => [...p.data]));
    // Offsets of the blocks in the user's file: after the 28-byte SHB and the 20-byte IDB.
    const blocks = PACKETS.map((p) => epb(0, p.data).length);
    expect(got.records.map((r) => r.fileOffset)).toEqual([48, 48 + blocks[0]!, 48 + blocks[0]! + blocks[1]!]);
    expect(got.records.map((r) => r.timeUs)).toEqual([1_000_000, 1_000_000, 1_000_000]);
    expect(got.bytes).toBe(bytes.length);
  });

  // Two read buffers take turns, so a record is valid only during its callback: read through many small
  // blocks (records straddling them, some longer than a block's headroom), every record copied in the
  // callback is the one written.
  const MANY: PcapPacket[] = Array.from({ length: 600 }, (_, i) => ({
    timeUs: 1_700_000_000_000_000 + i,
    data: Uint8Array.from(
      { length: 14 + ((i * 37) % 1500) + (i % 50 === 0 ? 9000 : 0) },
      (_, j) => (i + j) & 0xff,
    ),
  }));
  test.each([
    ["pcap", () => pcap({}, 1, MANY)],
    ["pcapng", () => ng.pcapng(SHB, idb(1), ...MANY.map((p) => epb(0, p.data)))],
  ])("%s read through 4 KiB blocks: each record's bytes are its own", async (name, bytes) => {
    const path = file(`many.${name}`, bytes());
    const records: Uint8Array[] = [];
    await readCapture(path, (record) => records.push(new Uint8Array(record.data)), { highWaterMark: 4096 });
    expect(records.length).toBe(MANY.length);
    for (const [i, p] of MANY.entries())
      expect(Buffer.compare(records[i]!, p.data), `record ${i + 1}`).toBe(0);
  });

  test.each([
    ["tcp-echo.pcap", "pcap", 12],
    ["nanosecond.pcap", "pcap-ns", 8],
    ["wireshark.pcapng", "pcapng", 26],
    ["any-sll2.pcap", "pcap", 26],
  ])("fixture %s (%s)", async (name, format, packets) => {
    const got = await readAll(join(FIXTURES, name));
    expect(got.header.format).toBe(format);
    expect(got.packets).toBe(packets);
    expect(got.header.file).toBe(join(FIXTURES, name));
  });

  test.each(["le", "be"] as const)("nanosecond timestamps keep their nanoseconds (%s)", async (byteOrder) => {
    const bytes = pcap({ precision: "ns", byteOrder });
    new DataView(bytes.buffer).setUint32(24 + 4, 123_456_789, byteOrder === "le"); // first record: 123456789 ns
    const got = await readAll(file("ns.pcap", bytes));
    expect(got.records.map((r) => [r.timeUs, r.nanos])).toEqual([
      [1_700_000_000_123_456, 789],
      [1_700_000_000_500_000, 0],
      [1_700_000_001_999_999, 0],
    ]);
  });

  test("microsecond pcap records carry no nanoseconds", async () => {
    const got = await readAll(file("us.pcap", pcap()));
    expect(got.records.map((r) => r.nanos)).toEqual([undefined, undefined, undefined]);
  });

  test("FCS bits above the link type are masked off", async () => {
    const got = await readAll(file("fcs.pcap", pcap({}, 0x14000001)));
    expect(got.header.linkType).toBe(1);
  });

  test("the caller's own exception passes through unchanged", async () => {
    const boom = new RangeError("mine");
    await expect(
      readCapture(file("cb.pcap", pcap()), () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
  });

  test("a directory of the same name is named for what it is", async () => {
    const path = join(dir, "a-directory.pcap");
    mkdirSync(path);
    const error = await failure(path);
    expect([error.code, error.message]).toEqual([
      "not-a-file",
      `${path}: not a capture file at byte 0: it is a directory`,
    ]);
  });
});

// Each error: the code, the exact byte offset, and a message naming the file and the offset.
describe("each error names the file and the exact byte offset", () => {
  const good = pcap();
  const withU32 = (bytes: Uint8Array, at: number, value: number) => {
    const copy = bytes.slice();
    new DataView(copy.buffer).setUint32(at, value, true);
    return copy;
  };
  const endOfLast = good.length;
  test.each([
    { name: "empty file", bytes: new Uint8Array(0), code: "empty-file", offset: 0, detail: "0 bytes" },
    {
      name: "3-byte file",
      bytes: good.subarray(0, 3),
      code: "truncated-header",
      offset: 0,
      detail: "has 3 bytes",
    },
    {
      name: "unknown magic",
      bytes: withU32(good, 0, 0x12345678),
      code: "unknown-magic",
      offset: 0,
      detail: "magic 0x78563412",
    },
    {
      name: "file header cut at 20 bytes",
      bytes: good.subarray(0, 20),
      code: "truncated-header",
      offset: 0,
      detail: "24 bytes needed, the file has 20",
    },
    {
      name: "version 3.1",
      bytes: Uint8Array.from([...good.subarray(0, 4), 3, 0, 1, 0, ...good.subarray(8)]),
      code: "bad-version",
      offset: 4,
      detail: "3.1, expected 2.4",
    },
    {
      name: "link type 147",
      bytes: withU32(good, 20, 147),
      code: "unsupported-link-type",
      offset: 20,
      detail: "147; socklab reads",
    },
    {
      name: "nanosecond pcap with link type 147",
      bytes: withU32(pcap({ precision: "ns" }), 20, 147),
      code: "unsupported-link-type",
      offset: 20,
      detail: "147",
    },
    {
      name: "a record header cut short at the end",
      bytes: Uint8Array.from([...good, 1, 2, 3, 4, 5]),
      code: "truncated-record-header",
      offset: endOfLast,
      detail: "16 bytes needed, only 5 remain",
    },
    {
      name: "a record body cut short at the end",
      bytes: good.subarray(0, good.length - 10),
      code: "truncated-record",
      offset: OFFSETS[2]!,
      detail: `header says ${SIZES[2]} bytes, only ${SIZES[2]! - 10} remain`,
    },
    {
      name: "caplen over 256 KiB",
      bytes: withU32(good, OFFSETS[1]! + 8, 300_000),
      code: "corrupt-record",
      offset: OFFSETS[1]!,
      detail: "header says 300000 captured bytes, more than the 262144-byte maximum",
    },
    {
      name: "caplen over the snap length",
      bytes: withU32(pcap({ snapLength: 60 }), OFFSETS[1]! + 8, 70),
      code: "corrupt-record",
      offset: OFFSETS[1]!,
      detail: "more than the snap length 60",
    },
    {
      name: "caplen of 4 GiB in a big file (must stop, not buffer the rest)",
      bytes: withU32(
        pcap({}, 1, [...PACKETS, ...new Array(20000).fill(PACKETS[1])]),
        OFFSETS[1]! + 8,
        0xffffffff,
      ),
      code: "corrupt-record",
      offset: OFFSETS[1]!,
      detail: "4294967295",
    },
    {
      name: "nanosecond pcap cut inside a record",
      bytes: pcap({ precision: "ns" }).subarray(0, OFFSETS[1]! + 20),
      code: "truncated-record",
      offset: OFFSETS[1]!,
      detail: `header says ${SIZES[1]} bytes, only 4 remain`,
    },
    {
      name: "nanosecond pcap with a corrupt caplen",
      bytes: withU32(pcap({ precision: "ns" }), OFFSETS[2]! + 8, 999_999),
      code: "corrupt-record",
      offset: OFFSETS[2]!,
      detail: "999999",
    },
    {
      name: "pcapng cut inside a block",
      bytes: Uint8Array.from([...SHB, ...idb(1), ...epb(0, PACKETS[0]!.data)]).subarray(
        0,
        SHB.length + 20 + 30,
      ),
      code: "truncated-record",
      offset: SHB.length + 20,
      detail: "block says",
    },
    {
      name: "link type with reserved bits set",
      bytes: withU32(good, 20, 0x00180001),
      code: "unsupported-link-type",
      offset: 20,
      detail: "0x180001 sets reserved bits",
    },
    {
      name: "pcapng version 2.0",
      bytes: Uint8Array.from([...SHB.slice(0, 12), 2, 0, 0, 0, ...SHB.slice(16), ...idb(1)]),
      code: "bad-version",
      offset: 12,
      detail: "2.0, expected 1.0",
    },
    {
      name: "pcapng packet on an interface never described",
      bytes: Uint8Array.from([...SHB, ...idb(1), ...epb(5, PACKETS[0]!.data)]),
      code: "corrupt-record",
      offset: SHB.length + 20,
      detail: "interface 5, but the section describes 1",
    },
  ])("$name: $code at byte $offset", async ({ bytes, code, offset, detail }) => {
    const path = file("bad.pcap", bytes);
    const error = await failure(path);
    expect({ code: error.code, offset: error.offset, file: error.file }).toEqual({
      code,
      offset,
      file: path,
    });
    expect(error.message).toContain(`${path}: `);
    expect(error.message).toContain(` at byte ${offset}`);
    expect(error.message).toContain(detail);
  });

  test("a missing file", async () => {
    const path = join(dir, "nothing-here.pcap");
    const error = await failure(path);
    expect([error.code, error.offset, error.message]).toEqual([
      "missing-file",
      0,
      `${path}: cannot open capture file at byte 0: no such file`,
    ]);
  });

  test("a character device is named for what it is, not read as an empty file", async () => {
    const error = await failure("/dev/zero");
    expect([error.code, error.message]).toEqual([
      "not-a-file",
      "/dev/zero: not a capture file at byte 0: it is a character device",
    ]);
  });

  test("the brief's example message", async () => {
    const path = join(dir, "capture.pcap");
    writeFileSync(path, pcap().subarray(0, OFFSETS[1]! + 16 + 12));
    const error = await failure(path);
    expect(error.message).toBe(
      `${path}: truncated packet record at byte ${OFFSETS[1]}: header says 74 bytes, only 12 remain`,
    );
  });
});
