// Packets the snap length cut, decoded as tshark decodes them: every layer kept as far as it was captured,
// lengths from the IP header, and the cut recorded as a fact of the capture (`cut`), never as a problem.
import { describe, expect, test } from "vitest";
import { buildTcp, buildUdp, buildUdpLite, toCutRecord, toRecord } from "./build.ts";
import { decodePacket } from "./packet.ts";

const ETH = 1;
const LINUX = { mss: 65495, sackPermitted: true, timestamp: [1, 0] as [number, number], windowScale: 7 };
const SYN = { sport: 41234, dport: 65432, seq: 1, flags: "S", options: LINUX };
// 14 Ethernet + 20 IPv4 + 40 TCP (20 of options) = 74 bytes; IPv6: 94.
const V4_SYN = buildTcp({ src: "127.0.0.1", dst: "127.0.0.1", ...SYN });
const V6_SYN = buildTcp({ src: "::1", dst: "::1", ...SYN });
const V4_DATA = buildTcp({
  src: "127.0.0.1",
  dst: "127.0.0.1",
  sport: 41234,
  dport: 65432,
  seq: 2,
  ack: 9,
  flags: "P.",
  options: { timestamp: [5, 6] },
  payload: "Hello, world",
});
// 14 + 20 + 8 + 5 = 47 bytes.
const V4_UDP = buildUdp({ src: "127.0.0.1", dst: "127.0.0.1", sport: 40000, dport: 5005, payload: "hello" });

const cutAt = (frame: Uint8Array, snap: number) => decodePacket(toCutRecord(frame, snap, 1, 0), ETH);

// What each range of snap lengths leaves, as tshark 4.0 shows it (`editcap -s N`, then
// `tshark -T fields -e ip.src -e tcp.stream -e tcp.len -e udp.stream`): the IP layer needs its whole
// header; TCP needs its first 16 bytes (ports to window) to join its conversation; UDP its 8 bytes.
describe.each([
  { name: "IPv4 SYN", frame: V4_SYN, ip: 14, l4: 34, l4Need: 16, header: 40, payload: 0 },
  { name: "IPv6 SYN", frame: V6_SYN, ip: 14, l4: 54, l4Need: 16, header: 40, payload: 0 },
  { name: "IPv4 data", frame: V4_DATA, ip: 14, l4: 34, l4Need: 16, header: 32, payload: 12 },
  { name: "IPv4 UDP", frame: V4_UDP, ip: 14, l4: 34, l4Need: 8, header: 8, payload: 5 },
])("$name cut at every snap length", ({ frame, ip, l4, l4Need, header, payload }) => {
  const snaps = Array.from({ length: frame.length - 1 }, (_, i) => i + 1);
  test.each(snaps)("%i bytes", (snap) => {
    const p = cutAt(frame, snap);
    expect(p.problems).toEqual([]);
    expect([p.frameLength, p.capturedLength]).toEqual([frame.length, snap]);
    const layer = snap < ip ? "link" : snap < l4 ? (l4 - ip === 20 ? "ipv4" : "ipv6") : p.transport?.protocol;
    expect(p.network !== undefined).toBe(snap >= l4);
    expect(p.transport !== undefined).toBe(snap >= l4 + l4Need);
    const headerCut = snap < l4 + header;
    expect(p.cut === undefined).toBe(!headerCut);
    if (p.cut !== undefined) {
      expect(p.cut).toMatchObject({ code: "truncated-by-snaplen", actual: snap - p.cut.offset });
      if (snap < l4 + l4Need) expect(p.cut.layer).toBe(snap < l4 ? layer : l4Need === 8 ? "udp" : "tcp");
    }
    if (p.transport !== undefined) {
      // Lengths from the IP header, not from what was captured.
      expect(p.payloadLength).toBe(payload);
      expect(p.payload.length).toBe(Math.max(0, snap - l4 - header));
    }
    if (p.transport?.protocol === "tcp") {
      expect(p.transport.capturedHeaderLength).toBe(Math.min(header, snap - l4));
      expect(p.transport.optionsCaptured).toBe(!headerCut);
      expect(p.transport.seq).toBe(payload === 0 ? 1 : 2);
    }
  });
});

