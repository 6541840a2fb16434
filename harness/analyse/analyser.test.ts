import { describe, expect, it } from "vitest";
import {
  analysePackets,
  icmpError,
  scenario,
  T0,
  TcpScript,
  udp,
} from "../../test/support/analyse-scenarios.ts";
import { buildTcp, buildUdp, decodePacket, toRecord } from "../decode/index.ts";
import { type AnalyseOptions, createAnalyser, MAX_UDP_OPEN } from "./analyser.ts";
import { MAX_CLOSED_WAITING } from "./tcp-table.ts";

// Ten minutes of capture time: quiet times finish nothing, streaming or not.
const LONG_QUIET_US = 600_000_000;

import type { Conversation } from "./types.ts";

const C = "127.0.0.1";
const markerFrame = () => buildUdp({ src: C, dst: C, sport: 44593, dport: 9, payload: "GRADER-END-abc123" });

// A TCP echo, a UDP echo, the marker and its ICMP echo, and an ARP frame.
function mixedCapture() {
  const tcp = new TcpScript()
    .handshake()
    .c("P.", { payload: "hi" })
    .s("P.", { payload: "hi" })
    .c(".")
    .close();
  const end = tcp.time;
  const arp = new Uint8Array(42);
  new DataView(arp.buffer).setUint16(12, 0x0806);
  return [
    ...tcp.packets,
    udp(C, 40000, C, 5005, "ping", end + 100),
    udp(C, 5005, C, 40000, "ping", end + 200),
    { timeUs: end + 300, data: markerFrame() },
    { timeUs: end + 400, data: icmpError(markerFrame()) },
    { timeUs: end + 500, data: arp },
  ];
}

