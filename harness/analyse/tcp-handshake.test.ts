import { describe, expect, it } from "vitest";
import { analysePackets, scenario, TcpScript, tcpOf } from "../../test/support/analyse-scenarios.ts";

const LINUX = { mss: 65495, sackPermitted: true, timestamp: [1, 0] as [number, number], windowScale: 7 };

describe("three-way handshake", () => {
  it("validates a clean handshake field by field and records the SYN options", () => {
    const handshake = tcpOf(analysePackets(scenario("clean echo"))).handshake;
    expect(handshake).toMatchObject({
      complete: true,
      syn: { packet: 1, isn: 1000 },
      synAck: { packet: 2, isn: 5000, ack: 1001 },
      ack: { packet: 3, seq: 1001, ack: 5001 },
      initialRttUs: 200,
      findings: [],
    });
    expect(handshake.syn?.options).toEqual({
      mss: 65495,
      windowScale: 7,
      sackPermitted: true,
      timestamps: true,
      optionBytes: 20,
      kinds: [2, 4, 8, 1, 3],
    });
  });

  it("says what the SYN/ACK should have acknowledged", () => {
    const handshake = tcpOf(analysePackets(scenario("wrong SYN/ACK ack"))).handshake;
    expect(handshake.complete).toBe(false);
    expect(handshake.findings).toEqual([
      {
        code: "wrong-syn-ack-ack",
        packet: 2,
        field: "ack",
        expected: 1001,
        seen: 1000,
        message:
          "expected the SYN/ACK (packet 2) to acknowledge the client's ISN + 1 (1001), but its ack is 1000 (1 too low)",
      },
    ]);
  });

  it.each([
    ["seq", { seq: 1000 }, "wrong-ack-seq", 1001, 1000],
    ["ack", { ack: 5002 }, "wrong-ack-ack", 5001, 5002],
  ] as const)("checks the final ACK's %s", (_field, override, code, expected, seen) => {
    const t = new TcpScript().c("S").s("S.").c(".", override);
    const handshake = tcpOf(analysePackets(t.packets)).handshake;
    expect(handshake.complete).toBe(false);
    expect(handshake.findings).toMatchObject([{ code, packet: 3, expected, seen }]);
  });

  it("reports a SYN never answered", () => {
    const handshake = tcpOf(analysePackets(new TcpScript().c("S", { options: LINUX }).packets)).handshake;
    expect(handshake.findings).toMatchObject([
      { code: "missing-syn-ack", packet: null, expected: "S.", seen: null },
    ]);
    expect(handshake.synAck).toBeNull();
  });

  it("reports a SYN/ACK never acknowledged", () => {
    const handshake = tcpOf(analysePackets(new TcpScript().c("S").s("S.").packets)).handshake;
    expect(handshake.findings).toMatchObject([{ code: "missing-ack", packet: null }]);
    expect(handshake.initialRttUs).toBeNull();
  });

  it("reports a server that resets instead of answering", () => {
    const analysis = analysePackets(new TcpScript().c("S").s("R.", { ack: 1001 }).packets);
    const c = tcpOf(analysis);
    expect(c.handshake.findings).toMatchObject([{ code: "reset-during-handshake", packet: 2, seen: "R." }]);
    expect(c.close.rst).toMatchObject({ by: "server", phase: "handshake" });
  });

  it("reports a conversation that does not start with a SYN", () => {
    const t = new TcpScript();
    t.c("P.", { payload: "late capture" }).s(".");
    const handshake = tcpOf(analysePackets(t.packets)).handshake;
    expect(handshake.findings).toMatchObject([{ code: "no-syn", packet: 1, expected: "S", seen: "P." }]);
    expect(handshake.syn).toBeNull();
  });

  it("takes the receiver of a lone SYN/ACK as the client", () => {
    const t = new TcpScript().s("S.", { ack: 1001 }).c(".");
    const c = tcpOf(analysePackets(t.packets));
    expect(c.client.port).toBe(41000);
    expect(c.server.port).toBe(65432);
    expect(c.handshake.findings.map((f) => f.code)).toEqual(["no-syn"]);
  });

  it("counts resent SYNs and SYN/ACKs without calling them wrong", () => {
    const t = new TcpScript().c("S").c("S", { rel: 0 }).s("S.").s("S.", { rel: 0 }).c(".");
    const handshake = tcpOf(analysePackets(t.packets)).handshake;
    expect(handshake).toMatchObject({
      complete: true,
      synRetransmissions: 1,
      synAckRetransmissions: 1,
      findings: [],
    });
  });
});
