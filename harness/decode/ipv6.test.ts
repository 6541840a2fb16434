import { describe, expect, test } from "vitest";
import { Ipv6View, isIpv6ExtensionHeader } from "./ipv6.ts";

const bytes = (...parts: number[][]) => Uint8Array.from(parts.flat());
const LOOPBACK = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
const DOC = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7];

// The fixed header with a given payload length and first next-header value.
function fixed(payloadLength: number, nextHeader: number): number[][] {
  return [
    [0x60, 0x0a, 0xbc, 0xde] /* 0: version 6, traffic class 0x00, flow label 0xabcde */,
    [payloadLength >> 8, payloadLength & 0xff] /* 4: payload length */,
    [nextHeader] /* 6: next header */,
    [64] /* 7: hop limit */,
    LOOPBACK /* 8: source ::1 */,
    DOC /* 24: destination 2001:db8::7 */,
  ];
}

describe("IPv6 headers that decode", () => {
  test("the fixed header, straight to TCP", () => {
    const ip = Ipv6View.decode(bytes(...fixed(20, 6), new Array(20).fill(0)), 0);
    if (!(ip instanceof Ipv6View)) throw new Error(ip.message);
    expect({
      version: ip.version,
      flowLabel: ip.flowLabel,
      trafficClass: ip.trafficClass,
      payloadLength: ip.payloadLength,
      nextHeader: ip.nextHeader,
      hopLimit: ip.hopLimit,
      protocol: ip.protocol,
      headerLength: ip.headerLength,
      src: ip.src,
      dst: ip.dst,
      upperLayerLength: ip.upperLayerLength,
      isFragment: ip.isFragment,
      problem: ip.problem,
    }).toEqual({
      version: 6,
      flowLabel: 0xabcde,
      trafficClass: 0,
      payloadLength: 20,
      nextHeader: 6,
      hopLimit: 64,
      protocol: 6,
      headerLength: 40,
      src: "::1",
      dst: "2001:db8::7",
      upperLayerLength: 20,
      isFragment: false,
      problem: undefined,
    });
  });

  test.each([
    {
      name: "Hop-by-Hop (0), 8 bytes, then UDP",
      ext: [
        [17, 0] /* next UDP, length (0 + 1) × 8 */,
        [1, 4, 0, 0, 0, 0] /* PadN option */,
      ],
      first: 0,
      headerLength: 48,
      protocol: 17,
    },
    {
      name: "Routing (43) of 24 bytes, then Destination Options (60) of 8, then TCP",
      ext: [
        [60, 2] /* routing: next 60, length (2 + 1) × 8 = 24 */,
        new Array(22).fill(0),
        [6, 0] /* destination options: next TCP, length 8 */,
        new Array(6).fill(0),
      ],
      first: 43,
      headerLength: 72,
      protocol: 6,
    },
    {
      name: "Authentication Header (51): (len + 2) × 4 bytes",
      ext: [[6, 4] /* next TCP, payload length 4 → (4 + 2) × 4 = 24 */, new Array(22).fill(0)],
      first: 51,
      headerLength: 64,
      protocol: 6,
    },
    {
      name: "Mobility (135), then No Next Header (59)",
      ext: [[59, 0], new Array(6).fill(0)],
      first: 135,
      headerLength: 48,
      protocol: 59,
    },
  ])("$name", ({ ext, first, headerLength, protocol }) => {
    const tail = bytes(...ext);
    const ip = Ipv6View.decode(bytes(...fixed(tail.length, first), [...tail]), 0);
    if (!(ip instanceof Ipv6View)) throw new Error(ip.message);
    expect(ip.problem).toBeUndefined();
    expect(ip.headerLength).toBe(headerLength);
    expect(ip.protocol).toBe(protocol);
    expect(ip.upperLayerLength).toBe(0);
  });

  test.each([
    { name: "a first fragment", field: [0x00, 0x01] /* offset 0, M = 1 */, offset: 0, more: true },
    {
      name: "a later fragment",
      field: [0x00, 0xb8] /* offset 23 × 8 = 184, M = 0 */,
      offset: 184,
      more: false,
    },
  ])("Fragment (44): $name", ({ field, offset, more }) => {
    const ext = bytes(
      [17, 0] /* next UDP, reserved */,
      field /* offset (13 bits), res, M */,
      [0, 0, 0, 9] /* id */,
    );
    const ip = Ipv6View.decode(bytes(...fixed(8, 44), [...ext]), 0);
    if (!(ip instanceof Ipv6View)) throw new Error(ip.message);
    expect([ip.hasFragmentHeader, ip.fragmentOffset, ip.moreFragments, ip.isFragment]).toEqual([
      true,
      offset,
      more,
      true,
    ]);
    expect(ip.protocol).toBe(17);
    expect(ip.headerLength).toBe(48);
  });
});