describe("analyser", () => {
  it("sorts packets into conversations and ignored traffic", () => {
    const analysis = analysePackets(mixedCapture());
    expect(analysis.version).toBe(1);
    expect(analysis.conversations.map((c) => [c.protocol, c.id, c.stream])).toEqual([
      ["tcp", 0, 0],
      ["udp", 1, 0],
    ]);
    expect(analysis.capture).toMatchObject({
      file: null,
      format: null,
      linkType: "ethernet",
      linkTypeCode: 1,
      packets: 14,
      conversationCount: 2,
      conversationsDropped: 0,
      ignored: { marker: 1, markerIcmp: 1, nonIp: 1, otherProtocol: 0, otherPort: 0, fragments: 0, total: 3 },
    });
  });

  it("keeps the marker and its ICMP echo out of conversations and their overhead, but in the capture's", () => {
    const analysis = analysePackets(mixedCapture());
    const conversationBytes = analysis.conversations.reduce((sum, c) => sum + c.overhead.total.total, 0);
    expect(analysis.overhead.conversations.total).toBe(conversationBytes);
    expect(analysis.overhead.ignored.packets).toBe(3);
    expect(analysis.overhead.total.total).toBe(analysis.capture.bytes);
    expect(analysis.overhead.total.total).toBe(conversationBytes + analysis.overhead.ignored.total);
  });

  it("splits every frame into parts that add up to the capture's bytes, per kind and per conversation", () => {
    const analysis = analysePackets(mixedCapture());
    const { overhead } = analysis;
    const byKind = Object.values(overhead.byKind);
    expect(byKind.reduce((sum, b) => sum + b.total, 0)).toBe(analysis.capture.bytes);
    expect(byKind.reduce((sum, b) => sum + b.packets, 0)).toBe(analysis.capture.packets);
    for (const bucket of [overhead.total, overhead.conversations, overhead.ignored, ...byKind]) {
      expect(bucket.link + bucket.network + bucket.transport + bucket.payload + bucket.trailer).toBe(
        bucket.total,
      );
    }
    for (const conversation of analysis.conversations) {
      const kinds = Object.values(conversation.overhead.byKind);
      expect(kinds.reduce((sum, b) => sum + b.total, 0)).toBe(conversation.overhead.total.total);
    }
    expect(overhead.byKind["tcp-handshake"]?.packets).toBe(3);
    expect(overhead.byKind["tcp-data"]?.packets).toBe(2);
    expect(overhead.byKind["tcp-fin"]?.packets).toBe(2);
    expect(overhead.noPayloadPackets).toBe(7);
  });

  it("leaves out conversations without the port, and counts their packets as ignored", () => {
    const analysis = analysePackets(mixedCapture(), { port: 5005 });
    expect(analysis.conversations.map((c) => [c.protocol, c.id, c.stream])).toEqual([["udp", 0, 0]]);
    expect(analysis.capture).toMatchObject({ port: 5005, conversationCount: 1 });
    expect(analysis.capture.ignored.otherPort).toBe(9);
    expect(analysis.overhead.total.total).toBe(analysis.capture.bytes);
  });

  it("numbers TCP streams as tshark does even for conversations the port filter leaves out", () => {
    const first = new TcpScript({ clientPort: 41000, serverPort: 7000 }).handshake();
    const second = new TcpScript({
      clientPort: 41001,
      serverPort: 65432,
      startUs: first.time + 10,
      packets: first.packets,
    });
    second.handshake();
    const analysis = analysePackets(second.packets, { port: 65432 });
    expect(analysis.conversations.map((c) => [c.id, c.stream])).toEqual([[0, 1]]);
  });

  it("caps timeline rows across the capture and says which timelines were cut", () => {
    const analysis = analysePackets(mixedCapture(), { keepPackets: 5 });
    expect(analysis.conversations[0]?.timeline).toHaveLength(5);
    expect(analysis.conversations[0]?.timelineTruncated).toBe(true);
    expect(analysis.conversations[1]?.timeline).toEqual([]);
    const none = analysePackets(mixedCapture(), { keepPackets: false });
    expect(none.conversations.every((c) => c.timeline === null && !c.timelineTruncated)).toBe(true);
  });

  it("drops conversations past the keepConversations cap but still counts them", () => {
    const analysis = analysePackets(mixedCapture(), { keepConversations: 1 });
    expect(analysis.conversations).toHaveLength(1);
    expect(analysis.capture).toMatchObject({ conversationCount: 2, conversationsDropped: 1 });
    expect(analysis.overhead.total.total).toBe(analysis.capture.bytes);
  });

  it("keeps stream bytes up to the cap, or none, with the SHA-256 unless told not to hash", () => {
    const packets = scenario("clean echo");
    const capped = analysePackets(packets, { keepStreams: 3 }).conversations[0];
    const none = analysePackets(packets, { keepStreams: false }).conversations[0];
    const hashed = analysePackets(packets, { keepStreams: false, hashStreams: true }).conversations[0];
    if (capped?.protocol !== "tcp" || none?.protocol !== "tcp" || hashed?.protocol !== "tcp")
      throw new Error("not TCP");
    expect(capped.c2s.stream).toMatchObject({
      length: 5,
      bytesKept: 3,
      base64: Buffer.from("hel").toString("base64"),
    });
    expect(none.c2s.stream).toMatchObject({ length: 5, bytesKept: 0, base64: null, sha256: null });
    expect(hashed.c2s.stream.sha256).toBe(capped.c2s.stream.sha256);
  });

  it("lists decode problems with their packet numbers", () => {
    const bad = buildTcp({ src: C, dst: C, sport: 1, dport: 2, seq: 1, flags: "S" });
    bad[14 + 20 + 12] = 0x20; // data offset 8 bytes: less than 20
    const analysis = analysePackets([{ timeUs: T0, data: bad }]);
    expect(analysis.capture.problems.packets).toBe(1);
    expect(analysis.capture.problems.list[0]).toMatchObject({
      packet: 1,
      layer: "tcp",
      code: "bad-header-length",
    });
    expect(analysis.capture.ignored.otherProtocol).toBe(1);
  });

  it("produces plain JSON data", () => {
    const analysis = analysePackets(mixedCapture());
    expect(JSON.parse(JSON.stringify(analysis))).toEqual(analysis);
  });

  it("describes an empty capture", () => {
    const analysis = createAnalyser().finish({
      file: "empty.pcap",
      format: "pcap",
      linkType: 1,
      snapLength: 262144,
    });
    expect(analysis.capture).toMatchObject({
      file: "empty.pcap",
      packets: 0,
      bytes: 0,
      firstTimeUs: null,
      linkType: "ethernet",
    });
    expect(analysis.conversations).toEqual([]);
    expect(analysis.overhead.total.total).toBe(0);
  });

  it("refuses packets after finish", () => {
    const analyser = createAnalyser();
    analyser.finish();
    const packet = decodePacket(toRecord(markerFrame(), 1, T0), 1);
    expect(() => analyser.add(packet)).toThrow(/after finish/);
  });
});

