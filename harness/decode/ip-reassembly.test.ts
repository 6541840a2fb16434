// IP reassembly from bytes. The expected frames, lengths and fragment lists are what tshark 4.0.17 shows for
// the same frames written to a pcap (`tshark -r F -T fields -e frame.number -e udp.length -e tcp.len
// -e ip.fragment -e ip.fragment.error -e ipv6.fragment -e ip.reassembled.length -e udp.payload`).
import { describe, expect, test } from "vitest";
import { buildTcp, buildUdp, buildUdpLite, toRecord } from "./build.ts";
import { buildFragments, type FragmentPiece, fragmentPieces } from "./build-fragments.ts";
import {
  createIpReassembler,
  type FragmentFrame,
  fragmentsOf,
  isIpFragment,
  ReassembledPacket,
} from "./ip-reassembly.ts";
import { decodePacket } from "./packet.ts";
import type { DecodedPacket } from "./packet-types.ts";

const T0 = 1_700_000_000_000_000;
const bytesOf = (n: number, step = 1) => Uint8Array.from({ length: n }, (_, i) => (i * step + 3) % 251);
const udp4 = (n: number, step = 1) =>
  buildUdp({ src: "127.0.0.1", dst: "127.0.0.2", sport: 4000, dport: 5000, payload: bytesOf(n, step) });
const udp6 = (n: number) =>
  buildUdp({ src: "::1", dst: "::2", sport: 4000, dport: 5000, payload: bytesOf(n) });
const tcp4 = (n: number) =>
  buildTcp({
    src: "127.0.0.1",
    dst: "127.0.0.2",
    sport: 4000,
    dport: 5000,
    seq: 1,
    ack: 1,
    flags: "P.",
    payload: bytesOf(n),
  });
const cut = (whole: Uint8Array, id: number, pieces: FragmentPiece[]) =>
  buildFragments(whole, "ethernet", id, pieces);

interface Shown {
  frame: number;
  fragments: number[];
  length: number;
  transport: "udp" | "tcp" | "none";
  /** udp.length, or tcp.len. */
  transportLength: number;
  payloadLength: number;
  payloadStart: number[];
}

// Feeds the frames in order; returns what each frame shows: "held", "passed" or the reassembled datagram.
function run(frames: Uint8Array[], options = {}): Array<"held" | "passed" | Shown> {
  const reassembler = createIpReassembler(options);
  return frames.map((data, i) => {
    const packet = decodePacket(toRecord(data, i + 1, T0 + i), 1);
    const shown = reassembler.add(packet);
    if (shown === undefined) return "held";
    if (shown === packet) return "passed";
    expect(shown).toBeInstanceOf(ReassembledPacket);
    const r = shown as ReassembledPacket;
    const t = r.transport;
    return {
      frame: r.number,
      fragments: r.fragments.map((f) => f.number),
      length: r.reassembledLength,
      transport: t === undefined ? "none" : t.protocol,
      transportLength: t === undefined ? 0 : t.protocol === "udp" ? t.length : r.payloadLength,
      payloadLength: r.payloadLength,
      payloadStart: [...r.payload.subarray(0, 4)],
    };
  });
}

const ORIGINAL = [3, 4, 5, 6];

