import { describe, expect, it } from "vitest";
import { analysePackets, scenario, TcpScript, tcpOf } from "../../test/support/analyse-scenarios.ts";
import { toCutRecord } from "../decode/build.ts";
import { decodePacket } from "../decode/index.ts";
import { createAnalyser } from "./analyser.ts";
import { completenessBits, completenessSummary, packetKind } from "./tcp-conversation.ts";

const text = (base64: string | null) => Buffer.from(base64 ?? "", "base64").toString("latin1");

describe("TCP conversation facts", () => {
  it("acknowledges every byte both ways in a clean echo and rebuilds both streams", () => {
    const c = tcpOf(analysePackets(scenario("clean echo")));
    for (const direction of [c.c2s, c.s2c]) {
      expect(direction.acked).toMatchObject({
        allAcked: true,
        unackedBytes: 0,
        synAcked: true,
        finAcked: true,
      });
      expect(direction.stream).toMatchObject({ length: 5, intact: true, gaps: [] });
      expect(text(direction.stream.base64)).toBe("hello");
    }
    expect(c.c2s.stream.sha256).toBe(c.s2c.stream.sha256);
    expect(c.c2s.acked.highestAck).toBe(7);
    expect(c.completeness).toEqual({ value: 31, flags: ["syn", "syn-ack", "ack", "data", "fin"] });
  });

  it("reports an unacknowledged tail", () => {
    const c = tcpOf(analysePackets(scenario("unacked tail")));
    expect(c.c2s.acked).toMatchObject({
      allAcked: false,
      unackedBytes: 50,
      highestAck: 101,
      highestAckPacket: 5,
    });
    expect(c.s2c.acked.allAcked).toBe(true);
  });

  it("names a byte range sent twice and the packets that sent it", () => {
    const c = tcpOf(analysePackets(scenario("retransmitted range")));
    expect(c.c2s).toMatchObject({
      payloadBytes: 300,
      uniqueBytes: 200,
      retransmittedBytes: 100,
      retransmittedPackets: 1,
    });
    expect(c.c2s.retransmissions).toEqual([
      { kind: "data", from: 101, to: 201, bytes: 100, packet: 7, originalPackets: [5], alreadyAcked: false },
    ]);
    expect(c.c2s.stream).toMatchObject({ length: 200, overlapBytes: 100, intact: true });
  });

  it("counts no retransmission when nothing was sent twice", () => {
    const c = tcpOf(analysePackets(scenario("clean echo")));
    expect(c.c2s).toMatchObject({ retransmittedBytes: 0, retransmittedPackets: 0, retransmissions: [] });
  });

  it("trims an overlapping retransmission to the bytes sent before", () => {
    const c = tcpOf(analysePackets(scenario("overlapping retransmission")));
    expect(c.c2s.retransmissions).toEqual([
      { kind: "data", from: 51, to: 101, bytes: 50, packet: 5, originalPackets: [4], alreadyAcked: false },
    ]);
    expect(c.c2s).toMatchObject({ uniqueBytes: 150, retransmittedBytes: 50 });
    expect(c.c2s.stream).toMatchObject({ length: 150, overlapBytes: 50, intact: true });
  });

  it("queues out-of-order data, rebuilds the stream in order and reports the gap", () => {
    const c = tcpOf(analysePackets(scenario("out of order with a gap")));
    expect(text(c.c2s.stream.base64)).toBe("AAAABBBBCCCCEEEE");
    expect(c.c2s.stream).toMatchObject({
      gaps: [{ from: 13, to: 17 }],
      intact: false,
      outOfOrderSegments: 2,
    });
  });

  it("marks a fast retransmission after duplicate ACKs and fills the hole it left", () => {
    const c = tcpOf(analysePackets(scenario("dup acks and a fast retransmission")));
    expect(c.labels).toMatchObject({
      "duplicate-ack": 3,
      "fast-retransmission": 1,
      "previous-segment-not-captured": 1,
    });
    expect(c.c2s.stream).toMatchObject({ length: 500, intact: true });
    expect(c.c2s.retransmittedBytes).toBe(0);
    expect(text(c.c2s.stream.base64)).toBe(["1", "2", "3", "4", "5"].map((d) => d.repeat(100)).join(""));
  });

  it("counts zero-window advertisements and scales windows once the scale is known", () => {
    const zero = tcpOf(analysePackets(scenario("zero window and window update")));
    expect(zero.s2c.window).toMatchObject({ zeroWindowPackets: 2, min: 0, max: 65535, scale: null });
    const scaled = tcpOf(analysePackets(scenario("clean echo")));
    expect(scaled.c2s.window).toMatchObject({
      scale: 7,
      first: 65535,
      min: 65535 * 128,
      zeroWindowPackets: 0,
    });
  });

  it("reports a reset by the server after client data it never answered", () => {
    const c = tcpOf(analysePackets(scenario("server resets after client data")));
    expect(c.close).toEqual({
      state: "reset",
      initiator: null,
      clientFin: null,
      serverFin: null,
      rst: {
        by: "server",
        packet: 5,
        timeUs: c.lastTimeUs,
        seq: 1,
        phase: "established",
        unansweredPeerBytes: 11,
        peerBytesUnacked: 0,
        count: 1,
      },
    });
    expect(c.completeness.flags).toContain("rst");
  });

  it("reports a FIN each way, each acknowledged, and by which packet", () => {
    const c = tcpOf(analysePackets(scenario("clean echo")));
    expect(c.close.state).toBe("graceful");
    expect(c.close.initiator).toBe("client");
    expect(c.close.clientFin).toMatchObject({ packet: 7, seq: 6, acked: true, ackPacket: 8 });
    expect(c.close.serverFin).toMatchObject({ packet: 8, seq: 6, acked: true, ackPacket: 9 });
  });

  it("reports a FIN never acknowledged", () => {
    const c = tcpOf(analysePackets(scenario("FIN not acked")));
    expect(c.close.state).toBe("half-closed");
    expect(c.close.clientFin).toMatchObject({ packet: 6, acked: false, ackPacket: null });
    expect(c.c2s.acked).toMatchObject({ finAcked: false, allAcked: false, unackedBytes: 1 });
  });

  it("counts a resent FIN", () => {
    const c = tcpOf(analysePackets(scenario("FIN retransmitted")));
    expect(c.close.clientFin).toMatchObject({ packet: 4, retransmissions: 1, acked: true, ackPacket: 6 });
    expect(c.c2s.retransmissions).toEqual([
      { kind: "fin", from: 1, to: 2, bytes: 0, packet: 5, originalPackets: [], alreadyAcked: false },
    ]);
  });

  it("reports a connection still open at the end", () => {
    const c = tcpOf(analysePackets(scenario("unacked tail")));
    expect(c.close).toMatchObject({ state: "open", clientFin: null, serverFin: null, rst: null });
  });

  it("starts a new conversation when a SYN reuses the ports with a new ISN", () => {
    const analysis = analysePackets(scenario("port reuse with a new ISN"));
    expect(analysis.conversations.map((c) => [c.id, c.stream, c.firstPacket, c.packets])).toEqual([
      [0, 0, 1, 8],
      [1, 1, 9, 8],
    ]);
    const second = tcpOf(analysis, 1);
    expect(second.reusedPorts).toBe(true);
    expect(second.handshake).toMatchObject({ complete: true, syn: { isn: 90_000 }, synAck: { isn: 70_000 } });
    expect(text(second.c2s.stream.base64)).toBe("two");
    expect(tcpOf(analysis, 0).reusedPorts).toBe(false);
  });

  it("keeps one conversation when a SYN is resent with the same ISN", () => {
    const analysis = analysePackets(scenario("SYN retransmitted"));
    expect(analysis.conversations).toHaveLength(1);
    expect(tcpOf(analysis).handshake).toMatchObject({ complete: true, synRetransmissions: 1 });
  });

  it("counts relative sequence numbers across the 2^32 wrap", () => {
    const c = tcpOf(analysePackets(scenario("sequence numbers wrap")));
    expect(c.c2s).toMatchObject({ isn: 0xffffff00, nextSeq: 202, uniqueBytes: 200, retransmittedBytes: 0 });
    expect(c.c2s.acked).toMatchObject({ allAcked: true, highestAck: 202 });
    expect(c.s2c.acked).toMatchObject({ allAcked: true, highestAck: 42 });
    expect(c.c2s.stream).toMatchObject({ length: 200, intact: true });
    expect(c.close.state).toBe("graceful");
    const seqs = c.timeline?.map((row) => (row.protocol === "tcp" ? row.seq : -1));
    expect(seqs).toEqual([0, 0, 1, 1, 1, 201, 201, 41, 202]);
  });

  it("numbers timeline rows relative to the capture and previews payloads", () => {
    const c = tcpOf(analysePackets(scenario("clean echo")));
    const row = c.timeline?.[3];
    expect(row).toMatchObject({
      protocol: "tcp",
      number: 4,
      relativeUs: 300,
      relativeSeconds: 0.0003,
      direction: "c2s",
      flags: "P.",
      seq: 1,
      ack: 1,
      payloadLength: 5,
      labels: [],
      duplicateAck: null,
      preview: { text: "hello", hex: "68656c6c6f", truncated: false },
    });
    expect(row?.summary).toContain("Flags [P.]");
    expect(c.timeline?.[0]).toMatchObject({ flags: "S", ack: null, direction: "c2s" });
  });
});

