import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { CaptureRecord } from "../capture/record.ts";
import { buildTcp, buildUdp, toRecord } from "./build.ts";
import { decodePacket } from "./packet.ts";

const ETH = 1;
const V4 = { src: "127.0.0.1", dst: "127.0.0.1" };
const V6 = { src: "::1", dst: "::1" };
const tcp = (payload = "", extra: object = {}) =>
  buildTcp({ ...V4, sport: 41234, dport: 65432, seq: 1, ack: 1, flags: "P.", payload, ...extra });
const record = (data: Uint8Array, originalLength = data.length): CaptureRecord => ({
  ...toRecord(data, 7, 1_000_000),
  originalLength,
});
const edit = (data: Uint8Array, changes: [number, number][]) => {
  const copy = data.slice();
  for (const [at, value] of changes) copy[at] = value;
  return copy;
};

describe("whole packets", () => {
  test("Ethernet / IPv4 / TCP with a payload", () => {
    const p = decodePacket(toRecord(tcp("Hello, world", { options: { timestamp: [1, 2] } }), 3, 42), ETH);
    expect(p.problems).toEqual([]);
    expect([p.number, p.timeUs, p.frameLength, p.capturedLength]).toEqual([3, 42, 14 + 20 + 32 + 12, 78]);
    expect([p.link.type, p.network?.version, p.transport?.protocol]).toEqual(["ethernet", 4, "tcp"]);
    expect(p.payloadLength).toBe(12);
    expect(p.payloadOffset).toBe(66);
    expect(new TextDecoder().decode(p.payload)).toBe("Hello, world");
  });

  test("IPv6 / UDP behind a Hop-by-Hop header", () => {
    const udp = buildUdp({ ...V6, sport: 1, dport: 5005, payload: "abc" });
    // Insert an 8-byte Hop-by-Hop header after the fixed IPv6 header (offset 14 + 40).
    const data = new Uint8Array(udp.length + 8);
    data.set(udp.subarray(0, 54));
    data.set([17, 0, 1, 4, 0, 0, 0, 0], 54); // next UDP, length 8, PadN
    data.set(udp.subarray(54), 62);
    data[14 + 5] = 8 + 8 + 3; // payload length: extension + UDP
    data[14 + 6] = 0; // next header: Hop-by-Hop
    const p = decodePacket(toRecord(data, 1, 0), ETH);
    expect(p.problems).toEqual([]);
    expect(p.network).toMatchObject({ version: 6, headerLength: 48, protocol: 17 });
    expect(p.transport).toMatchObject({ protocol: "udp", dstPort: 5005, length: 11 });
    expect(p.payloadLength).toBe(3);
  });

  test("lengths come from IP, not the captured length: Ethernet padding is not payload", () => {
    const udp = buildUdp({ ...V4, sport: 1, dport: 2, payload: "hi" }); // 44 bytes
    const padded = new Uint8Array(60);
    padded.set(udp);
    const p = decodePacket(record(padded), ETH);
    expect(p.problems).toEqual([]);
    expect(p.payloadLength).toBe(2);
    expect([...p.payload]).toEqual([0x68, 0x69]);
  });

  test("a snap-length cut keeps the IP lengths; the payload view is shorter", () => {
    const full = tcp("x".repeat(100));
    const p = decodePacket(record(full.subarray(0, 96), full.length), ETH);
    expect(p.problems).toEqual([]);
    expect(p.payloadLength).toBe(100);
    expect(p.payload.length).toBe(96 - 54);
    expect([p.frameLength, p.capturedLength]).toEqual([154, 96]);
  });

  test("a later IPv4 fragment has no transport header", () => {
    const data = edit(tcp("x".repeat(30)), [[14 + 7, 0x03] /* fragment offset 3 × 8 */]);
    const p = decodePacket(record(data), ETH);
    expect(p.problems).toEqual([]);
    expect(p.transport).toBeUndefined();
    expect(p.payloadLength).toBe(50); // TCP header and data: all fragment payload
    expect(p.toString()).toBe("127.0.0.1 > 127.0.0.1: TCP, frag offset 24, length 50");
  });

  test("a first IPv4 fragment (MF) has its transport header; UDP's whole-datagram length is no problem", () => {
    const data = edit(buildUdp({ ...V4, sport: 1, dport: 2, payload: "abcd" }), [
      [14 + 6, 0x20] /* MF */,
      [14 + 20 + 5, 200] /* UDP length of the whole datagram */,
    ]);
    const p = decodePacket(record(data), ETH);
    expect(p.problems).toEqual([]);
    expect(p.transport?.protocol).toBe("udp");
  });

  test("ICMP: a network layer, no transport, the ICMP message as payload", () => {
    const data = edit(buildUdp({ ...V4, sport: 1, dport: 2, payload: "abcd" }), [
      [14 + 9, 1] /* protocol ICMP */,
    ]);
    const p = decodePacket(record(data), ETH);
    expect(p.problems).toEqual([]);
    expect(p.network?.protocol).toBe(1);
    expect(p.transport).toBeUndefined();
    expect(p.payloadLength).toBe(12);
  });
});