describe("closed conversations", () => {
  const later = (gapUs: number) => {
    const t = new TcpScript().handshake().close();
    // A stray ACK on the same 4-tuple, `gapUs` after the close.
    t.c(".", { dt: gapUs });
    return analysePackets(t.packets);
  };

  it("keep taking packets while quiet for less than two minutes", () => {
    const analysis = later(60_000_000);
    expect(analysis.conversations).toHaveLength(1);
    expect(analysis.conversations[0]?.packets).toBe(7);
  });

  it("keep taking packets after any quiet time, as Wireshark never forgets a 4-tuple", () => {
    const analysis = later(3_600_000_000);
    expect(analysis.conversations.map((c) => [c.id, c.stream, c.packets])).toEqual([[0, 0, 7]]);
    expect(analysis.capture.latePackets).toBe(0);
  });

  it("take a SYN with the same ISN after the close; a SYN with a new ISN starts another", () => {
    const first = new TcpScript().handshake().close();
    const same = new TcpScript({ startUs: first.time + 1000, packets: [...first.packets] }).handshake();
    expect(analysePackets(same.packets).conversations.map((c) => c.packets)).toEqual([9]);
    new TcpScript({ clientIsn: 9000, startUs: first.time + 1000, packets: first.packets }).handshake();
    const reused = analysePackets(first.packets).conversations;
    expect(reused.map((c) => [c.stream, c.packets, c.protocol === "tcp" && c.reusedPorts])).toEqual([
      [0, 6, false],
      [1, 3, true],
    ]);
  });
});

