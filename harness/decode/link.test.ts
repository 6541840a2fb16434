import { describe, expect, test } from "vitest";
import { NOT_A_PACKET } from "../capture/record.ts";
import { decodeLink, linkTypeName } from "./link.ts";

const bytes = (...parts: number[][]) => Uint8Array.from(parts.flat());
const ZERO_MACS = new Array<number>(12).fill(0);

describe("link headers that decode", () => {
  test.each([
    {
      name: "Ethernet, IPv4 (Linux lo: zero MACs)",
      code: 1,
      data: bytes(ZERO_MACS /* 0: destination, 6: source */, [0x08, 0x00] /* 12: EtherType IPv4 */, [0x45]),
      want: { type: "ethernet", headerLength: 14, network: "ipv4", protocolValue: 0x0800 },
    },
    {
      name: "Ethernet, IPv6",
      code: 1,
      data: bytes(ZERO_MACS, [0x86, 0xdd] /* 12: EtherType IPv6 */),
      want: { type: "ethernet", headerLength: 14, network: "ipv6", protocolValue: 0x86dd },
    },
    {
      name: "Ethernet with an 802.1Q VLAN tag",
      code: 1,
      data: bytes(
        ZERO_MACS,
        [0x81, 0x00] /* 12: TPID 802.1Q */,
        [0x20, 0x64] /* 14: PCP 1, DEI 0, VID 100 */,
        [0x08, 0x00] /* 16: EtherType IPv4 */,
      ),
      want: { type: "ethernet", headerLength: 18, network: "ipv4", vlan: 100 },
    },
    {
      name: "Ethernet with QinQ (two tags)",
      code: 1,
      data: bytes(
        ZERO_MACS,
        [0x88, 0xa8, 0x00, 0x0a] /* 12: 802.1ad tag, VID 10 */,
        [0x81, 0x00, 0x00, 0x14] /* 16: 802.1Q tag, VID 20 */,
        [0x86, 0xdd] /* 20: EtherType IPv6 */,
      ),
      want: { headerLength: 22, network: "ipv6", vlan: 10 },
    },
    {
      name: "NULL, AF_INET little-endian (macOS on x86/ARM)",
      code: 0,
      data: bytes([2, 0, 0, 0] /* 0: AF_INET, host order */),
      want: { type: "null", headerLength: 4, network: "ipv4", protocolValue: 2 },
    },
    {
      name: "NULL, AF_INET big-endian (a big-endian writer)",
      code: 0,
      data: bytes([0, 0, 0, 2]),
      want: { type: "null", network: "ipv4", protocolValue: 2 },
    },
    ...[10, 24, 28, 30].map((af) => ({
      name: `NULL, AF_INET6 = ${af}`,
      code: 0,
      data: bytes([af, 0, 0, 0]),
      want: { type: "null", network: "ipv6", protocolValue: af },
    })),
    {
      name: "LOOP, AF_INET6 = 24 big-endian (OpenBSD)",
      code: 108,
      data: bytes([0, 0, 0, 24] /* 0: address family, network order */),
      want: { type: "loop", headerLength: 4, network: "ipv6" },
    },
    {
      name: "Linux SLL",
      code: 113,
      data: bytes(
        [0x00, 0x00] /* 0: packet type: to us */,
        [0x03, 0x04] /* 2: ARPHRD_LOOPBACK 772 */,
        [0x00, 0x06] /* 4: address length */,
        [0, 0, 0, 0, 0, 0, 0, 0] /* 6: address */,
        [0x08, 0x00] /* 14: protocol IPv4 */,
      ),
      want: { type: "linux-sll", headerLength: 16, network: "ipv4" },
    },
    {
      name: "Linux SLL2",
      code: 276,
      data: bytes(
        [0x86, 0xdd] /* 0: protocol IPv6 */,
        [0x00, 0x00] /* 2: reserved */,
        [0x00, 0x00, 0x00, 0x01] /* 4: interface index */,
        [0x03, 0x04] /* 8: ARPHRD_LOOPBACK */,
        [0x04] /* 10: packet type: outgoing */,
        [0x06] /* 11: address length */,
        [0, 0, 0, 0, 0, 0, 0, 0] /* 12: address */,
      ),
      want: { type: "linux-sll2", headerLength: 20, network: "ipv6" },
    },
    ...[12, 14, 101].map((code) => ({
      name: `RAW (${code}), version nibble 6`,
      code,
      data: bytes([0x60] /* 0: version 6 */),
      want: { type: "raw", headerLength: 0, network: "ipv6" },
    })),
    { name: "RAW, version nibble 4", code: 101, data: bytes([0x45]), want: { network: "ipv4" } },
    { name: "LINKTYPE_IPV4", code: 228, data: bytes([]), want: { type: "raw", network: "ipv4" } },
    { name: "LINKTYPE_IPV6", code: 229, data: bytes([]), want: { type: "raw", network: "ipv6" } },
    {
      name: "a record that is no packet (a pcapng custom block): no network layer, no problem",
      code: NOT_A_PACKET,
      data: bytes([0x45, 0, 0, 20]),
      want: { type: "unknown", code: NOT_A_PACKET, headerLength: 0, network: "unknown" },
    },
    {
      name: "Ethernet with FCS bits in the link type (masked with 0xFFFF)",
      code: 0x14000001,
      data: bytes(ZERO_MACS, [0x08, 0x00]),
      want: { type: "ethernet", code: 1, network: "ipv4" },
    },
  ])("$name", ({ code, data, want }) => {
    const link = decodeLink(data, code);
    expect(link.problem).toBeUndefined();
    expect(link).toMatchObject(want);
  });
});