describe("completeness", () => {
  it.each([
    [0x02, 0, 0],
    [0x12, 0, 2],
    [0x10, 0, 4],
    [0x18, 10, 8],
    [0x11, 0, 16 | 4],
    [0x01, 0, 0],
    [0x14, 0, 32 | 4],
  ])("flags %i with %i bytes add %i", (flags, seglen, bits) => {
    expect(completenessBits(flags, seglen)).toBe(bits);
  });

  it("names the bits", () => {
    expect(completenessSummary(47).flags).toEqual(["syn", "syn-ack", "ack", "data", "rst"]);
  });

  it("counts the first packet of a conversation that did not open with a SYN from its second packet on", () => {
    // tshark's second pass dissects the first packet again, as part of a known conversation.
    const t = new TcpScript();
    t.c(".", { payload: "mid-stream" });
    expect(tcpOf(analysePackets(t.packets)).completeness.value).toBe(0);
    t.s(".");
    expect(tcpOf(analysePackets(t.packets)).completeness.value).toBe(8 | 4);
    expect(tcpOf(analysePackets(new TcpScript().s("S.").c(".").packets)).completeness.value).toBe(2 | 4);
  });
});

describe("packet kinds for overhead", () => {
  it.each([
    [0x02, 0, false, "tcp-handshake"],
    [0x12, 0, false, "tcp-handshake"],
    [0x10, 0, true, "tcp-handshake"],
    [0x10, 0, false, "tcp-ack"],
    [0x18, 5, false, "tcp-data"],
    [0x11, 0, false, "tcp-fin"],
    [0x19, 5, false, "tcp-data"],
    [0x14, 0, false, "tcp-rst"],
  ])("flags %i, %i bytes, completes handshake %s → %s", (flags, seglen, completes, kind) => {
    expect(packetKind(flags, seglen, completes)).toBe(kind);
  });
});

