import { describe, expect, test } from "vitest";
import {
  type BuildLink,
  buildTcp,
  buildUdp,
  buildUdpLite,
  linkTypeCode,
  tcpFlagBits,
  toCutRecord,
  toRecord,
} from "./build.ts";
import { finishChecksum, internetChecksum, sumWords } from "./checksum.ts";
import { decodePacket } from "./packet.ts";

// Verifies a transport checksum over the pseudo-header (addresses, protocol, length) plus the segment.
function transportChecksumOk(bytes: Uint8Array, ip: number, v6: boolean, protocol: number): boolean {
  const addresses = v6 ? [ip + 8, ip + 40] : [ip + 12, ip + 20];
  const l4 = ip + (v6 ? 40 : (bytes[ip]! & 0x0f) * 4);
  let sum = sumWords(bytes, addresses[0]!, addresses[1]!) + protocol + (bytes.length - l4);
  sum = sumWords(bytes, l4, bytes.length, sum);
  return finishChecksum(sum) === 0;
}

const LINKS: [BuildLink, number, number][] = [
  ["ethernet", 1, 14],
  ["null", 0, 4],
  ["loop", 108, 4],
  ["linux-sll", 113, 16],
  ["linux-sll2", 276, 20],
  ["raw", 101, 0],
];

describe("the packet builder", () => {
  test.each(LINKS)("%s: link type %d, %d-byte link header", (link, code, headerLength) => {
    expect(linkTypeCode(link)).toBe(code);
    const tcp = buildTcp(
      { src: "127.0.0.1", dst: "127.0.0.1", sport: 1, dport: 2, seq: 0, flags: "S" },
      link,
    );
    expect(tcp.length).toBe(headerLength + 20 + 20);
    const p = decodePacket(toRecord(tcp, 1, 0), code);
    expect(p.link.headerLength).toBe(headerLength);
    expect(p.problems).toEqual([]);
  });

  test.each([
    ["127.0.0.1", "10.1.2.3", false],
    ["::1", "2001:db8::1", true],
  ])("TCP %s → %s: lengths and both checksums are right", (src, dst, v6) => {
    const bytes = buildTcp({
      src,
      dst,
      sport: 41234,
      dport: 65432,
      seq: 0xfffffff0,
      ack: 7,
      flags: "P.",
      payload: "Hello, world!", // odd length: the checksum pads a zero byte
      options: { mss: 65495, sackPermitted: true, timestamp: [1, 2], windowScale: 7, sack: [[1, 2]] },
    });
    const ip = 14;
    if (!v6) expect(internetChecksum(bytes, ip, ip + 20)).toBe(0);
    expect(transportChecksumOk(bytes, ip, v6, 6)).toBe(true);
    const p = decodePacket(toRecord(bytes, 1, 0), 1);
    expect(p.problems).toEqual([]);
    expect(p.payloadLength).toBe(13);
    expect(p.transport?.protocol === "tcp" && p.transport.options).toMatchObject({
      mss: 65495,
      windowScale: 7,
      sackPermitted: true,
      timestamp: { value: 1, echo: 2 },
      sack: [[1, 2]],
    });
  });

  test.each([
    ["127.0.0.1", "127.0.0.1", false],
    ["::1", "::1", true],
  ])("UDP %s → %s: length field and checksum are right", (src, dst, v6) => {
    const bytes = buildUdp({ src, dst, sport: 40000, dport: 5005, payload: "message 0" });
    expect(transportChecksumOk(bytes, 14, v6, 17)).toBe(true);
    const udp = 14 + (v6 ? 40 : 20);
    expect((bytes[udp + 4]! << 8) | bytes[udp + 5]!).toBe(8 + 9);
  });

  test.each([
    ["S", 0x02],
    ["S.", 0x12],
    [".", 0x10],
    ["P.", 0x18],
    ["F.", 0x11],
    ["R", 0x04],
    ["R.", 0x14],
    ["FSRP.UEW", 0xff],
    ["", 0],
  ])("flags %j set the bits %i", (letters, bits) => {
    expect(tcpFlagBits(letters)).toBe(bits);
  });

  test("rejects unknown flag letters and mixed address families", () => {
    expect(() => tcpFlagBits("SX")).toThrow(/unknown TCP flag letter "X"/);
    expect(() => buildUdp({ src: "::1", dst: "127.0.0.1", sport: 1, dport: 2 })).toThrow(
      /mixed address families/,
    );
    expect(() =>
      buildTcp({
        src: "1.2.3.4",
        dst: "1.2.3.4",
        sport: 1,
        dport: 2,
        seq: 0,
        flags: "S",
        rawOptions: new Uint8Array(44),
      }),
    ).toThrow(/at most 40 fit/);
  });

  test("NULL writes the address family in the chosen byte order, IPv6 as Darwin's 30 by default", () => {
    const spec = { sport: 1, dport: 2, payload: "x" };
    expect([...buildUdp({ ...spec, src: "::1", dst: "::1" }, "null").subarray(0, 4)]).toEqual([30, 0, 0, 0]);
    expect([
      ...buildUdp({ ...spec, src: "1.1.1.1", dst: "1.1.1.1" }, "null", { nullByteOrder: "be" }).subarray(
        0,
        4,
      ),
    ]).toEqual([0, 0, 0, 2]);
    expect([...buildUdp({ ...spec, src: "::1", dst: "::1" }, "loop").subarray(0, 4)]).toEqual([0, 0, 0, 24]);
  });

  test("toRecord wraps bytes as a full-length record", () => {
    const bytes = new Uint8Array(60);
    expect(toRecord(bytes, 3, 1_000_000, 24)).toEqual({
      number: 3,
      timeUs: 1_000_000,
      capturedLength: 60,
      originalLength: 60,
      data: bytes,
      fileOffset: 24,
    });
  });

  test("toCutRecord keeps the first snap-length bytes and the frame's length", () => {
    const bytes = new Uint8Array(60).map((_, i) => i);
    const record = toCutRecord(bytes, 54, 2, 7);
    expect([record.capturedLength, record.originalLength, record.data.length, record.data[53]]).toEqual([
      54, 60, 54, 53,
    ]);
    expect(toCutRecord(bytes, 100, 2, 7).capturedLength).toBe(60);
  });

  test.each([
    { coverage: 0, covered: 8 + 5 },
    { coverage: 8, covered: 8 },
    { coverage: 10, covered: 10 },
  ])(
    "UDP-Lite with coverage $coverage: protocol 136, coverage in bytes 4–5, checksum over $covered bytes",
    ({ coverage, covered }) => {
      const spec = {
        src: "10.0.0.1",
        dst: "10.0.0.2",
        sport: 40000,
        dport: 5005,
        payload: "hello",
        coverage,
      };
      const frame = buildUdpLite(spec);
      const l4 = 14 + 20;
      expect(frame[14 + 9]).toBe(136);
      expect([frame[l4 + 4], frame[l4 + 5]]).toEqual([0, coverage]);
      // The pseudo-header (addresses, protocol, the datagram's length) plus the covered bytes sum to 0xFFFF.
      const pseudo = sumWords(frame, 14 + 12, 14 + 20) + 136 + (frame.length - l4);
      expect(finishChecksum(sumWords(frame, l4, l4 + covered, pseudo))).toBe(0);
    },
  );
});
