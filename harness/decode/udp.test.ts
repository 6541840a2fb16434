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
