import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { encodePcap, encodePcapHeader, PcapWriter, writePcap } from "./pcap-writer.ts";

const dir = mkdtempSync(join(tmpdir(), "socklab-writer-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("pcap file header", () => {
  test.each([
    {
      name: "little-endian, microseconds (what Linux tcpdump writes)",
      options: {},
      bytes: [
        [0xd4, 0xc3, 0xb2, 0xa1] /* 0: magic a1b2c3d4, little-endian */,
        [0x02, 0x00, 0x04, 0x00] /* 4: version 2.4 */,
        [0, 0, 0, 0, 0, 0, 0, 0] /* 8: thiszone, sigfigs */,
        [0x00, 0x00, 0x04, 0x00] /* 16: snap length 262144 */,
        [0x01, 0x00, 0x00, 0x00] /* 20: link type 1 */,
      ],
    },
    {
      name: "big-endian, nanoseconds, snap length 96",
      options: { byteOrder: "be", precision: "ns", snapLength: 96 } as const,
      bytes: [
        [0xa1, 0xb2, 0x3c, 0x4d] /* 0: magic a1b23c4d, big-endian */,
        [0x00, 0x02, 0x00, 0x04] /* 4: version 2.4 */,
        [0, 0, 0, 0, 0, 0, 0, 0] /* 8: thiszone, sigfigs */,
        [0x00, 0x00, 0x00, 0x60] /* 16: snap length 96 */,
        [0x00, 0x00, 0x00, 0x01] /* 20: link type 1 */,
      ],
    },
  ])("$name", ({ options, bytes }) => {
    expect([...encodePcapHeader(1, options)]).toEqual(bytes.flat());
  });
});

describe("records", () => {
  test("a record header and its data", () => {
    const file = encodePcap(276, [
      { timeUs: 1_700_000_000_123_456, data: Uint8Array.of(9, 8, 7), originalLength: 60 },
    ]);
    expect([...file.subarray(24)]).toEqual(
      [
        [0x00, 0xf1, 0x53, 0x65] /* 0: seconds 1700000000 */,
        [0x40, 0xe2, 0x01, 0x00] /* 4: microseconds 123456 */,
        [0x03, 0x00, 0x00, 0x00] /* 8: captured length 3 */,
        [0x3c, 0x00, 0x00, 0x00] /* 12: original length 60 */,
        [9, 8, 7] /* data */,
      ].flat(),
    );
  });

  test("nanosecond files store the fraction in nanoseconds", () => {
    const file = encodePcap(1, [{ timeUs: 1_000_001, data: new Uint8Array(1) }], { precision: "ns" });
    expect(new DataView(file.buffer).getUint32(24 + 4, true)).toBe(1000);
  });

  test("the streaming writer writes the same bytes as encodePcap, across many buffer flushes", () => {
    const packets = Array.from({ length: 5000 }, (_, i) => ({
      timeUs: 1_000_000 * i + i,
      data: new Uint8Array(i % 300).fill(i & 0xff),
    }));
    const path = join(dir, "stream.pcap");
    const writer = PcapWriter.open(path, 1, { bufferSize: 1 << 16 });
    for (const p of packets) writer.append(p);
    // One packet larger than the whole buffer goes out on its own.
    const big = { timeUs: 7, data: new Uint8Array(100_000).fill(3) };
    writer.append(big);
    expect(writer.packets).toBe(5001);
    writer.close();
    writer.close();
    expect(readFileSync(path).equals(encodePcap(1, [...packets, big]))).toBe(true);
    expect(() => writer.append(big)).toThrow(/append after close/);
  });

  test("writePcap writes a whole file", async () => {
    const path = join(dir, "whole.pcap");
    await writePcap(path, 101, [{ timeUs: 0, data: Uint8Array.of(0x45) }]);
    expect(readFileSync(path).length).toBe(24 + 16 + 1);
  });
});