describe("packets whose TCP header the snap length cut", () => {
  // Analysed with the cut packets, as a capture with that snap length holds them.
  function analyseCut(packets: { timeUs: number; data: Uint8Array }[], snapLength: number) {
    const analyser = createAnalyser();
    for (const [i, p] of packets.entries())
      analyser.add(decodePacket(toCutRecord(p.data, snapLength, i + 1, p.timeUs), 1));
    return analyser.finish();
  }
  const options = { mss: 1460, sackPermitted: true, timestamp: [1, 0] as [number, number], windowScale: 7 };

  it("show no labels and no reused ports, as tshark stops inside their options", () => {
    const first = new TcpScript().handshake(options).c("P.", { payload: "one" }).close();
    const t = new TcpScript({ clientIsn: 9000, startUs: first.time + 10, packets: first.packets });
    t.handshake(options).c(".", { rel: 1, payload: "one", options: { timestamp: [2, 1] } });
    const whole = analysePackets(t.packets).conversations;
    expect(whole.map((c) => c.protocol === "tcp" && c.reusedPorts)).toEqual([false, true]);
    // 14 + 20 + 20 + 12: the TCP header of a segment with timestamps is whole; a SYN's options are cut.
    const cut = analyseCut(t.packets, 66).conversations;
    expect(cut.map((c) => [c.stream, c.protocol === "tcp" && c.reusedPorts])).toEqual([
      [0, false],
      [1, false],
    ]);
    const labels = (c: (typeof cut)[number] | undefined) =>
      (c?.timeline ?? []).map((r) => (r.protocol === "tcp" ? r.labels : []));
    expect(labels(whole[1])).toEqual([["reused-ports"], [], [], []]);
    expect(labels(cut[1])).toEqual([[], [], [], []]);
    const rows = cut[1]?.timeline ?? [];
    expect(rows[0]?.protocol === "tcp" && rows[0].seq).toBe(0);
  });
});
