// The fragmented-UDP fixture captures (fixtures/captures/fragments/) analysed against tshark 4.0.17's view
// of them, written down below so that the test runs without tshark; where tshark is installed the numbers
// are checked against it too.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { analysePackets, T0 } from "../../test/support/analyse-scenarios.ts";
import { buildFragments, buildTcp, buildUdp, fragmentPieces } from "../decode/index.ts";
import { analyseCapture } from "./analyse-capture.ts";
import type { TcpConversation, UdpConversation } from "./types.ts";

const DIR = join(import.meta.dirname, "../../fixtures/captures/fragments");

/** One frame tshark shows UDP on: frame.number, frame.len, udp.length, udp.stream, ip(v6).fragment. */
type Row = [frame: number, frameLength: number, udpLength: number, stream: number, fragments: string];

interface Expected {
  file: string;
  /** `tshark -r F -Y 'udp && !icmp && !icmpv6 && !(udp.port == 9)' -T fields -E occurrence=a ...` */
  rows: Row[];
  /** `tshark -r F -q -z conv,udp` for the echo: frames and bytes each way (A → B, B → A). */
  conversation: { frames: [number, number]; bytes: [number, number] };
  /** Frames with more-fragments set, a fragment offset or an IPv6 Fragment header. */
  fragmentFrames: number;
  /** Fragments in no reassembled datagram (duplicates of a completing fragment that come after it). */
  leftOver: number;
}

const CAPTURES: Expected[] = [
  {
    // IPv4, MTU 1500, `tcpdump -i any` on a bridge: every frame twice.
    file: "udp-fragments-any.pcap",
    rows: [
      [10, 41, 1481, 0, "8-10"],
      [14, 41, 1481, 0, "12-14"],
      [22, 608, 5008, 0, "16-22"],
      [30, 608, 5008, 0, "24-30"],
      [58, 808, 20008, 0, "32-58"],
      [86, 808, 20008, 0, "60-86"],
      [174, 1408, 65008, 0, "88-174"],
      [262, 1408, 65008, 0, "176-262"],
    ],
    conversation: { frames: [4, 4], bytes: [2865, 2865] },
    fragmentFrames: 256,
    leftOver: 8,
  },
  {
    // IPv6, MTU 1280, `tcpdump -i veth0`.
    file: "udp6-fragments.pcap",
    rows: [
      [9, 311, 1481, 0, "8-9"],
      [11, 311, 1481, 0, "10-11"],
      [16, 142, 5008, 0, "12-16"],
      [21, 142, 5008, 0, "17-21"],
      [38, 358, 20008, 0, "22-38"],
      [55, 358, 20008, 0, "39-55"],
      [108, 1006, 65008, 0, "56-108"],
      [161, 1006, 65008, 0, "109-161"],
    ],
    conversation: { frames: [4, 4], bytes: [1817, 1817] },
    fragmentFrames: 154,
    leftOver: 0,
  },
];

const SIZES = [1473, 5000, 20000, 65000];

// "8-10,12" → [8, 9, 10, 12].
function frames(ranges: string): number[] {
  return ranges.split(",").flatMap((part) => {
    const [from, to = from] = part.split("-").map(Number) as [number, number?];
    return Array.from({ length: to! - from + 1 }, (_, i) => from + i);
  });
}

