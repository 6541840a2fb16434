// End to end over the real fixture captures (fixtures/captures/README.md): read, decode, analyse.

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyseCapture } from "./analyse-capture.ts";
import type { CaptureAnalysis, TcpConversation, UdpConversation } from "./types.ts";

const FIXTURES = join(import.meta.dirname, "../../fixtures/captures");
const fixture = (name: string) => join(FIXTURES, name);
const tcp = (a: CaptureAnalysis) => a.conversations.filter((c): c is TcpConversation => c.protocol === "tcp");
const udp = (a: CaptureAnalysis) => a.conversations.filter((c): c is UdpConversation => c.protocol === "udp");
const text = (base64: string | null) => Buffer.from(base64 ?? "", "base64").toString("latin1");

// A TCP echo: handshake complete, every byte ACKed, FIN both ways ACKed, the echo equal to the request.
function expectCleanEcho(c: TcpConversation, message: string): void {
  expect(c.handshake.complete).toBe(true);
  expect(c.handshake.findings).toEqual([]);
  for (const direction of [c.c2s, c.s2c]) {
    expect(direction.acked).toMatchObject({
      allAcked: true,
      unackedBytes: 0,
      synAcked: true,
      finAcked: true,
    });
    expect(direction.stream).toMatchObject({ intact: true, length: message.length });
    expect(direction.retransmittedBytes).toBe(0);
  }
  expect(text(c.c2s.stream.base64)).toBe(message);
  expect(c.s2c.stream.sha256).toBe(c.c2s.stream.sha256);
  expect(c.close.state).toBe("graceful");
  expect(c.close.clientFin?.acked).toBe(true);
  expect(c.close.serverFin?.acked).toBe(true);
  expect(c.completeness.value).toBe(31);
}

describe("fixture captures end to end", () => {
  it("tcp-echo: a complete, fully acknowledged echo closed by a FIN each way", async () => {
    const analysis = await analyseCapture(fixture("tcp-echo.pcap"));
    expect(tcp(analysis)).toHaveLength(1);
    expectCleanEcho(tcp(analysis)[0]!, "Hello, world");
    expect(analysis.capture.ignored).toMatchObject({ marker: 1, markerIcmp: 1, total: 2 });
    // 10 frames on Linux lo with TCP timestamps: 2 × 74 (SYN, SYN/ACK) + 8 × 66 = 676 header bytes.
    expect(tcp(analysis)[0]!.overhead.total).toMatchObject({ packets: 10, headers: 676, payload: 24 });
  });

  it("ipv6-tcp-echo: the same over ::1", async () => {
    const analysis = await analyseCapture(fixture("ipv6-tcp-echo.pcap"));
    const [c] = tcp(analysis);
    expect(c?.ipVersion).toBe(6);
    expectCleanEcho(c!, "Hello, world");
  });

  it("udp-echo: every datagram answered, to the exact source address and port", async () => {
    const analysis = await analyseCapture(fixture("udp-echo.pcap"));
    const [flow] = udp(analysis);
    expect(udp(analysis)).toHaveLength(1);
    expect(flow?.replies).toMatchObject({
      repliedToSource: true,
      unansweredRequests: 0,
      pairCount: 3,
      strayReplies: [],
    });
    expect(flow?.c2s.sizes).toEqual(flow?.s2c.sizes);
    expect(flow?.server.port).toBe(5005);
  });

  it("tcp-loss: bytes resent yet the upload arrives whole and acknowledged", async () => {
    const analysis = await analyseCapture(fixture("tcp-loss.pcap"), { keepPackets: false });
    const [c] = tcp(analysis);
    expect(c?.c2s.retransmittedBytes).toBeGreaterThan(0);
    expect(c?.c2s.retransmissions.length).toBeGreaterThan(0);
    expect(c?.c2s.stream).toMatchObject({ length: 300_000, intact: true });
    expect(c?.c2s.uniqueBytes).toBe(300_000);
    expect(c?.c2s.acked.allAcked).toBe(true);
    expect(c?.labels["duplicate-ack"]).toBeGreaterThan(0);
  });

  it.each([
    ["wireshark.pcapng", "pcapng", "ethernet"],
    ["nanosecond.pcap", "pcap-ns", "ethernet"],
    ["any-sll2.pcap", "pcap", "linux-sll2"],
    ["macos-null.pcap", "pcap", "null"],
    ["macos-loop.pcap", "pcap", "loop"],
    ["raw-ip.pcap", "pcap", "raw"],
  ])("%s: read as %s with link type %s, every TCP echo clean", async (name, format, linkType) => {
    const analysis = await analyseCapture(fixture(name));
    expect(analysis.capture).toMatchObject({ format, linkType, file: fixture(name) });
    for (const c of tcp(analysis)) expectCleanEcho(c, "Hello, world");
    for (const flow of udp(analysis))
      expect(flow.replies).toMatchObject({ repliedToSource: true, unansweredRequests: 0 });
  });

  const captures = readdirSync(FIXTURES).filter((name) => /\.(pcap|pcapng)$/.test(name));
  it.each(captures)("%s: overhead parts add up to the capture's bytes", async (name) => {
    const analysis = await analyseCapture(fixture(name));
    const { overhead, capture } = analysis;
    expect(overhead.total.total).toBe(capture.bytes);
    expect(overhead.total.packets).toBe(capture.packets);
    const conversations = analysis.conversations.reduce((sum, c) => sum + c.overhead.total.total, 0);
    expect(conversations + overhead.ignored.total).toBe(capture.bytes);
    const t = overhead.total;
    expect(t.link + t.network + t.transport + t.payload + t.trailer).toBe(capture.bytes);
    expect(capture.problems.packets).toBe(0);
  });
});
