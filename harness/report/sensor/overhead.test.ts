import { describe, expect, it } from "vitest";
import { analysePackets, TcpScript, udp } from "../../../test/support/analyse-scenarios.ts";
import { overheadComparison, overheadPerReading } from "./overhead.ts";

// Two 12-byte readings, each answered with 4 bytes, over TCP (handshake, data, an ACK, close) and over UDP.
function tcpRun() {
  const s = new TcpScript().handshake();
  s.c("P.", { payload: "reading-0001" }).s("P.", { payload: "ack1" });
  s.c("P.", { payload: "reading-0002" }).s("P.", { payload: "ack2" });
  s.c(".").close();
  return analysePackets(s.packets).conversations;
}

function udpRun() {
  const c = ["127.0.0.1", 40000, "127.0.0.1", 5005] as const;
  const r = ["127.0.0.1", 5005, "127.0.0.1", 40000] as const;
  return analysePackets([
    udp(...c, "reading-0001", 1_700_000_000_000_000),
    udp(...r, "ack1", 1_700_000_000_000_100),
    udp(...c, "reading-0002", 1_700_000_001_000_000),
    udp(...r, "ack2", 1_700_000_001_000_100),
  ]).conversations;
}

describe("overheadPerReading", () => {
  it("counts every TCP packet (handshake, ACKs, close) against the readings", () => {
    const { data, markdown } = overheadPerReading(tcpRun(), 2, 12);
    // 11 Ethernet frames of 14 + 20 + 20 header bytes, 32 bytes of payload.
    expect(data.packets).toBe(11);
    expect(data.bytes).toEqual({
      readingPayload: 24,
      replyPayload: 8,
      transport: 220,
      network: 220,
      link: 154,
      trailer: 0,
      total: 626,
    });
    expect(data.perReading?.total).toBe(313);
    expect(data.perReading?.transport).toBe(110);
    expect(data.packetsPerReading).toBe(5.5);
    expect(data.ratio).toBeCloseTo(626 / 24);
    expect(markdown).toContain("| application payload: readings | 24 | 12.0 | 3.8 % |");
    expect(markdown).toContain("| **total on the wire** | 626 | 313.0 | 100.0 % |");
    expect(markdown).not.toContain("trailers");
    expect(markdown).toContain("Each reading of 12 bytes cost 313.0 bytes on the wire in 5.50 packets");
    expect(markdown).toContain("26.08 bytes on the wire per byte of reading");
  });

  it("counts UDP datagrams and their replies", () => {
    const { data } = overheadPerReading(udpRun(), 2, 12);
    expect(data.packets).toBe(4);
    expect(data.bytes).toEqual({
      readingPayload: 24,
      replyPayload: 8,
      transport: 32,
      network: 80,
      link: 56,
      trailer: 0,
      total: 200,
    });
    expect(data.perReading?.total).toBe(100);
  });

  it("has no per-reading figures without readings", () => {
    const { data, markdown } = overheadPerReading(tcpRun(), 0, 12);
    expect(data.perReading).toBeNull();
    expect(data.ratio).toBeNull();
    expect(markdown).toContain("No readings were delivered; 11 packets carried 626 bytes.");
  });
});

describe("overheadComparison", () => {
  it("puts the runs side by side, one column each", () => {
    const md = overheadComparison([
      { label: "TCP", data: overheadPerReading(tcpRun(), 2, 12).data },
      { label: "UDP", data: overheadPerReading(udpRun(), 2, 12).data },
    ]);
    const lines = md.split("\n");
    expect(lines[0]).toBe("|  | TCP | UDP |");
    expect(md).toContain("| transport headers (TCP/UDP), bytes per reading | 110.0 | 16.0 |");
    expect(md).toContain("| **total on the wire, bytes per reading** | 313.0 | 100.0 |");
    expect(md).toContain("| packets per reading | 5.50 | 2.00 |");
    expect(md).toContain("| wire bytes per byte of reading | 26.08 | 8.33 |");
  });
});