describe("problems keep every layer decoded before them", () => {
  const good = tcp("abc");
  test.each([
    {
      name: "a frame of 10 bytes",
      data: good.subarray(0, 10),
      layers: [false, false],
      problem: { layer: "link", code: "truncated", offset: 0 },
    },
    {
      name: "a frame that ends inside the IPv4 header",
      data: good.subarray(0, 30),
      layers: [false, false],
      problem: { layer: "ipv4", code: "truncated", offset: 14 },
    },
    {
      name: "bad IHL",
      data: edit(good, [[14, 0x43]]),
      layers: [false, false],
      problem: { layer: "ipv4", code: "bad-header-length", offset: 14 },
    },
    {
      name: "bad TCP data offset",
      data: edit(good, [[34 + 12, 0x30]]),
      layers: [true, false],
      problem: { layer: "tcp", code: "bad-header-length", offset: 46 },
    },
    {
      name: "IPv4 total length below its header",
      data: edit(good, [
        [16, 0],
        [17, 10],
      ]),
      layers: [true, false],
      problem: { layer: "ipv4", code: "bad-total-length", offset: 16, required: 20, actual: 10 },
    },
    {
      name: "IPv4 total length past the frame",
      data: edit(good, [
        [16, 0],
        [17, 200],
      ]),
      layers: [true, true],
      problem: { layer: "ipv4", code: "bad-total-length", offset: 16, required: 200, actual: 43 },
    },
    {
      name: "a malformed TCP option",
      data: tcp("abc", { rawOptions: Uint8Array.of(0x02, 0x04, 0x05, 0xb4, 0x03, 0x09, 0, 0) }),
      layers: [true, true],
      problem: { layer: "tcp", code: "malformed-option", offset: 59 },
    },
    {
      name: "a UDP length that disagrees with IP",
      data: edit(buildUdp({ ...V4, sport: 1, dport: 2, payload: "abcd" }), [[14 + 20 + 5, 9]]),
      layers: [true, true],
      problem: { layer: "udp", code: "bad-length", offset: 38, required: 12, actual: 9 },
    },
    {
      name: "an EtherType that is not IP",
      data: edit(good, [
        [12, 0x08],
        [13, 0x06],
      ]),
      layers: [false, false],
      problem: { layer: "link", code: "unknown-network-protocol", offset: 12, actual: 0x0806 },
    },
  ])("$name", ({ data, layers, problem }) => {
    const p = decodePacket(record(data), ETH);
    expect([p.network !== undefined, p.transport !== undefined]).toEqual(layers);
    expect(p.problems).toHaveLength(1);
    expect(p.problems[0]).toMatchObject(problem);
    expect(p.cut).toBeUndefined();
    expect(p.toString()).toContain(`[|${problem.layer} ${problem.code}]`);
  });

  test("an unknown link type decodes nothing and says so", () => {
    const p = decodePacket(record(good), 147);
    expect(p.link).toMatchObject({ type: "unknown", code: 147 });
    expect(p.problems[0]).toMatchObject({ layer: "link", code: "unknown-link-type", actual: 147 });
    expect(p.payloadLength).toBe(good.length);
    expect(p.toString()).toBe("unknown frame, length 57 [|link unknown-link-type]");
  });

  test("an IPv6 extension chain cut short keeps the IPv6 layer", () => {
    const data = buildUdp({ ...V6, sport: 1, dport: 2, payload: "abcd" }).slice(0, 14 + 40 + 4);
    data[14 + 6] = 60; // Destination Options, whose 8 bytes are not all there
    data[14 + 40 + 1] = 0; // its length: (0 + 1) × 8
    const p = decodePacket(record(data, 14 + 40 + 12), ETH);
    expect(p.network?.version).toBe(6);
    expect(p.transport).toBeUndefined();
    expect(p.problems).toEqual([]);
    expect(p.cut).toMatchObject({
      layer: "ipv6",
      code: "truncated-by-snaplen",
      offset: 54,
      required: 8,
      actual: 4,
    });
  });
});

test("any bytes under any link type decode without throwing (seeded)", () => {
  const seed = 424242;
  const links = fc.constantFrom(0, 1, 12, 14, 101, 108, 113, 228, 229, 276, 147);
  // Random bytes after a valid prefix reach the deeper layers more often than pure noise.
  const prefix = fc.constantFrom(
    new Uint8Array(0),
    tcp("abc").subarray(0, 34),
    buildUdp({ ...V6, sport: 1, dport: 2 }).subarray(0, 54),
  );
  fc.assert(
    fc.property(
      links,
      prefix,
      fc.uint8Array({ maxLength: 120 }),
      fc.nat({ max: 2000 }),
      (link, head, tail, wire) => {
        const data = Uint8Array.from([...head, ...tail]);
        const p = decodePacket(record(data, Math.max(wire, data.length)), link);
        p.toString();
        expect(p.payload.length).toBeLessThanOrEqual(Math.max(0, p.payloadLength));
        if (p.transport?.protocol === "tcp") expect(Array.isArray(p.transport.options.kinds)).toBe(true);
        for (const problem of p.problems) expect(problem.offset).toBeGreaterThanOrEqual(0);
      },
    ),
    { seed, numRuns: 2000 },
  );
});