describe("IP reassembly agrees with tshark frame by frame", () => {
  test("fragments out of order: the datagram is shown on the last to arrive, the first by offset", () => {
    const [a, b, c] = cut(udp4(3000), 1, fragmentPieces(3008, 1480));
    expect(run([c!, b!, a!])).toEqual([
      "held",
      "held",
      {
        frame: 3,
        fragments: [3, 2, 1],
        length: 3008,
        transport: "udp",
        transportLength: 3008,
        payloadLength: 3000,
        payloadStart: ORIGINAL,
      },
    ]);
  });

  test.each([
    [
      "a conflicting overlap after the first fragment",
      [
        { offset: 0, length: 1480 },
        { offset: 8, length: 1472, more: true, fill: 0xaa },
        { offset: 1480, length: 1528 },
      ],
      [1, 2, 3],
    ],
    [
      "a conflicting overlap before the first fragment",
      [
        { offset: 8, length: 1472, more: true, fill: 0xaa },
        { offset: 0, length: 1480 },
        { offset: 1480, length: 1528 },
      ],
      [2, 1, 3],
    ],
    [
      "a conflicting duplicate of the first fragment",
      [
        { offset: 0, length: 1480 },
        { offset: 0, length: 1480, fill: 0xbb },
        { offset: 1480, length: 1528 },
      ],
      [1, 2, 3],
    ],
  ])("%s: listed, and the first bytes by offset win", (_name, pieces, fragments) => {
    const shown = run(cut(udp4(3000), 2, pieces));
    expect(shown.slice(0, 2)).toEqual(["held", "held"]);
    expect(shown[2]).toMatchObject({ frame: 3, fragments, length: 3008, payloadStart: ORIGINAL });
  });

  test.each([
    [
      "a longer tail first",
      [
        { offset: 1480, length: 1528 },
        { offset: 1480, length: 800, more: false },
        { offset: 0, length: 1480 },
      ],
      3008,
      3000,
    ],
    [
      "a shorter tail first",
      [
        { offset: 1480, length: 800, more: false },
        { offset: 1480, length: 1528 },
        { offset: 0, length: 1480 },
      ],
      2280,
      2272,
    ],
    [
      "a fragment past the first tail",
      [
        { offset: 1480, length: 1528, more: true },
        { offset: 1480, length: 800, more: false },
        { offset: 0, length: 1480 },
      ],
      2280,
      2272,
    ],
  ])("two tails, %s: the first tail fixes the length", (_name, pieces, length, payloadLength) => {
    const shown = run(cut(udp4(3000), 3, pieces));
    expect(shown[2]).toMatchObject({
      frame: 3,
      fragments: [3, 1, 2],
      length,
      transportLength: 3008,
      payloadLength,
      payloadStart: ORIGINAL,
    });
  });

  test("a duplicate after completion starts a reassembly that a reused identification completes", () => {
    const old = cut(udp4(2000), 7, fragmentPieces(2008, 1480));
    const reused = cut(udp4(4000, 3), 7, fragmentPieces(4008, 1480));
    const shown = run([old[0]!, old[1]!, old[1]!, reused[0]!, reused[1]!, reused[2]!]);
    expect(shown[0]).toBe("held");
    expect(shown[1]).toMatchObject({ frame: 2, fragments: [1, 2], length: 2008, transportLength: 2008 });
    expect(shown[2]).toBe("held");
    // tshark: "Bad length value 4008 > IP payload length"; the payload mixes both datagrams.
    expect(shown[3]).toMatchObject({
      frame: 4,
      fragments: [4, 3],
      length: 2008,
      transportLength: 4008,
      payloadLength: 2000,
      payloadStart: [3, 6, 9, 12],
    });
    expect(shown.slice(4)).toEqual(["held", "held"]);
  });

  test("-i any duplicates: every copy before completion is listed, later copies wait for ever", () => {
    const old = cut(udp4(2000), 7, fragmentPieces(2008, 1480));
    const reused = cut(udp4(4000, 3), 7, fragmentPieces(4008, 1480));
    const shown = run([old[0]!, old[0]!, old[1]!, old[1]!, reused[0]!, reused[1]!, reused[2]!, old[0]!]);
    expect(shown[2]).toMatchObject({ frame: 3, fragments: [1, 2, 3], length: 2008 });
    expect(shown[4]).toMatchObject({ frame: 5, fragments: [5, 4], length: 2008, transportLength: 4008 });
    expect(shown[7]).toMatchObject({ frame: 8, fragments: [8, 6, 7], length: 4008, transportLength: 2008 });
    expect([shown[0], shown[1], shown[3], shown[5], shown[6]]).toEqual([
      "held",
      "held",
      "held",
      "held",
      "held",
    ]);
  });

  test("TCP is reassembled too", () => {
    const shown = run(cut(tcp4(3000), 11, fragmentPieces(3020, 1480)));
    expect(shown[2]).toMatchObject({
      frame: 3,
      fragments: [1, 2, 3],
      length: 3020,
      transport: "tcp",
      payloadLength: 3000,
      payloadStart: ORIGINAL,
    });
  });

  test("IPv6: keyed by the Fragment header's identification; duplicates before completion are listed", () => {
    const f = cut(udp6(3000), 0x12345678, fragmentPieces(3008, 1232));
    const shown = run([f[2]!, f[0]!, f[0]!, f[1]!, f[1]!, f[2]!]);
    expect(shown[3]).toMatchObject({
      frame: 4,
      fragments: [2, 3, 4, 1],
      length: 3008,
      transport: "udp",
      transportLength: 3008,
      payloadStart: ORIGINAL,
    });
    expect([shown[0], shown[1], shown[2], shown[4], shown[5]]).toEqual([
      "held",
      "held",
      "held",
      "held",
      "held",
    ]);
  });

  test("IPv4 keys XOR the protocol into the identification, as Wireshark does", () => {
    const udp = cut(udp4(2000), 20, fragmentPieces(2008, 1480));
    const tcp = cut(tcp4(2000), 20, fragmentPieces(2020, 1480));
    const apart = run([udp[0]!, tcp[0]!, udp[1]!, tcp[1]!]);
    expect(apart[2]).toMatchObject({ frame: 3, fragments: [1, 3], transport: "udp" });
    expect(apart[3]).toMatchObject({ frame: 4, fragments: [2, 4], transport: "tcp", payloadLength: 2000 });
    // UDP (17) with id 20 and TCP (6) with id 20 ^ 17 ^ 6 share a key.
    const collide = cut(tcp4(2000), 20 ^ 17 ^ 6, fragmentPieces(2020, 1480));
    const together = run([udp[0]!, collide[0]!, udp[1]!, collide[1]!]);
    expect(together[2]).toMatchObject({ frame: 3, fragments: [1, 2, 3], transport: "udp", length: 2008 });
    expect(together[3]).toBe("held");
  });
});

