import { describe, expect, it } from "vitest";
import { TcpScript } from "../../test/support/analyse-scenarios.ts";
import { decodePacket, toRecord } from "../decode/index.ts";
import type { ConversationContext } from "./conversation-context.ts";
import { endpointKey } from "./flow-key.ts";
import type { TcpConversationState } from "./tcp-conversation.ts";
import { createTcpTable, type EvictionLimits } from "./tcp-table.ts";

const context: ConversationContext = {
  captureStartUs: 0,
  relativeNs: (packet) => packet.timeUs * 1000 + packet.nanos,
  streamOptions: { keepBytes: 0, hash: false },
  rowPayloadBytes: 0,
  keepTimeline: false,
  takeRow: () => false,
};

// Feeds built packets to a table; returns the retired conversations as [stream, packets, firstPacket].
function run(packets: { timeUs: number; data: Uint8Array }[], limits: EvictionLimits | null = null) {
  const retired: TcpConversationState[] = [];
  let next = 0;
  const table = createTcpTable(
    context,
    () => next++,
    (state) => retired.push(state),
    limits,
  );
  const late: number[] = [];
  packets.forEach((p, i) => {
    const packet = decodePacket(toRecord(p.data, i + 1, p.timeUs), 1);
    if (packet.transport?.protocol !== "tcp") throw new Error("not TCP");
    const placed = table.add(
      packet,
      packet.transport,
      endpointKey(packet, "src"),
      endpointKey(packet, "dst"),
      true,
    );
    if (placed === "late") late.push(packet.number);
  });
  const beforeFinish = retired.length;
  table.finish();
  return { beforeFinish, late, retired: retired.map((s) => [s.stream, s.packets, s.firstPacket]) };
}

// Three connections on different ports, each closed right away.
function threeClosed() {
  const packets: { timeUs: number; data: Uint8Array }[] = [];
  let time = 1_700_000_000_000_000;
  for (const port of [41000, 41001, 41002]) {
    const t = new TcpScript({ clientPort: port, startUs: time, packets }).handshake().close();
    time = t.time;
  }
  return packets;
}

describe("TCP conversation table", () => {
  it("finishes every conversation exactly once, at the end when nothing closed long ago", () => {
    const { beforeFinish, retired } = run(threeClosed());
    expect(beforeFinish).toBe(0);
    expect(retired).toEqual([
      [0, 6, 1],
      [1, 6, 7],
      [2, 6, 13],
    ]);
  });

  it("finishes the longest-closed conversations early when too many wait", () => {
    const { beforeFinish, retired } = run(threeClosed(), { closedAfterUs: 120_000_000, maxClosedWaiting: 1 });
    expect(beforeFinish).toBe(1);
    expect(retired.map(([stream]) => stream)).toEqual([0, 1, 2]);
  });

  it("finishes a closed conversation once quiet long enough", () => {
    const { beforeFinish } = run(threeClosed(), { closedAfterUs: 100, maxClosedWaiting: 100 });
    expect(beforeFinish).toBe(2);
  });

  it("finishes nothing early without limits, however long a closed conversation is quiet", () => {
    const t = new TcpScript().handshake().close();
    t.c(".", { dt: 3_600_000_000 });
    const { beforeFinish, late, retired } = run(t.packets);
    expect([beforeFinish, late, retired]).toEqual([0, [], [[0, 7, 1]]]);
  });

  it("keeps a tombstone of a finished conversation: a later packet is late, a SYN with a new ISN starts another", () => {
    const t = new TcpScript().handshake().close();
    t.s(".", { dt: 1000 }); // 7: late, from the server
    t.c("S", { rel: 0, dt: 10 }); // 8: late, the old ISN
    new TcpScript({ clientIsn: 9000, startUs: t.time + 10, packets: t.packets }).handshake(); // 9–11
    const { late, retired } = run(t.packets, { closedAfterUs: 500, maxClosedWaiting: 100 });
    expect(late).toEqual([7, 8]);
    expect(retired).toEqual([
      [0, 6, 1],
      [1, 3, 9],
    ]);
  });

  it("judges a SYN by the tombstone's base of the SYN's own direction", () => {
    const t = new TcpScript().handshake().close();
    // The server's SYN with the client's ISN: a new ISN for the server's direction.
    t.s("S", { seq: 1000, dt: 1000 });
    const { late, retired } = run(t.packets, { closedAfterUs: 500, maxClosedWaiting: 100 });
    expect([late, retired.length]).toEqual([[], 2]);
  });

  it("finishes the old conversation when a SYN reuses its ports", () => {
    const first = new TcpScript().handshake().close();
    new TcpScript({ clientIsn: 9_000, startUs: first.time, packets: first.packets }).handshake();
    const { beforeFinish, retired } = run(first.packets);
    expect(beforeFinish).toBe(1);
    expect(retired).toEqual([
      [0, 6, 1],
      [1, 3, 7],
    ]);
  });
});