function hasTshark(): boolean {
  try {
    execFileSync("tshark", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function tshark(args: string[]): string {
  return execFileSync("tshark", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
}

describe.each(CAPTURES)("$file: fragmented UDP as tshark shows it", (expected) => {
  const file = join(DIR, expected.file);

  test("each datagram on the frame that completed it, with its fragments, stream and UDP length", async () => {
    const analysis = await analyseCapture(file);
    const udp = analysis.conversations.filter((c): c is UdpConversation => c.protocol === "udp");
    expect(udp).toHaveLength(1);
    const rows = udp.flatMap((c) =>
      (c.timeline ?? []).map((r) => [
        r.number,
        r.frameLength,
        r.payloadLength + 8,
        c.stream,
        r.protocol === "udp" ? r.fragments : null,
      ]),
    );
    expect(rows).toEqual(
      expected.rows.map(([f, len, udpLength, s, list]) => [f, len, udpLength, s, frames(list)]),
    );
    const [c] = udp;
    expect(c!.packets).toBe(expected.rows.length);
    expect(c!.c2s.sizes).toEqual(SIZES);
    expect(c!.s2c.sizes).toEqual(SIZES);
    expect(c!.c2s.payloadBytes).toBe(91473);
    expect(c!.replies.pairCount).toBe(4);
  });

  test("conversation frames and bytes as -z conv,udp counts them: completing frames only", async () => {
    const analysis = await analyseCapture(file);
    const c = analysis.conversations[0] as UdpConversation;
    const rows = c.timeline ?? [];
    const sum = (dir: string) =>
      rows.filter((r) => r.direction === dir).reduce((n, r) => n + r.frameLength, 0);
    const count = (dir: string) => rows.filter((r) => r.direction === dir).length;
    expect([count("c2s"), count("s2c")]).toEqual(expected.conversation.frames);
    expect([sum("c2s"), sum("s2c")]).toEqual(expected.conversation.bytes);
  });

  test("the overhead counts every fragment frame; leftover duplicates are ignored fragments", async () => {
    const analysis = await analyseCapture(file);
    const c = analysis.conversations[0] as UdpConversation;
    expect(c.overhead.total.packets + analysis.capture.ignored.fragments).toBe(expected.fragmentFrames);
    expect(analysis.capture.ignored.fragments).toBe(expected.leftOver);
    expect(analysis.overhead.total.total).toBe(analysis.capture.bytes);
    expect(analysis.overhead.total.packets).toBe(analysis.capture.packets);
    expect(c.overhead.total.total).toBe(
      c.overhead.total.link +
        c.overhead.total.network +
        c.overhead.total.transport +
        c.overhead.total.payload,
    );
  });

  test.skipIf(!hasTshark())("tshark 4.0.17 still says so", () => {
    const fields = ["frame.number", "frame.len", "udp.length", "udp.stream", "ip.fragment", "ipv6.fragment"];
    const out = tshark([
      "-r",
      file,
      "-Y",
      "udp && !icmp && !icmpv6 && !(udp.port == 9)",
      "-T",
      "fields",
      "-E",
      "occurrence=a",
      "-E",
      "aggregator=,",
      ...fields.flatMap((f) => ["-e", f]),
    ]);
    const rows = out
      .trim()
      .split("\n")
      .map((line) => {
        const [f, len, udpLength, s, v4, v6] = line.split("\t");
        return [Number(f), Number(len), Number(udpLength), Number(s), (v4 || v6)!.split(",").map(Number)];
      });
    expect(rows).toEqual(
      expected.rows.map(([f, len, udpLength, s, list]) => [f, len, udpLength, s, frames(list)]),
    );
    const conv = tshark(["-r", file, "-q", "-z", "conv,udp"]);
    const line = conv.split("\n").find((l) => l.includes(":5007 "))!;
    const numbers = line
      .match(/(\d+) (\d+) bytes\s+(\d+) (\d+) bytes/)!
      .slice(1)
      .map(Number);
    const { frames: f, bytes: b } = expected.conversation;
    expect(numbers.sort()).toEqual([f[0], b[0], f[1], b[1]].sort());
    const fragments = tshark(["-r", file, "-Y", "ip.flags.mf == 1 || ip.frag_offset > 0 || ipv6.fraghdr"]);
    expect(fragments.trim().split("\n")).toHaveLength(expected.fragmentFrames);
  });
});

describe("fragments through the analyser", () => {
  const tcp = (from: "c" | "s", seq: number, ack: number, flags: string, payload?: Uint8Array) =>
    buildTcp({
      src: from === "c" ? "10.0.0.1" : "10.0.0.2",
      dst: from === "c" ? "10.0.0.2" : "10.0.0.1",
      sport: from === "c" ? 40000 : 5000,
      dport: from === "c" ? 5000 : 40000,
      seq,
      ack,
      flags,
      payload,
    });
  const at = (data: Uint8Array, i: number) => ({ timeUs: T0 + i * 100, data });

  test("a fragmented TCP segment is one segment of the connection, on its last fragment", () => {
    const data = Uint8Array.from({ length: 3000 }, (_, i) => i % 256);
    const pieces = buildFragments(tcp("c", 101, 501, "P.", data), "ethernet", 7, fragmentPieces(3020, 1480));
    const frames = [tcp("c", 100, 0, "S"), tcp("s", 500, 101, "S."), tcp("c", 101, 501, ".")]
      .concat(pieces)
      .concat([
        tcp("s", 501, 3101, "."),
        tcp("c", 3101, 501, "F."),
        tcp("s", 501, 3102, "F."),
        tcp("c", 3102, 502, "."),
      ]);
    const analysis = analysePackets(frames.map(at));
    const c = analysis.conversations[0] as TcpConversation;
    expect(c.packets).toBe(8);
    expect(c.c2s.payloadBytes).toBe(3000);
    expect(c.c2s.stream.length).toBe(3000);
    expect(c.c2s.acked.allAcked).toBe(true);
    expect(c.timeline!.map((r) => [r.number, r.payloadLength])).toEqual([
      [1, 0],
      [2, 0],
      [3, 0],
      [6, 3000],
      [7, 0],
      [8, 0],
      [9, 0],
      [10, 0],
    ]);
    expect(c.overhead.total.packets).toBe(10);
    expect(c.overhead.total.total).toBe(frames.reduce((n, f) => n + f.length, 0));
    expect(analysis.capture.ignored.total).toBe(0);
  });

  test("a datagram left out by the port filter counts every frame; an incomplete one is ignored fragments", () => {
    const whole = buildUdp({
      src: "10.0.0.1",
      dst: "10.0.0.2",
      sport: 1,
      dport: 2,
      payload: "x".repeat(3000),
    });
    const [a, b, c] = buildFragments(whole, "ethernet", 1, fragmentPieces(3008, 1480));
    const lost = buildFragments(whole, "ethernet", 2, fragmentPieces(3008, 1480));
    const analysis = analysePackets([a!, b!, c!, lost[0]!, lost[2]!].map(at), { port: 9999 });
    expect(analysis.capture.ignored).toMatchObject({ otherPort: 3, fragments: 2, total: 5 });
    expect(analysis.overhead.ignored.packets).toBe(5);
    expect(analysis.overhead.ignored.total).toBe(analysis.capture.bytes);
    expect(analysis.conversations).toEqual([]);
  });

  test("past the memory cap the oldest incomplete datagram is dropped and counted", () => {
    const whole = buildUdp({
      src: "10.0.0.1",
      dst: "10.0.0.2",
      sport: 1,
      dport: 2,
      payload: "x".repeat(3000),
    });
    const one = buildFragments(whole, "ethernet", 1, fragmentPieces(3008, 1480));
    const two = buildFragments(whole, "ethernet", 2, fragmentPieces(3008, 1480));
    const frames = [one[0]!, one[1]!, two[0]!, two[1]!, two[2]!, one[2]!];
    const analysis = analysePackets(frames.map(at), { maxFragmentBytes: 4000 });
    expect(analysis.capture.fragmentsEvicted).toBe(2);
    expect(analysis.capture.ignored).toMatchObject({ fragments: 3, total: 3 });
    const udp = analysis.conversations[0] as UdpConversation;
    expect(udp.timeline!.map((r) => [r.number, r.payloadLength])).toEqual([[5, 3000]]);
    expect(analysePackets(frames.map(at)).capture.fragmentsEvicted).toBe(0);
  });

  test("a later fragment the snap length cut is an ignored fragment; the cut first one is a datagram", () => {
    const whole = buildUdp({
      src: "10.0.0.1",
      dst: "10.0.0.2",
      sport: 1,
      dport: 2,
      payload: "x".repeat(3000),
    });
    const [a, b, c] = buildFragments(whole, "ethernet", 1, fragmentPieces(3008, 1480));
    const cut = (data: Uint8Array, i: number) => ({
      ...at(data.subarray(0, 100), i),
      originalLength: data.length,
    });
    const analysis = analysePackets([cut(a!, 0), cut(b!, 1), at(c!, 2)]);
    const udp = analysis.conversations[0] as UdpConversation;
    expect(udp.packets).toBe(1);
    expect(udp.c2s.sizes).toEqual([1472]);
    expect(analysis.capture.ignored).toMatchObject({ fragments: 2, total: 2 });
    expect(analysis.overhead.total.total).toBe(analysis.capture.bytes);
  });
});