describe("link headers that do not decode", () => {
  test.each([
    {
      name: "Ethernet shorter than 14 bytes",
      code: 1,
      data: bytes(ZERO_MACS),
      problem: "truncated",
      offset: 0,
      required: 14,
      actual: 12,
    },
    {
      name: "a VLAN tag cut short",
      code: 1,
      data: bytes(ZERO_MACS, [0x81, 0x00, 0x00, 0x01]),
      problem: "truncated",
      offset: 12,
      required: 18,
      actual: 16,
    },
    {
      name: "Ethernet carrying ARP",
      code: 1,
      data: bytes(ZERO_MACS, [0x08, 0x06] /* 12: EtherType ARP */),
      problem: "unknown-network-protocol",
      offset: 12,
      required: 0,
      actual: 0x0806,
    },
    {
      name: "NULL shorter than 4 bytes",
      code: 0,
      data: bytes([2, 0]),
      problem: "truncated",
      offset: 0,
      required: 4,
      actual: 2,
    },
    {
      name: "NULL with AF 7",
      code: 0,
      data: bytes([7, 0, 0, 0]),
      problem: "unknown-network-protocol",
      offset: 0,
      required: 0,
      actual: 7,
    },
    {
      name: "LOOP with AF_INET little-endian (LOOP is always big-endian)",
      code: 108,
      data: bytes([2, 0, 0, 0]),
      problem: "unknown-network-protocol",
      offset: 0,
      required: 0,
      actual: 0x02000000,
    },
    {
      name: "SLL shorter than 16 bytes",
      code: 113,
      data: bytes(new Array(15).fill(0)),
      problem: "truncated",
      offset: 0,
      required: 16,
      actual: 15,
    },
    {
      name: "SLL2 shorter than 20 bytes",
      code: 276,
      data: bytes(new Array(19).fill(0)),
      problem: "truncated",
      offset: 0,
      required: 20,
      actual: 19,
    },
    {
      name: "RAW with no bytes",
      code: 101,
      data: bytes([]),
      problem: "truncated",
      offset: 0,
      required: 1,
      actual: 0,
    },
    {
      name: "RAW with version nibble 5",
      code: 101,
      data: bytes([0x55]),
      problem: "bad-version",
      offset: 0,
      required: 4,
      actual: 5,
    },
    {
      name: "an unknown link type",
      code: 147,
      data: bytes([0x45]),
      problem: "unknown-link-type",
      offset: 0,
      required: 0,
      actual: 147,
    },
  ])("$name: $problem", ({ code, data, problem, offset, required, actual }) => {
    const link = decodeLink(data, code);
    expect(link.network).toBe("unknown");
    expect(link.problem).toMatchObject({ layer: "link", code: problem, offset, required, actual });
    expect(link.problem?.message).toMatch(/\w/);
  });
});

test.each([
  [0, "null"],
  [1, "ethernet"],
  [101, "raw"],
  [108, "loop"],
  [113, "linux-sll"],
  [276, "linux-sll2"],
  [0x10000 + 1, "ethernet"],
  [9999, "unknown"],
] as const)("link type %d is %s", (code, name) => {
  expect(linkTypeName(code)).toBe(name);
});