describe("VLANs", () => {
  // Inserts an 802.1Q tag after the Ethernet addresses.
  const tag = (frame: Uint8Array, vlan: number) => {
    const out = new Uint8Array(frame.length + 4);
    out.set(frame.subarray(0, 12));
    out.set([0x81, 0x00, vlan >> 8, vlan & 0xff], 12);
    out.set(frame.subarray(12), 16);
    return out;
  };
  const pair = (src: string, dst: string) =>
    cut(
      buildUdp({ src, dst, sport: 4000, dport: 5000, payload: bytesOf(2000) }),
      9,
      fragmentPieces(2008, 1480),
    );

  test.each([
    ["private addresses, two VLANs: apart", "10.0.0.1", "10.0.0.2", 6, "held"],
    ["public addresses, two VLANs: together", "1.1.1.1", "2.2.2.2", 6, "reassembled"],
    ["private addresses, one VLAN: together", "10.0.0.1", "10.0.0.2", 5, "reassembled"],
  ])("%s", (_name, src, dst, second, outcome) => {
    const [a, b] = pair(src, dst);
    const shown = run([tag(a!, 5), tag(b!, second)]);
    expect(shown[0]).toBe("held");
    if (outcome === "held") expect(shown[1]).toBe("held");
    else expect(shown[1]).toMatchObject({ frame: 2, fragments: [1, 2], length: 2008 });
  });
});

describe("what passes through untouched", () => {
  test("a packet that is no fragment is returned as it is", () => {
    const reassembler = createIpReassembler();
    for (const data of [udp4(10), udp6(10), tcp4(10)]) {
      const packet = decodePacket(toRecord(data, 1, T0), 1);
      expect(reassembler.add(packet)).toBe(packet);
      expect(isIpFragment(packet)).toBe(false);
      expect(fragmentsOf(packet)).toBeUndefined();
    }
  });

  test("an IPv6 atomic fragment (offset 0, no more fragments) is no fragment", () => {
    const [atomic] = cut(udp6(100), 5, [{ offset: 0, length: 108, more: false }]);
    expect(run([atomic!])).toEqual(["passed"]);
  });

  test("IPv6: a first fragment the snap length cut shows no transport layer, as in tshark", () => {
    const [a] = cut(udp6(3000), 9, fragmentPieces(3008, 1232));
    const packet = decodePacket({ ...toRecord(a!.subarray(0, 100), 1, T0), originalLength: a!.length }, 1);
    expect(packet.transport?.protocol).toBe("udp");
    const shown = createIpReassembler().add(packet);
    expect(shown).not.toBe(packet);
    expect(shown!.transport).toBeUndefined();
    expect(shown!.payloadLength).toBe(1232);
    expect(shown!.toString()).toBe("::1 > ::2: UDP, length 1232");
    expect(isIpFragment(shown!)).toBe(true);
  });

  test("IPv4: a first fragment the snap length cut passes through with its UDP header, as in tshark", () => {
    const [a, b] = cut(udp4(2000), 9, fragmentPieces(2008, 1480));
    const reassembler = createIpReassembler();
    const first = decodePacket({ ...toRecord(a!.subarray(0, 100), 1, T0), originalLength: a!.length }, 1);
    expect(isIpFragment(first)).toBe(true);
    expect(reassembler.add(first)).toBe(first);
    expect(first.transport?.protocol).toBe("udp");
    expect(reassembler.add(decodePacket(toRecord(b!, 2, T0 + 1), 1))).toBeUndefined();
    expect(reassembler.pending).toBe(1);
  });
});

