import { describe, expect, test } from "vitest";
import { Ipv4View, ipProtocolName } from "./ipv4.ts";

const bytes = (...parts: number[][]) => Uint8Array.from(parts.flat());

// A 20-byte header: 127.0.0.1 → 10.0.0.2, TCP, total length 52, DF, TTL 64, a correct checksum.
const HEADER = [
  [0x45] /* 0: version 4, IHL 5 */,
  [0x00] /* 1: DSCP/ECN */,
  [0x00, 0x34] /* 2: total length 52 */,
  [0x12, 0x34] /* 4: identification */,
  [0x40, 0x00] /* 6: flags DF, fragment offset 0 */,
  [0x40] /* 8: TTL 64 */,
  [0x06] /* 9: protocol TCP */,
  [0x00, 0x00] /* 10: checksum, filled in below */,
  [127, 0, 0, 1] /* 12: source */,
  [10, 0, 0, 2] /* 16: destination */,
];

function withChecksum(header: Uint8Array): Uint8Array {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += (header[i]! << 8) | header[i + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  header[10] = (~sum >> 8) & 0xff;
  header[11] = ~sum & 0xff;
  return header;
}

describe("IPv4 headers that decode", () => {
  test("every field of a plain header", () => {
    const data = withChecksum(bytes(...HEADER));
    const ip = Ipv4View.decode(data, 0);
    if (!(ip instanceof Ipv4View)) throw new Error(ip.message);
    expect({
      version: ip.version,
      headerLength: ip.headerLength,
      totalLength: ip.totalLength,
      identification: ip.identification,
      dontFragment: ip.dontFragment,
      moreFragments: ip.moreFragments,
      fragmentOffset: ip.fragmentOffset,
      isFragment: ip.isFragment,
      ttl: ip.ttl,
      protocol: ip.protocol,
      protocolName: ip.protocolName,
      src: ip.src,
      dst: ip.dst,
      srcNumber: ip.srcNumber,
      upperLayerLength: ip.upperLayerLength,
      checksumValid: ip.checksumValid,
    }).toEqual({
      version: 4,
      headerLength: 20,
      totalLength: 52,
      identification: 0x1234,
      dontFragment: true,
      moreFragments: false,
      fragmentOffset: 0,
      isFragment: false,
      ttl: 64,
      protocol: 6,
      protocolName: "tcp",
      src: "127.0.0.1",
      dst: "10.0.0.2",
      srcNumber: 0x7f000001,
      upperLayerLength: 32,
      checksumValid: true,
    });
    expect(ip.src).toBe(ip.src); // cached string, same value
  });

  test("a header with options (IHL 6) at an offset inside the frame", () => {
    const data = bytes(
      [0xaa, 0xbb] /* two bytes of link header */,
      [0x46, 0x00, 0x00, 0x20] /* version 4, IHL 6, total length 32 */,
      [0x00, 0x01, 0x20, 0x03] /* id 1, MF set, fragment offset 3 (24 bytes) */,
      [0x40, 0x11, 0x00, 0x00] /* TTL 64, UDP, checksum */,
      [1, 2, 3, 4] /* source */,
      [5, 6, 7, 8] /* destination */,
      [0x01, 0x01, 0x01, 0x00] /* options: NOP, NOP, NOP, EOL */,
    );
    const ip = Ipv4View.decode(data, 2);
    if (!(ip instanceof Ipv4View)) throw new Error(ip.message);
    expect(ip.headerLength).toBe(24);
    expect(ip.moreFragments).toBe(true);
    expect(ip.fragmentOffset).toBe(24);
    expect(ip.isFragment).toBe(true);
    expect(ip.upperLayerLength).toBe(8);
    expect(ip.src).toBe("1.2.3.4");
    expect(ip.dst).toBe("5.6.7.8");
    expect(ip.checksumValid).toBe(false);
  });
});

describe("IPv4 headers that do not decode", () => {
  test.each([
    {
      name: "fewer than 20 bytes",
      data: bytes(...HEADER).subarray(0, 19),
      code: "truncated",
      required: 20,
      actual: 19,
    },
    {
      name: "version 6 in an IPv4 slot",
      data: bytes([0x65], ...HEADER.slice(1)),
      code: "bad-version",
      required: 4,
      actual: 6,
    },
    {
      name: "IHL 4 (16 bytes)",
      data: bytes([0x44], ...HEADER.slice(1)),
      code: "bad-header-length",
      required: 20,
      actual: 16,
    },
    {
      name: "IHL 0",
      data: bytes([0x40], ...HEADER.slice(1)),
      code: "bad-header-length",
      required: 20,
      actual: 0,
    },
    {
      name: "IHL 15 (60 bytes) with 20 captured",
      data: bytes([0x4f], ...HEADER.slice(1)),
      code: "truncated",
      required: 60,
      actual: 20,
    },
  ])("$name: $code", ({ data, code, required, actual }) => {
    expect(Ipv4View.decode(data, 0)).toMatchObject({ layer: "ipv4", code, offset: 0, required, actual });
  });
});

test.each([
  [6, "tcp"],
  [17, "udp"],
  [1, "icmp"],
  [58, "icmpv6"],
  [132, "unknown"],
] as const)("IP protocol %d is %s", (n, name) => {
  expect(ipProtocolName(n)).toBe(name);
});
