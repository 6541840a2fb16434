import { describe, expect, it } from "vitest";
import {
  analysePackets,
  labelsOf,
  SCENARIOS,
  scenario,
  TcpScript,
  tcpOf,
} from "../../test/support/analyse-scenarios.ts";
import { createConversationLabelState, labelSegment } from "./wireshark-labels.ts";

// Each label on the packet that must carry it (the passing case) and on one that must not (the failing one);
// tshark-labels.test.ts checks the same scenarios against tshark itself.
const CASES: ReadonlyArray<{ scenario: string; packet: number; labels: string[] }> = [
  { scenario: "retransmitted range", packet: 7, labels: ["retransmission"] },
  { scenario: "retransmitted range", packet: 5, labels: [] },
  { scenario: "overlapping retransmission", packet: 5, labels: ["retransmission"] },
  { scenario: "overlapping retransmission", packet: 6, labels: ["acked-unseen-segment"] },
  { scenario: "out of order with a gap", packet: 5, labels: ["previous-segment-not-captured"] },
  { scenario: "out of order with a gap", packet: 6, labels: ["out-of-order"] },
  { scenario: "out of order with a gap", packet: 4, labels: [] },
  { scenario: "dup acks and a fast retransmission", packet: 6, labels: [] },
  { scenario: "dup acks and a fast retransmission", packet: 8, labels: ["duplicate-ack"] },
  { scenario: "dup acks and a fast retransmission", packet: 11, labels: ["duplicate-ack"] },
  { scenario: "dup acks and a fast retransmission", packet: 12, labels: ["fast-retransmission"] },
  { scenario: "dup acks and a fast retransmission", packet: 13, labels: [] },
  { scenario: "keep-alive", packet: 6, labels: ["keep-alive"] },
  { scenario: "keep-alive", packet: 7, labels: ["keep-alive-ack"] },
  { scenario: "keep-alive", packet: 5, labels: [] },
  { scenario: "zero window and window update", packet: 5, labels: ["zero-window"] },
  { scenario: "zero window and window update", packet: 6, labels: ["zero-window-probe"] },
  { scenario: "zero window and window update", packet: 7, labels: ["zero-window", "zero-window-probe-ack"] },
  { scenario: "zero window and window update", packet: 8, labels: ["window-update"] },
  { scenario: "zero window and window update", packet: 9, labels: [] },
  { scenario: "window full", packet: 4, labels: ["window-full"] },
  { scenario: "window full", packet: 5, labels: [] },
  { scenario: "SYN retransmitted", packet: 2, labels: ["retransmission"] },
  { scenario: "SYN retransmitted", packet: 1, labels: [] },
];

describe("Wireshark's labels", () => {
  it.each(CASES)("$scenario: packet $packet is labelled $labels", ({ scenario: name, packet, labels }) => {
    const conversation = tcpOf(analysePackets(scenario(name)));
    expect([...labelsOf(conversation, packet)].sort()).toEqual([...labels].sort());
  });

  it("labels nothing in a clean echo", () => {
    const conversation = tcpOf(analysePackets(scenario("clean echo")));
    expect(conversation.timeline?.flatMap((row) => (row.protocol === "tcp" ? row.labels : []))).toEqual([]);
    expect(Object.values(conversation.labels).every((count) => count === 0)).toBe(true);
  });

  it("numbers duplicate ACKs and names the frame they repeat", () => {
    const conversation = tcpOf(analysePackets(scenario("dup acks and a fast retransmission")));
    const dups = conversation.timeline?.flatMap((row) =>
      row.protocol === "tcp" && row.duplicateAck !== null
        ? [[row.number, row.duplicateAck.number, row.duplicateAck.of]]
        : [],
    );
    expect(dups).toEqual([
      [8, 1, 6],
      [10, 2, 6],
      [11, 3, 6],
    ]);
    expect(conversation.labels["duplicate-ack"]).toBe(3);
    expect(conversation.labels["fast-retransmission"]).toBe(1);
  });

  it("calls a late segment out-of-order only within the iRTT (or 3 ms), else a retransmission", () => {
    const make = (gapUs: number) => {
      const t = new TcpScript().handshake();
      t.c(".", { payload: "AAAA" })
        .c(".", { rel: 9, payload: "CCCC", dt: 10 })
        .c(".", { rel: 5, payload: "BBBB", dt: gapUs });
      return labelsOf(tcpOf(analysePackets(t.packets)), 6);
    };
    // The handshake's iRTT is 200 µs (SYN at +100, ACK at +300).
    expect(make(150)).toEqual(["out-of-order"]);
    expect(make(250)).toEqual(["retransmission"]);
  });

  it("calls a resend of data already ACKed spurious, not out-of-order", () => {
    const conversation = tcpOf(analysePackets(scenario("spurious retransmission")));
    expect(labelsOf(conversation, 6)).toEqual(["spurious-retransmission"]);
    expect(labelsOf(conversation, 4)).toEqual([]);
  });

  it("labels a resent FIN a retransmission", () => {
    const conversation = tcpOf(analysePackets(scenario("FIN retransmitted")));
    expect(labelsOf(conversation, 5)).toEqual(["retransmission"]);
  });

  it("reads sequence numbers modulo 2^32", () => {
    const conversation = tcpOf(analysePackets(scenario("sequence numbers wrap")));
    expect(conversation.timeline?.flatMap((row) => (row.protocol === "tcp" ? row.labels : []))).toEqual([]);
  });

  it("treats an unsigned −1 dup-ACK count as two or more, as Wireshark's guint32 does", () => {
    const conversation = tcpOf(analysePackets(scenario("ACKed unseen segment, then a resend")));
    expect(labelsOf(conversation, 5)).toEqual(["acked-unseen-segment"]);
    expect(labelsOf(conversation, 7)).toEqual(["fast-retransmission"]);
  });

  it("keeps the state of both directions", () => {
    const state = createConversationLabelState();
    const segment = (dir: 0 | 1, seq: number, ack: number, flags: number, seglen: number, number: number) =>
      labelSegment(state, dir, {
        number,
        timeNs: 1000 * number,
        atEpoch: false,
        headerCut: false,
        seq,
        ack,
        seglen,
        flags,
        window: 100,
        windowScale: 7,
      });
    segment(0, 100, 0, 0x02, 0, 1); // SYN with window scale 7
    segment(1, 500, 101, 0x12, 0, 2); // SYN/ACK with window scale 7
    segment(0, 101, 501, 0x10, 10, 3); // data
    expect(state.flows[0]).toMatchObject({ baseSeq: 100, nextseq: 111, lastack: 501, winScale: 7 });
    expect(state.flows[1]).toMatchObject({ baseSeq: 500, nextseq: 501, lastack: 101, winScale: 7 });
    expect(state.firstRttNs).toBe(2000);
  });

  it("has a scenario for every behaviour it compares with tshark", () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(14);
  });
});