describe("a cut is a fact of the capture, a short frame a problem", () => {
  test("the SYN's options cut: the TCP layer, its lengths, no options, no problem", () => {
    const p = cutAt(V4_SYN, 54);
    expect(p.transport).toMatchObject({ protocol: "tcp", headerLength: 40, syn: true, window: 65535 });
    expect(p.transport?.protocol === "tcp" && p.transport.options.windowScale).toBeUndefined();
    expect(p.cut).toEqual({
      layer: "tcp",
      code: "truncated-by-snaplen",
      offset: 34,
      required: 40,
      actual: 20,
      message:
        "the TCP header with options needs 40 bytes at offset 34, only 20 captured (the capture's snap length cut the packet)",
    });
  });

  test("a frame shorter than its IP length keeps the TCP layer and says both lengths are wrong", () => {
    const short = V4_SYN.subarray(0, 60);
    const p = decodePacket(toRecord(short, 1, 0), ETH);
    expect(p.cut).toBeUndefined();
    expect(p.transport?.protocol).toBe("tcp");
    expect(p.problems.map((q) => `${q.layer} ${q.code}`)).toEqual(["ipv4 bad-total-length", "tcp truncated"]);
  });

  test("only the payload cut: no cut recorded", () => {
    const p = cutAt(V4_DATA, 70);
    expect([p.cut, p.payloadLength, p.payload.length]).toEqual([undefined, 12, 4]);
  });
});

describe("tcpdump's notation stops where the capture does", () => {
  test.each([
    [V4_SYN, 50, "127.0.0.1.41234 > 127.0.0.1.65432:  [|tcp]"],
    [V4_SYN, 54, "127.0.0.1.41234 > 127.0.0.1.65432: Flags [S], seq 1, win 65535, options [ [|tcp]"],
    [
      V4_SYN,
      60,
      "127.0.0.1.41234 > 127.0.0.1.65432: Flags [S], seq 1, win 65535, options [mss 65495,sackOK, [|tcp]",
    ],
    [
      V4_DATA,
      54,
      "127.0.0.1.41234 > 127.0.0.1.65432: Flags [P.], seq 2:14, ack 9, win 65535, options [ [|tcp]",
    ],
    [V4_UDP, 42, "127.0.0.1.40000 > 127.0.0.1.5005: UDP, length 5"],
  ] as const)("%#: snap length %i", (frame, snap, text) => {
    expect(cutAt(frame, snap).toString()).toBe(text);
  });
});

describe("UDP-Lite decodes into the UDP layer", () => {
  test.each([0, 8, 10])("coverage %i: lite, the length from IP, no problem", (coverage) => {
    const frame = buildUdpLite({
      src: "::1",
      dst: "::1",
      sport: 40000,
      dport: 5005,
      payload: "hi",
      coverage,
    });
    const p = decodePacket(toRecord(frame, 1, 0), ETH);
    expect(p.problems).toEqual([]);
    expect(p.transport).toMatchObject({
      protocol: "udp",
      lite: true,
      length: 10,
      checksumCoverage: coverage,
    });
    expect([p.payloadLength, new TextDecoder().decode(p.payload)]).toEqual([2, "hi"]);
    expect(p.toString()).toBe("::1.40000 > ::1.5005: UDP-Lite, length 2");
  });

  test("a coverage below the header is a problem, not a length mismatch", () => {
    const frame = buildUdpLite({
      src: "10.0.0.1",
      dst: "10.0.0.2",
      sport: 1,
      dport: 2,
      payload: "x",
      coverage: 3,
    });
    const p = decodePacket(toRecord(frame, 1, 0), ETH);
    expect(p.transport?.protocol).toBe("udp");
    expect(p.problems.map((q) => q.code)).toEqual(["bad-checksum-coverage"]);
  });

  test("its header cut by the snap length: no UDP layer, the cut recorded", () => {
    const frame = buildUdpLite({ src: "10.0.0.1", dst: "10.0.0.2", sport: 1, dport: 2, payload: "x" });
    const p = cutAt(frame, 40);
    expect([p.transport, p.problems]).toEqual([undefined, []]);
    expect(p.cut).toMatchObject({
      layer: "udp",
      code: "truncated-by-snaplen",
      message: expect.stringContaining("UDP-Lite"),
    });
  });
});