describe("streaming (onConversation)", () => {
  function streamed(packets: ReturnType<typeof mixedCapture>, options: AnalyseOptions = {}) {
    const handed: Conversation[] = [];
    const analyser = createAnalyser({ ...options, onConversation: (c) => handed.push(c) });
    packets.forEach((packet, i) => {
      analyser.add(decodePacket(toRecord(packet.data, i + 1, packet.timeUs), 1));
    });
    const analysis = analyser.finish();
    return { analysis, handed: [...handed].sort((a, b) => a.id - b.id) };
  }

  it("hands over every conversation, as the whole analysis lists them, and keeps none", () => {
    const whole = analysePackets(mixedCapture());
    const { analysis, handed } = streamed(mixedCapture());
    expect(analysis.conversations).toEqual([]);
    expect(handed).toEqual(whole.conversations);
    expect({ ...analysis.capture, conversationsDropped: 0 }).toEqual(whole.capture);
    expect(analysis.overhead).toEqual(whole.overhead);
  });

  it("finishes the least recently active UDP conversations past MAX_UDP_OPEN, numbering like the whole", () => {
    const flows = MAX_UDP_OPEN + 50;
    const packets = Array.from({ length: flows }, (_, i) => udp(C, 20000 + i, C, 5005, "x", T0 + i));
    const whole = analysePackets(packets);
    const { handed } = streamed(packets);
    expect(handed).toEqual(whole.conversations);
    expect(handed.map((c) => c.stream)).toEqual(Array.from({ length: flows }, (_, i) => i));
  });

  it("finishes no UDP conversation for being quiet: a datagram ten minutes later joins it, as in tshark", () => {
    const packets = [
      udp(C, 40000, C, 5005, "a", T0),
      udp(C, 5005, C, 40000, "a", T0 + 10),
      udp(C, 40001, C, 5005, "b", T0 + LONG_QUIET_US + 20),
      udp(C, 40000, C, 5005, "c", T0 + LONG_QUIET_US + 30),
    ];
    const { analysis, handed } = streamed(packets);
    expect(handed.map((c) => [c.id, c.stream, c.client.port, c.packets])).toEqual([
      [0, 0, 40000, 3],
      [1, 1, 40001, 1],
    ]);
    expect(analysis.capture.latePackets).toBe(0);
    expect(handed).toEqual(analysePackets(packets).conversations);
  });

  it("counts a datagram late once its conversation was finished past MAX_UDP_OPEN", () => {
    const packets = Array.from({ length: MAX_UDP_OPEN + 1 }, (_, i) =>
      udp(C, 20000 + i, C, 5005, "x", T0 + i),
    );
    packets.push(udp(C, 20000, C, 5005, "late", T0 + MAX_UDP_OPEN + 10));
    const { analysis, handed } = streamed(packets);
    expect(handed).toHaveLength(MAX_UDP_OPEN + 1);
    expect(analysis.capture.latePackets).toBe(1);
    expect(analysis.overhead.conversations.packets).toBe(MAX_UDP_OPEN + 2);
  });

  it("numbers TCP streams as the whole analysis does past the closed-conversation caps, with late packets counted", () => {
    // Many short connections on one server port, each closed at once; then late packets and a port reuse on
    // the first connection's 4-tuple, long after it was handed over.
    const packets: ReturnType<typeof mixedCapture> = [];
    let time = T0;
    const count = MAX_CLOSED_WAITING + 200;
    for (let i = 0; i < count; i++) {
      const t = new TcpScript({ clientPort: 20000 + i, startUs: time, packets }).handshake().close();
      time = t.time;
    }
    const late = new TcpScript({ clientPort: 20000, startUs: time + LONG_QUIET_US, packets });
    late.c(".", { rel: 2, ack: 5002 }).c("S", { rel: 0 });
    new TcpScript({ clientPort: 20000, clientIsn: 77_000, startUs: late.time + 10, packets }).handshake();
    const whole = analysePackets(packets, { keepPackets: false });
    const { analysis, handed } = streamed(packets, { keepPackets: false });
    expect(handed.map((c) => c.stream)).toEqual(whole.conversations.map((c) => c.stream));
    expect(handed).toHaveLength(count + 1);
    expect(handed.at(-1)).toMatchObject({
      stream: count,
      packets: 3,
      reusedPorts: true,
      firstPacket: 6 * count + 3,
    });
    expect(whole.conversations[0]?.packets).toBe(8);
    expect(analysis.capture.latePackets).toBe(2);
    expect(analysis.overhead).toEqual(whole.overhead);
  });

  it("finds a stray reply from a later flow still held when the request's flow is finished", () => {
    const packets = [udp(C, 40000, C, 5005, "ping", T0), udp(C, 5006, C, 40000, "ping", T0 + 10)];
    // More flows than are held: the request's flow, the least recently active, is finished first.
    for (let i = 0; i < MAX_UDP_OPEN - 1; i++) packets.push(udp(C, 30000 + i, C, 5005, "x", T0 + 20 + i));
    const { handed } = streamed(packets);
    const first = handed[0];
    expect(first?.protocol === "udp" && first.client.port).toBe(40000);
    expect(first?.protocol === "udp" && first.replies.strayReplies.map((s) => s.kind)).toEqual([
      "wrong-source-port",
    ]);
  });

  it("gives UDP rows their payload only while a direction's rows carried fewer than rowPayloadBytes", () => {
    const packets = [0, 1, 2].map((i) => udp(C, 40000, C, 5005, "12345", T0 + i));
    const analysis = analysePackets(packets, { rowPayloadBytes: 10 });
    const rows = analysis.conversations[0]?.timeline ?? [];
    expect(rows.map((r) => (r.protocol === "udp" ? r.payload : "tcp"))).toEqual([
      Buffer.from("12345").toString("base64"),
      Buffer.from("12345").toString("base64"),
      null,
    ]);
  });
});