describe("IPv6 headers that do not decode", () => {
  test.each([
    {
      name: "fewer than 40 bytes",
      data: bytes(...fixed(0, 6)).subarray(0, 39),
      code: "truncated",
      required: 40,
      actual: 39,
    },
    {
      name: "version 4 in an IPv6 slot",
      data: bytes([0x45, 0, 0, 0], ...fixed(0, 6).slice(1)),
      code: "bad-version",
      required: 6,
      actual: 4,
    },
  ])("$name: $code", ({ data, code, required, actual }) => {
    expect(Ipv6View.decode(data, 0)).toMatchObject({ layer: "ipv6", code, offset: 0, required, actual });
  });

  test.each([
    { name: "an extension header with no bytes", ext: [] as number[], offset: 40, required: 2, actual: 0 },
    {
      name: "an extension header longer than the capture",
      ext: [6, 1, 0, 0, 0, 0, 0, 0] /* next TCP, length 16, 8 captured */,
      offset: 40,
      required: 16,
      actual: 8,
    },
  ])("keeps the fixed header but reports $name", ({ ext, offset, required, actual }) => {
    const ip = Ipv6View.decode(bytes(...fixed(16, 0), ext), 0);
    if (!(ip instanceof Ipv6View)) throw new Error(ip.message);
    expect(ip.src).toBe("::1");
    expect(ip.protocol).toBe(0);
    expect(ip.problem).toMatchObject({ layer: "ipv6", code: "truncated", offset, required, actual });
  });
});

test.each([
  [0, true],
  [43, true],
  [44, true],
  [51, true],
  [60, true],
  [135, true],
  [6, false],
  [17, false],
  [59, false],
])("next header %d is an extension header: %s", (n, ext) => {
  expect(isIpv6ExtensionHeader(n)).toBe(ext);
});

describe("the Fragment header (RFC 8200 §4.5)", () => {
  // A Fragment header: next header UDP, offset 1232 (8-byte units << 3), M set, identification 0x12345678.
  const fragment = (offset: number, more: boolean) => [
    [17] /* 0: next header: UDP */,
    [0] /* 1: reserved */,
    [(offset >> 8) & 0xff, (offset & 0xf8) | (more ? 1 : 0)] /* 2: offset (13 bits) | res | M */,
    [0x12, 0x34, 0x56, 0x78] /* 4: identification */,
  ];

  test("gives the identification, the next header and the bytes of fragmentable data", () => {
    const v = Ipv6View.decode(
      bytes(...fixed(8 + 100, 44), ...fragment(1232, true), new Array(100).fill(0)),
      0,
    );
    if (!(v instanceof Ipv6View)) throw new Error("expected a view");
    expect(v.hasFragmentHeader).toBe(true);
    expect(v.fragmentHeaderAt).toBe(40);
    expect(v.fragmentIdentification).toBe(0x12345678);
    expect(v.fragmentNextHeader).toBe(17);
    expect(v.fragmentDataLength).toBe(100);
    expect(v.fragmentOffset).toBe(1232);
    expect(v.moreFragments).toBe(true);
    expect(v.isFragment).toBe(true);
  });

  test("is absent from a packet without one", () => {
    const v = Ipv6View.decode(bytes(...fixed(8, 17), new Array(8).fill(0)), 0);
    if (!(v instanceof Ipv6View)) throw new Error("expected a view");
    expect(v.fragmentHeaderAt).toBe(-1);
    expect(v.fragmentIdentification).toBe(0);
    expect(v.fragmentNextHeader).toBe(-1);
    expect(v.fragmentDataLength).toBe(0);
    expect(v.isFragment).toBe(false);
  });

  test("an atomic fragment (offset 0, M clear) is no fragment; the first Fragment header counts", () => {
    const v = Ipv6View.decode(
      bytes(...fixed(24, 44), [44, 0, 0, 0, 0, 0, 0, 1], ...fragment(8, true), new Array(8).fill(0)),
      0,
    );
    if (!(v instanceof Ipv6View)) throw new Error("expected a view");
    expect(v.fragmentHeaderAt).toBe(40);
    expect(v.fragmentIdentification).toBe(1);
    expect(v.isFragment).toBe(false);
  });
});
