import { describe, expect, it } from "vitest";
import { analysePackets, T0, udp, udpOf } from "../../test/support/analyse-scenarios.ts";

const C = "127.0.0.1";

describe("UDP conversations", () => {
  it("counts datagrams per direction and pairs each reply with its request", () => {
    const analysis = analysePackets([
      udp(C, 40000, C, 5005, "ping 1", T0),
      udp(C, 5005, C, 40000, "ping 1", T0 + 80),
      udp(C, 40000, C, 5005, "ping 22", T0 + 200),
      udp(C, 5005, C, 40000, "ping 22", T0 + 290),
    ]);
    const flow = udpOf(analysis);
    expect(flow).toMatchObject({
      client: { address: C, port: 40000 },
      server: { address: C, port: 5005 },
      packets: 4,
      c2s: { datagrams: 2, payloadBytes: 13, minSize: 6, maxSize: 7, sizes: [6, 7], packetNumbers: [1, 3] },
      s2c: { datagrams: 2, sizes: [6, 7], packetNumbers: [2, 4] },
    });
    expect(flow.replies).toEqual({
      pairs: [
        { request: 1, reply: 2, delayUs: 80 },
        { request: 3, reply: 4, delayUs: 90 },
      ],
      pairCount: 2,
      unansweredRequests: 0,
      repliedToSource: true,
      strayReplies: [],
    });
    expect(flow.overhead.total).toMatchObject({ packets: 4, payload: 26, headers: 4 * 42 });
    expect(flow.overhead.noPayloadPackets).toBe(0);
    // Each datagram's whole payload is kept (base64) for decoding students' binary messages.
    expect(
      flow.timeline?.map((r) =>
        r.protocol === "udp" ? Buffer.from(r.payload ?? "", "base64").toString() : "",
      ),
    ).toEqual(["ping 1", "ping 1", "ping 22", "ping 22"]);
  });

  it("keeps no datagram payloads when streams are not kept", () => {
    const analysis = analysePackets([udp(C, 40000, C, 5005, "ping", T0)], { keepStreams: false });
    expect(udpOf(analysis).timeline?.[0]).toMatchObject({ protocol: "udp", payload: null });
  });

  it("finds a reply sent to the wrong port", () => {
    const analysis = analysePackets([
      udp(C, 40000, C, 5005, "hello", T0),
      udp(C, 5005, C, 40001, "hello", T0 + 50),
    ]);
    expect(analysis.conversations).toHaveLength(2);
    const request = udpOf(analysis, 0);
    expect(request.replies).toMatchObject({ repliedToSource: false, unansweredRequests: 1, pairCount: 0 });
    expect(request.replies.strayReplies).toEqual([
      {
        conversation: 1,
        stream: 1,
        from: { address: C, port: 5005 },
        to: { address: C, port: 40001 },
        datagrams: 1,
        firstPacket: 2,
        kind: "wrong-destination-port",
      },
    ]);
    expect(udpOf(analysis, 1).replies.strayReplies).toEqual([]);
  });

  it("finds a reply sent from another port", () => {
    const analysis = analysePackets([
      udp(C, 40000, C, 5005, "hello", T0),
      udp(C, 6006, C, 40000, "hello", T0 + 50),
    ]);
    expect(udpOf(analysis, 0).replies.strayReplies).toMatchObject([
      { kind: "wrong-source-port", conversation: 1 },
    ]);
  });

  it("finds no stray reply when the server answers the exact source", () => {
    const analysis = analysePackets([
      udp(C, 40000, C, 5005, "hello", T0),
      udp(C, 5005, C, 40000, "hello", T0 + 50),
      udp("10.0.0.1", 40000, C, 5005, "other client", T0 + 60),
    ]);
    expect(udpOf(analysis, 0).replies).toMatchObject({ repliedToSource: true, strayReplies: [] });
  });
});