describe("memory", () => {
  test("past the cap the reassemblies started first are dropped whole; flush reports the rest", () => {
    const dropped: Array<[number, string]> = [];
    const reassembler = createIpReassembler({
      maxHeldBytes: 3000,
      onDropped: (frame: FragmentFrame, why) => dropped.push([frame.number, why]),
    });
    const one = cut(udp4(3000), 1, fragmentPieces(3008, 1480));
    const two = cut(udp4(3000), 2, fragmentPieces(3008, 1480));
    const add = (data: Uint8Array, n: number): DecodedPacket | undefined =>
      reassembler.add(decodePacket(toRecord(data, n, T0 + n), 1));
    expect(add(one[0]!, 1)).toBeUndefined();
    expect(add(one[1]!, 2)).toBeUndefined();
    expect(reassembler.heldBytes).toBe(2960);
    expect(add(two[0]!, 3)).toBeUndefined();
    expect(dropped).toEqual([
      [1, "cap"],
      [2, "cap"],
    ]);
    expect(reassembler.heldBytes).toBe(1480);
    expect(add(one[2]!, 4)).toBeUndefined();
    reassembler.flush();
    expect(dropped.slice(2)).toEqual([
      [3, "incomplete"],
      [4, "incomplete"],
    ]);
    expect(reassembler.heldBytes).toBe(0);
    expect(reassembler.pending).toBe(0);
  });

  test("held fragments are copies: the read block they came from may be reused", () => {
    const [a, b] = cut(udp4(2000), 3, fragmentPieces(2008, 1480));
    const reassembler = createIpReassembler();
    const block = a!.slice();
    reassembler.add(decodePacket(toRecord(block, 1, T0), 1));
    block.fill(0);
    const shown = reassembler.add(decodePacket(toRecord(b!, 2, T0 + 1), 1));
    expect([...shown!.payload.subarray(0, 4)]).toEqual(ORIGINAL);
  });

  test("each fragment frame keeps its own header sizes for overhead", () => {
    const frames = cut(udp4(3000), 1, fragmentPieces(3008, 1480));
    const reassembler = createIpReassembler();
    let shown: DecodedPacket | undefined;
    frames.forEach((data, i) => {
      shown = reassembler.add(decodePacket(toRecord(data, i + 1, T0 + i), 1));
    });
    expect(fragmentsOf(shown!)).toEqual([
      {
        number: 1,
        timeUs: T0,
        frameLength: 1514,
        linkHeaderLength: 14,
        networkHeaderLength: 20,
        transportHeaderLength: 8,
        payloadLength: 1472,
      },
      {
        number: 2,
        timeUs: T0 + 1,
        frameLength: 1514,
        linkHeaderLength: 14,
        networkHeaderLength: 20,
        transportHeaderLength: 0,
        payloadLength: 1480,
      },
      {
        number: 3,
        timeUs: T0 + 2,
        frameLength: 82,
        linkHeaderLength: 14,
        networkHeaderLength: 20,
        transportHeaderLength: 0,
        payloadLength: 48,
      },
    ]);
    expect(shown!.toString()).toBe("127.0.0.1.4000 > 127.0.0.2.5000: UDP, length 3000");
    expect(shown!.frameLength).toBe(82);
  });
});

test("a UDP-Lite datagram in fragments is reassembled into the UDP layer, as a UDP one is", () => {
  const whole = buildUdpLite({
    src: "127.0.0.1",
    dst: "127.0.0.2",
    sport: 4000,
    dport: 5000,
    payload: bytesOf(3000),
  });
  const frames = cut(whole, 7, [
    { offset: 0, length: 1480 },
    { offset: 1480, length: 1528 },
  ]);
  const reassembler = createIpReassembler();
  const shown = frames.map((data, i) => reassembler.add(decodePacket(toRecord(data, i + 1, T0 + i), 1)));
  expect(shown[0]).toBeUndefined();
  const datagram = shown[1]!;
  expect(datagram.transport?.protocol).toBe("udp");
  expect(datagram.transport?.protocol === "udp" && datagram.transport.lite).toBe(true);
  expect(datagram.payloadLength).toBe(3000);
  expect(datagram.problems).toEqual([]);
});
