import { describe, expect, test } from "vitest";
import { UdpView } from "./udp.ts";

const bytes = (...parts: number[][]) => Uint8Array.from(parts.flat());

const DATAGRAM = bytes(
  [0x9c, 0x40] /* 0: source port 40000 */,
  [0x13, 0x8d] /* 2: destination port 5005 */,
  [0x00, 0x0d] /* 4: length 13 (8 + 5) */,
  [0x12, 0x34] /* 6: checksum */,
  [0x68, 0x65, 0x6c, 0x6c, 0x6f] /* "hello" */,
);

describe("UDP", () => {
  test("every field", () => {
    const udp = UdpView.decode(DATAGRAM, 0, 13);
    if (!(udp instanceof UdpView)) throw new Error(udp.message);
    expect([udp.protocol, udp.srcPort, udp.dstPort, udp.length, udp.checksum]).toEqual([
      "udp",
      40000,
      5005,
      13,
      0x1234,
    ]);
    expect(udp.lengthProblem(13)).toBeUndefined();
  });

  test("a length field that disagrees with IP is a problem", () => {
    const udp = UdpView.decode(DATAGRAM, 0, 20);
    if (!(udp instanceof UdpView)) throw new Error(udp.message);
    expect(udp.lengthProblem(20)).toMatchObject({
      layer: "udp",
      code: "bad-length",
      offset: 4,
      required: 20,
      actual: 13,
    });
  });

  test.each([
    {
      name: "IP leaves fewer than 8 bytes",
      data: DATAGRAM,
      segmentLength: 6,
      code: "bad-length",
      required: 8,
      actual: 6,
    },
    {
      name: "fewer than 8 captured",
      data: DATAGRAM.subarray(0, 5),
      segmentLength: 13,
      code: "truncated",
      required: 8,
      actual: 5,
    },
  ])("$name: $code", ({ data, segmentLength, code, required, actual }) => {
    expect(UdpView.decode(data, 0, segmentLength)).toMatchObject({
      layer: "udp",
      code,
      offset: 0,
      required,
      actual,
    });
  });
});

// UDP-Lite (RFC 3828): bytes 4–5 are the checksum coverage; the datagram's length is the IP header's.
describe("UDP-Lite", () => {
  const lite = (coverage: number) =>
    bytes(
      [0x9c, 0x40] /* 0: source port 40000 */,
      [0x13, 0x8d] /* 2: destination port 5005 */,
      [coverage >> 8, coverage & 0xff] /* 4: checksum coverage */,
      [0x12, 0x34] /* 6: checksum */,
      [0x68, 0x65, 0x6c, 0x6c, 0x6f] /* "hello" */,
    );
  const decoded = (data: Uint8Array, segmentLength: number): UdpView => {
    const udp = UdpView.decode(data, 0, segmentLength, true);
    if (!(udp instanceof UdpView)) throw new Error(udp.message);
    return udp;
  };

  test("every field: the length comes from IP, the coverage from the header", () => {
    const udp = decoded(lite(8), 13);
    expect([udp.protocol, udp.lite, udp.srcPort, udp.dstPort, udp.length, udp.checksumCoverage]).toEqual([
      "udp",
      true,
      40000,
      5005,
      13,
      8,
    ]);
    expect(udp.checksum).toBe(0x1234);
  });

  test.each([0, 8, 10, 13])("coverage %i is no problem", (coverage) => {
    expect(decoded(lite(coverage), 13).lengthProblem(13)).toBeUndefined();
  });

  test.each([
    { coverage: 3, required: 8 },
    { coverage: 7, required: 8 },
    { coverage: 14, required: 13 },
    { coverage: 99, required: 13 },
  ])("coverage $coverage is bad-checksum-coverage", ({ coverage, required }) => {
    expect(decoded(lite(coverage), 13).lengthProblem(13)).toMatchObject({
      layer: "udp",
      code: "bad-checksum-coverage",
      offset: 4,
      required,
      actual: coverage,
    });
  });

  test("plain UDP: not lite, and the coverage is the length field", () => {
    const udp = UdpView.decode(DATAGRAM, 0, 13);
    if (!(udp instanceof UdpView)) throw new Error(udp.message);
    expect([udp.lite, udp.checksumCoverage]).toEqual([false, 13]);
  });

  test("fewer than 8 bytes captured names UDP-Lite", () => {
    expect(UdpView.decode(lite(0).subarray(0, 6), 0, 13, true)).toMatchObject({
      code: "truncated",
      message: expect.stringContaining("UDP-Lite header"),
    });
  });
});
