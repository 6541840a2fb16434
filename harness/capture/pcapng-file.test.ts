// pcapng read natively: files built block by block (pcapng-build.ts), every block kind, both byte orders,
// several sections and interfaces, every timestamp resolution, and each fault with its byte offset.
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { buildUdp } from "../decode/build.ts";
import { decodePacket } from "../decode/packet.ts";
import { CaptureError } from "./capture-error.ts";
import { readCapture } from "./pcap-file.ts";
import { journalEntry } from "./pcapng-blocks.ts";
import * as ng from "./pcapng-build.ts";
import { readPcapng } from "./pcapng-file.ts";
import { NOT_A_PACKET } from "./record.ts";

const dir = mkdtempSync(join(tmpdir(), "socklab-pcapng-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LE = { le: true };
const BE = { le: false };
const SEC = 1_700_000_000n;
// Ethernet frames of 44 bytes (UDP payload "m0", "m1", …).
const frame = (n: number) =>
  buildUdp({ src: "127.0.0.1", dst: "127.0.0.1", sport: 40000 + n, dport: 5005, payload: `m${n}` });

let counter = 0;
function write(bytes: Uint8Array): string {
  const path = join(dir, `${counter++}.pcapng`);
  writeFileSync(path, bytes);
  return path;
}

interface Got {
  number: number;
  timeUs: number;
  nanos: number | undefined;
  linkType: number | undefined;
  interfaceId: number;
  capturedLength: number;
  originalLength: number;
  data: number[];
  fileOffset: number;
}

async function read(bytes: Uint8Array, blockSize = 2 << 20) {
  const path = write(bytes);
  const records: Got[] = [];
  const result = await readPcapng(
    path,
    statSync(path).size,
    (r, _header, interfaceId) =>
      records.push({
        number: r.number,
        timeUs: r.timeUs,
        nanos: r.nanos,
        linkType: r.linkType,
        interfaceId,
        capturedLength: r.capturedLength,
        originalLength: r.originalLength,
        data: [...r.data],
        fileOffset: r.fileOffset,
      }),
    blockSize,
  );
  return { ...result, records };
}

async function failure(bytes: Uint8Array): Promise<{ error: CaptureError; path: string }> {
  const path = write(bytes);
  try {
    await readCapture(path, (record, header) => decodePacket(record, header.linkType));
  } catch (error) {
    expect(error).toBeInstanceOf(CaptureError);
    return { error: error as CaptureError, path };
  }
  throw new Error("read without an error");
}

describe("blocks", () => {
  test.each([LE, BE])("one section, little-endian $le: header, records, offsets", async (endian) => {
    const shb = ng.sectionHeader(endian);
    const idb = ng.interfaceDescription(endian, { linkType: 1, snapLength: 65535 });
    const epbs = [0, 1].map((n) =>
      ng.enhancedPacket(endian, { ts: SEC * 1_000_000n + BigInt(n), data: frame(n) }),
    );
    const got = await read(ng.pcapng(shb, idb, ...epbs));
    expect(got.header).toEqual({
      file: expect.any(String),
      format: "pcapng",
      linkType: 1,
      snapLength: 65535,
      byteOrder: endian.le ? "le" : "be",
    });
    expect(got.packets).toBe(2);
    expect(got.records.map((r) => [r.number, r.timeUs, r.nanos, r.linkType, r.fileOffset])).toEqual([
      [1, 1_700_000_000_000_000, 0, undefined, shb.length + idb.length],
      [2, 1_700_000_000_000_001, 0, undefined, shb.length + idb.length + epbs[0]!.length],
    ]);
    expect(got.records[1]!.data).toEqual([...frame(1)]);
  });

  test("several interfaces of several link types: each record carries its own", async () => {
    const raw = frame(2).subarray(14);
    const got = await read(
      ng.pcapng(
        ng.sectionHeader(LE),
        ng.interfaceDescription(LE, { linkType: 1 }),
        ng.interfaceDescription(LE, { linkType: 276 }),
        ng.interfaceDescription(LE, { linkType: 101 }),
        ng.enhancedPacket(LE, { iface: 0, ts: 1n, data: frame(0) }),
        ng.enhancedPacket(LE, { iface: 2, ts: 2n, data: raw }),
        ng.enhancedPacket(LE, { iface: 1, ts: 3n, data: new Uint8Array(20) }),
      ),
    );
    expect(got.header.linkType).toBe(1);
    expect(got.records.map((r) => [r.interfaceId, r.linkType])).toEqual([
      [0, undefined],
      [2, 101],
      [1, 276],
    ]);
  });

  test("each section has its own byte order and interfaces", async () => {
    const got = await read(
      ng.pcapng(
        ng.sectionHeader(LE),
        ng.interfaceDescription(LE, { linkType: 1 }),
        ng.interfaceDescription(LE, { linkType: 1, tsresol: 9 }),
        ng.enhancedPacket(LE, { iface: 1, ts: SEC * 1_000_000_000n + 5n, data: frame(0) }),
        ng.sectionHeader(BE),
        ng.interfaceDescription(BE, { linkType: 113 }),
        ng.enhancedPacket(BE, { iface: 0, ts: SEC * 1_000_000n + 7n, data: new Uint8Array(16) }),
        ng.sectionHeader(LE),
        ng.interfaceDescription(LE, { linkType: 1 }),
        ng.enhancedPacket(LE, { iface: 0, ts: SEC * 1_000_000n, data: frame(1) }),
      ),
    );
    expect(got.header).toMatchObject({ linkType: 1, byteOrder: "le" });
    expect(got.records.map((r) => [r.interfaceId, r.linkType, r.timeUs, r.nanos])).toEqual([
      [1, undefined, 1_700_000_000_000_000, 5],
      [0, 113, 1_700_000_000_000_007, 0],
      [0, undefined, 1_700_000_000_000_000, 0],
    ]);
  });

  test("a packet on an interface of an earlier section only is refused", async () => {
    const bytes = ng.pcapng(
      ng.sectionHeader(LE),
      ng.interfaceDescription(LE, { linkType: 1 }),
      ng.interfaceDescription(LE, { linkType: 1 }),
      ng.sectionHeader(BE),
      ng.interfaceDescription(BE, { linkType: 1 }),
    );
    const epb = ng.enhancedPacket(BE, { iface: 1, ts: 1n, data: frame(0) });
    const { error } = await failure(ng.pcapng(bytes, epb));
    expect([error.code, error.offset]).toEqual(["corrupt-record", bytes.length]);
    expect(error.message).toContain("interface 1, but the section describes 1");
  });

  test("Simple Packet Blocks: interface 0, the snap length cuts, the time of the record before", async () => {
    const ip = frame(3).subarray(14); // 30 bytes
    const got = await read(
      ng.pcapng(
        ng.sectionHeader(BE),
        ng.interfaceDescription(BE, { linkType: 101, snapLength: 20 }),
        ng.enhancedPacket(BE, { ts: SEC * 1_000_000n + 9n, data: ip }),
        ng.simplePacket(BE, ip.subarray(0, 20), 30),
        ng.sectionHeader(LE),
        ng.interfaceDescription(LE, { linkType: 101, snapLength: 0 }),
        ng.simplePacket(LE, ip),
      ),
    );
    expect(got.records.map((r) => [r.capturedLength, r.originalLength, r.interfaceId, r.timeUs])).toEqual([
      [30, 30, 0, 1_700_000_000_000_009],
      [20, 30, 0, 1_700_000_000_000_009],
      [30, 30, 0, 1_700_000_000_000_009],
    ]);
    expect(got.records[2]!.data).toEqual([...ip]);
  });

  test("the obsolete Packet Block", async () => {
    const got = await read(
      ng.pcapng(
        ng.sectionHeader(LE),
        ng.interfaceDescription(LE, { linkType: 1 }),
        ng.interfaceDescription(LE, { linkType: 1, tsresol: 3 }),
        ng.obsoletePacket(LE, { iface: 1, ts: SEC * 1000n + 250n, data: frame(4), originalLength: 1000 }),
      ),
    );
    expect(got.records).toMatchObject([
      { number: 1, interfaceId: 1, timeUs: 1_700_000_000_250_000, capturedLength: 44, originalLength: 1000 },
    ]);
  });

  test("blocks tshark numbers as frames become records that are no packet; the others are skipped", async () => {
    const journal = new TextEncoder().encode("__REALTIME_TIMESTAMP=1700000005000007\nMESSAGE=hi\n");
    // A sysdig event: cpu (2) | ns timestamp (8) | thread (8) | event length (4) | event type (2) | data.
    const sysdig = Uint8Array.from([
      ...[0, 0],
      ...[0x15, 0x89, 0x26, 0xa3, 0xff, 0x9c, 0x97, 0x17] /* 1700000006123456789 ns */,
      ...new Array(8).fill(0),
      ...[100, 0, 0, 0] /* event length 100 */,
      ...[1, 0],
      ...[1, 2, 3, 4, 5, 6, 7, 8],
    ]);
    const got = await read(
      ng.pcapng(
        ng.sectionHeader(LE),
        ng.interfaceDescription(LE, { linkType: 1 }),
        ng.enhancedPacket(LE, { ts: SEC * 1_000_000n + 1n, data: frame(0) }),
        ng.customBlock(LE, 0xbad, 32473, Uint8Array.of(1, 2, 3, 4, 5)),
        ng.customBlock(LE, 0x40000bad, 32473, Uint8Array.of(1, 2, 3)),
        ng.nameResolution(LE, [127, 0, 0, 1], "lo.example"),
        ng.interfaceStatistics(LE, 0, 5n),
        ng.decryptionSecrets(LE, "CLIENT_RANDOM 00 00\n"),
        ng.block(0x12345, [1, 2, 3, 4], LE),
        ng.block(9, journal, LE),
        ng.block(0x204, sysdig, LE),
        ng.enhancedPacket(LE, { ts: SEC * 1_000_000n + 7_000_000n, data: frame(1) }),
      ),
    );
    expect(
      got.records.map((r) => [r.number, r.linkType, r.originalLength, r.capturedLength, r.timeUs, r.nanos]),
    ).toEqual([
      [1, undefined, 44, 44, 1_700_000_000_000_001, 0],
      [2, NOT_A_PACKET, 8, 8, 1_700_000_000_000_001, 0],
      [3, NOT_A_PACKET, 4, 4, 1_700_000_000_000_001, 0],
      [4, NOT_A_PACKET, 49, 49, 1_700_000_005_000_007, 0],
      [5, NOT_A_PACKET, 100, 8, 1_700_000_006_123_456, 789],
      [6, undefined, 44, 44, 1_700_000_007_000_000, 0],
    ]);
    expect(got.records.map((r) => r.interfaceId)).toEqual([0, -1, -1, -1, -1, 0]);
  });

  test("a record that is no packet decodes without a problem and without a network layer", async () => {
    const path = write(
      ng.pcapng(
        ng.sectionHeader(LE),
        ng.interfaceDescription(LE, { linkType: 1 }),
        ng.customBlock(LE, 0xbad, 1, frame(0)),
      ),
    );
    const packets: ReturnType<typeof decodePacket>[] = [];
    await readCapture(path, (record, header) => packets.push(decodePacket(record, header.linkType)));
    expect(packets.map((p) => [p.number, p.problems, p.network])).toEqual([[1, [], undefined]]);
  });

  test("records straddling read blocks, and blocks longer than a read, read the same", async () => {
    const blocks = [ng.sectionHeader(BE), ng.interfaceDescription(BE, { linkType: 1, tsresol: 9 })];
    for (let n = 0; n < 300; n++) {
      blocks.push(ng.enhancedPacket(BE, { ts: SEC * 1_000_000_000n + BigInt(n * 333), data: frame(n) }));
      if (n % 100 === 7) blocks.push(ng.customBlock(BE, 0xbad, 1, new Uint8Array(9000 + n)));
      if (n % 100 === 9) blocks.push(ng.block(0x7777, new Uint8Array(20_000), BE));
      if (n % 100 === 11) blocks.push(ng.enhancedPacket(BE, { ts: 1n, data: new Uint8Array(60_000) }));
    }
    const bytes = ng.pcapng(...blocks);
    const whole = await read(bytes);
    const small = await read(bytes, 4096);
    expect(whole.records.length).toBe(306);
    expect(small.records).toEqual(whole.records);
    expect(small.packets).toBe(306);
  });
});

// A systemd journal entry's length and time, as tshark 4.0 reads them.
test.each([
  { text: "__REALTIME_TIMESTAMP=1700000005000007\nMESSAGE=hi\n", length: 49, us: 1_700_000_005_000_007n },
  { text: "MESSAGE=x\n__REALTIME_TIMESTAMP=5", length: 32, us: 5n },
  { text: "__REALTIME_TIMESTAMP=abc\nMESSAGE=hi there\n", length: 42, us: undefined },
  { text: "MESSAGE=no timestamp here at all\n\0\0\0", length: 33, us: undefined },
  { text: "MESSAGE=x\0__REALTIME_TIMESTAMP=5\n", length: 33, us: undefined },
])("journal entry %#", ({ text, length, us }) => {
  expect(journalEntry(new TextEncoder().encode(text))).toEqual({ length, realtimeUs: us });
});

describe("timestamps, to the nanosecond as tshark shows them", () => {
  test.each([
    {
      name: "microseconds (default)",
      tsresol: undefined,
      ts: SEC * 1_000_000n + 123_456n,
      want: [1_700_000_000_123_456, 0],
    },
    { name: "milliseconds (10^-3)", tsresol: 3, ts: SEC * 1000n + 999n, want: [1_700_000_000_999_000, 0] },
    { name: "microseconds (10^-6)", tsresol: 6, ts: SEC * 1_000_000n + 1n, want: [1_700_000_000_000_001, 0] },
    {
      name: "nanoseconds (10^-9)",
      tsresol: 9,
      ts: SEC * 1_000_000_000n + 123_456_789n,
      want: [1_700_000_000_123_456, 789],
    },
    {
      name: "2^-20, rounded down",
      tsresol: 0x80 | 20,
      ts: SEC * 1048576n + 1048575n,
      want: [1_700_000_000_999_999, 46],
    },
    {
      name: "2^-20, one unit",
      tsresol: 0x80 | 20,
      ts: SEC * 1048576n + 1n,
      want: [1_700_000_000_000_000, 953],
    },
    {
      name: "2^-30",
      tsresol: 0x80 | 30,
      ts: SEC * (1n << 30n) + 987654321n,
      want: [1_700_000_000_919_824, 765],
    },
    {
      name: "picoseconds (10^-12)",
      tsresol: 12,
      ts: 17_000_000_001_234_567_899n,
      want: [17_000_000_001_234, 567],
    },
    // (remainder × 10^9) wraps at 2^64 in Wireshark: 999999999999 ps past the second shows as .003875820.
    {
      name: "picoseconds, wrapping",
      tsresol: 12,
      ts: 5_000_000n * 10n ** 12n + 999_999_999_999n,
      want: [5_000_000_003_875, 820],
    },
    { name: "2^-63", tsresol: 0x80 | 63, ts: (1n << 63n) - 1n, want: [0, 1] },
    { name: "seconds (10^0)", tsresol: 0, ts: 12345n, want: [12_345_000_000, 0] },
    { name: "beyond 10^-19: the unit is 2^64 − 1", tsresol: 20, ts: 12345n, want: [0, 0] },
  ])("$name", async ({ tsresol, ts, want }) => {
    const got = await read(
      ng.pcapng(
        ng.sectionHeader(LE),
        ng.interfaceDescription(LE, { linkType: 1, tsresol }),
        ng.enhancedPacket(LE, { ts, data: frame(0) }),
      ),
    );
    expect([got.records[0]!.timeUs, got.records[0]!.nanos]).toEqual(want);
  });

  test.each([
    { tsoffset: 1_000_000_000n, tsresol: 3, ts: 700_000_000_999n, want: [1_700_000_000_999_000, 0] },
    {
      tsoffset: -5n,
      tsresol: 0x80 | 40,
      ts: 1_000_000n * (1n << 40n) + 123456789n,
      want: [999_995_000_112, 283],
    },
  ])("if_tsoffset $tsoffset s", async ({ tsoffset, tsresol, ts, want }) => {
    const got = await read(
      ng.pcapng(
        ng.sectionHeader(BE),
        ng.interfaceDescription(BE, { linkType: 1, tsresol, tsoffset }),
        ng.enhancedPacket(BE, { ts, data: frame(0) }),
      ),
    );
    expect([got.records[0]!.timeUs, got.records[0]!.nanos]).toEqual(want);
  });
});

describe("each fault is one CaptureError naming the file and the byte offset", () => {
  const shb = ng.sectionHeader(LE);
  const idb = ng.interfaceDescription(LE, { linkType: 1 });
  const head = ng.pcapng(shb, idb);
  const epb = ng.enhancedPacket(LE, { ts: 1n, data: frame(0) });
  const at = head.length;
  const withU32 = (bytes: Uint8Array, offset: number, value: number, le = true) => {
    const copy = bytes.slice();
    new DataView(copy.buffer).setUint32(offset, value, le);
    return copy;
  };
  const good = ng.pcapng(head, epb, epb);
  const beSection = ng.pcapng(ng.sectionHeader(BE), ng.interfaceDescription(BE, { linkType: 1 }));
  test.each([
    {
      name: "the last block cut short",
      bytes: good.subarray(0, good.length - 6),
      code: "truncated-record",
      offset: at + epb.length,
      detail: `block says ${epb.length} bytes, only ${epb.length - 6} remain`,
    },
    {
      name: "a block header cut short",
      bytes: ng.pcapng(good, Uint8Array.of(6, 0, 0, 0, 32)),
      code: "truncated-record-header",
      offset: good.length,
      detail: "12 bytes needed, only 5 remain",
    },
    {
      name: "a block length not a multiple of 4",
      bytes: withU32(good, at + epb.length + 4, epb.length + 2),
      code: "corrupt-record",
      offset: at + epb.length,
      detail: `block length ${epb.length + 2} is not a multiple of 4`,
    },
    {
      name: "a trailer that disagrees",
      bytes: withU32(good, at + epb.length - 4, 64),
      code: "corrupt-record",
      offset: at,
      detail: `block length ${epb.length} at the start but 64 at the end`,
    },
    {
      name: "a packet on an undeclared interface",
      bytes: withU32(good, at + 8, 3),
      code: "corrupt-record",
      offset: at,
      detail: "interface 3, but the section describes 1",
    },
    {
      name: "a captured length beyond the block",
      bytes: withU32(good, at + epb.length + 20, 45),
      code: "corrupt-record",
      offset: at + epb.length,
      detail: `captured length 45 does not fit in the block of ${epb.length} bytes`,
    },
    {
      name: "a captured length over 256 KiB",
      bytes: ng.pcapng(head, ng.enhancedPacket(LE, { ts: 1n, data: new Uint8Array(300_000) })),
      code: "corrupt-record",
      offset: at,
      detail: "captured length 300000",
    },
    {
      name: "a Simple Packet Block too short for its packet",
      bytes: ng.pcapng(head, ng.simplePacket(LE, frame(0).subarray(0, 20), 30)),
      code: "corrupt-record",
      offset: at,
      detail: "captured length 30 does not fit in the block of 36 bytes",
    },
    {
      name: "a Simple Packet Block before any interface",
      bytes: ng.pcapng(shb, ng.simplePacket(LE, frame(0))),
      code: "corrupt-record",
      offset: shb.length,
      detail: "before any interface description",
    },
    {
      name: "an Enhanced Packet Block too short",
      bytes: ng.pcapng(head, ng.block(6, [0, 0, 0, 0, 0, 0, 0, 0], LE)),
      code: "corrupt-record",
      offset: at,
      detail: "20 bytes, at least 32 needed",
    },
    {
      name: "a systemd journal export block too short for an entry",
      bytes: ng.pcapng(head, ng.block(9, new TextEncoder().encode("A=1\n"), LE)),
      code: "corrupt-record",
      offset: at,
      detail: "16 bytes, at least 35 needed",
    },
    {
      name: "a second section with a bad byte-order magic",
      bytes: withU32(ng.pcapng(good, shb), good.length + 8, 0x12345678),
      code: "corrupt-record",
      offset: good.length + 8,
      detail: "byte-order magic 0x12345678",
    },
    {
      name: "a big-endian second section's block cut short: its length read big-endian",
      bytes: ng
        .pcapng(good, beSection, ng.enhancedPacket(BE, { ts: 1n, data: frame(0) }))
        .subarray(0, good.length + beSection.length + 40),
      code: "truncated-record",
      offset: good.length + beSection.length,
      detail: `block says ${epb.length} bytes, only 40 remain`,
    },
    {
      name: "an interface option longer than its block",
      bytes: withU32(
        ng.pcapng(shb, ng.interfaceDescription(LE, { linkType: 1, tsresol: 9 })),
        shb.length + 16,
        0x01000009,
      ),
      code: "corrupt-record",
      offset: shb.length + 16,
      detail: "option 9 says 256 bytes",
    },
    {
      name: "pcapng version 2.0",
      bytes: ng.pcapng(ng.sectionHeader(LE, [2, 0]), idb),
      code: "bad-version",
      offset: 12,
      detail: "2.0, expected 1.0",
    },
  ])("$name: $code at byte $offset", async ({ bytes, code, offset, detail }) => {
    const { error, path } = await failure(bytes);
    expect({ code: error.code, offset: error.offset, file: error.file }).toEqual({
      code,
      offset,
      file: path,
    });
    expect(error.message).toContain(`${path}: `);
    expect(error.message).toContain(` at byte ${offset}: `);
    expect(error.message).toContain(detail);
  });

  test("a large skipped block whose trailer disagrees", async () => {
    const big = ng.block(0x7777, new Uint8Array(100_000), LE);
    const bytes = withU32(ng.pcapng(good, big), good.length + big.length - 4, 12);
    const error = await readPcapng(write(bytes), bytes.length, () => {}, 4096).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "corrupt-record", offset: good.length });
  });

  test("the caller's own exception passes through unchanged", async () => {
    const boom = Object.assign(new Error("mine"), { code: "EMINE" });
    await expect(
      readCapture(write(good), () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
  });
});

test("an interface of a link type socklab does not decode is read; its packets decode as an unknown link", async () => {
  const bytes = ng.pcapng(
    ng.sectionHeader(LE),
    ng.interfaceDescription(LE, { linkType: 1 }),
    ng.interfaceDescription(LE, { linkType: 147 }),
    ng.enhancedPacket(LE, { iface: 1, ts: SEC * 1_000_000n, data: Uint8Array.of(1, 2, 3, 4) }),
    ng.enhancedPacket(LE, { iface: 0, ts: SEC * 1_000_000n + 1n, data: frame(0) }),
  );
  const got = await read(bytes);
  expect(got.records.map((r) => [r.number, r.interfaceId, r.linkType ?? 1])).toEqual([
    [1, 1, 147],
    [2, 0, 1],
  ]);
  const decoded: Array<[string, string | undefined]> = [];
  await readCapture(write(bytes), (record, header) => {
    const packet = decodePacket(record, header.linkType);
    decoded.push([packet.link.type, packet.problems[0]?.code]);
  });
  expect(decoded).toEqual([
    ["unknown", "unknown-link-type"],
    ["ethernet", undefined],
  ]);
});
