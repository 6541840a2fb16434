import { describe, expect, test } from "vitest";
import { buildUdp, toRecord } from "./build.ts";
import { buildFragments, fragmentPieces } from "./build-fragments.ts";
import { internetChecksum } from "./checksum.ts";
import type { Ipv4View } from "./ipv4.ts";
import type { Ipv6View } from "./ipv6.ts";
import { decodePacket } from "./packet.ts";

const payload = "0123456789".repeat(300);

describe("the fragment builder", () => {
  test("IPv4: each fragment has its offset, MF, identification, length and a valid header checksum", () => {
    const whole = buildUdp({ src: "10.0.0.1", dst: "10.0.0.2", sport: 1, dport: 2, payload });
    const frames = buildFragments(whole, "ethernet", 0xbeef, fragmentPieces(3008, 1480));
    expect(frames.map((f) => f.length)).toEqual([14 + 20 + 1480, 14 + 20 + 1480, 14 + 20 + 48]);
    const fields = frames.map((data, i) => {
      const ip = decodePacket(toRecord(data, i + 1, 0), 1).network as Ipv4View;
      expect(internetChecksum(data, 14, 34)).toBe(0);
      return [ip.fragmentOffset, ip.moreFragments, ip.identification, ip.totalLength, ip.dontFragment];
    });
    expect(fields).toEqual([
      [0, true, 0xbeef, 1500, false],
      [1480, true, 0xbeef, 1500, false],
      [2960, false, 0xbeef, 68, false],
    ]);
  });

  test("IPv6: a Fragment header after the fixed header, the payload length counting it", () => {
    const whole = buildUdp({ src: "::1", dst: "::2", sport: 1, dport: 2, payload }, "raw");
    const frames = buildFragments(whole, "raw", 0x01020304, fragmentPieces(3008, 1232));
    const fields = frames.map((data, i) => {
      const ip = decodePacket(toRecord(data, i + 1, 0), 101).network as Ipv6View;
      return [
        ip.nextHeader,
        ip.payloadLength,
        ip.fragmentOffset,
        ip.moreFragments,
        ip.fragmentIdentification,
      ];
    });
    expect(fields).toEqual([
      [44, 1240, 0, true, 0x01020304],
      [44, 1240, 1232, true, 0x01020304],
      [44, 8 + 544, 2464, false, 0x01020304],
    ]);
  });

  test("refuses a piece past the payload; `more` and `fill` override", () => {
    const whole = buildUdp({ src: "10.0.0.1", dst: "10.0.0.2", sport: 1, dport: 2, payload: "abcdefgh" });
    expect(() => buildFragments(whole, "ethernet", 1, [{ offset: 8, length: 16 }])).toThrow(/past/);
    const [frame] = buildFragments(whole, "ethernet", 1, [{ offset: 8, length: 8, more: true, fill: 0xaa }]);
    const ip = decodePacket(toRecord(frame!, 1, 0), 1).network as Ipv4View;
    expect(ip.moreFragments).toBe(true);
    expect([...frame!.subarray(34)]).toEqual(new Array(8).fill(0xaa));
  });
});
