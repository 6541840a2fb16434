// Generates a large, realistic TCP capture for the benchmark: many echo-style connections interleaved
// (handshake, request/echo/ACK rounds, a retransmission now and then, orderly close), deterministic from a seed.

import { PcapWriter } from "../harness/capture/pcap-writer.ts";
import { buildTcp, linkTypeCode } from "../harness/decode/build.ts";

export interface GenerateOptions {
  /** Total packets to write (rounded to whole connections). */
  readonly packets: number;
  /** Packets per connection (≥ 12). */
  readonly perConnection?: number;
  /** How many connections are open at once, interleaved packet by packet. */
  readonly concurrent?: number;
  readonly seed?: number;
}

interface Connection {
  readonly script: Uint8Array[];
  next: number;
}

/** A small seeded PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The packets of one connection, in order: 3 handshake, rounds of (request, echo, ACK), 4 to close.
function connectionScript(index: number, perConnection: number, random: () => number): Uint8Array[] {
  const client = "127.0.0.1";
  const server = "127.0.0.1";
  const sport = 20000 + (index % 40000);
  const dport = 65432;
  let cseq = Math.floor(random() * 0xffffffff) >>> 0;
  let sseq = Math.floor(random() * 0xffffffff) >>> 0;
  const c = (flags: string, payload?: Uint8Array, seq = cseq) =>
    buildTcp({ src: client, dst: server, sport, dport, seq, ack: sseq, flags, window: 512, payload });
  const s = (flags: string, payload?: Uint8Array, seq = sseq) =>
    buildTcp({
      src: server,
      dst: client,
      sport: dport,
      dport: sport,
      seq,
      ack: cseq,
      flags,
      window: 512,
      payload,
    });
  const out: Uint8Array[] = [];
  out.push(
    buildTcp({
      src: client,
      dst: server,
      sport,
      dport,
      seq: cseq,
      flags: "S",
      window: 65495,
      options: { mss: 65495, sackPermitted: true, timestamp: [index, 0], windowScale: 7 },
    }),
  );
  cseq = (cseq + 1) >>> 0;
  out.push(
    buildTcp({
      src: server,
      dst: client,
      sport: dport,
      dport: sport,
      seq: sseq,
      ack: cseq,
      flags: "S.",
      window: 65483,
      options: { mss: 65495, sackPermitted: true, timestamp: [index, index], windowScale: 7 },
    }),
  );
  sseq = (sseq + 1) >>> 0;
  out.push(c("."));
  const rounds = Math.floor((perConnection - 7) / 3);
  for (let r = 0; r < rounds; r++) {
    const size = 16 + Math.floor(random() * 200);
    const payload = new Uint8Array(size).fill(97 + (r % 26));
    out.push(c("P.", payload));
    const retransmit = random() < 0.01;
    cseq = (cseq + size) >>> 0;
    out.push(s("P.", payload));
    sseq = (sseq + size) >>> 0;
    // A retransmitted request replaces the pure ACK now and then, keeping the packet count.
    out.push(retransmit ? c("P.", payload, (cseq - size) >>> 0) : c("."));
  }
  while (out.length < perConnection - 4) out.push(c("."));
  out.push(c("F."));
  cseq = (cseq + 1) >>> 0;
  out.push(s("."));
  out.push(s("F."));
  sseq = (sseq + 1) >>> 0;
  out.push(c("."));
  return out;
}

/** Writes the capture and returns how many packets and connections it holds. */
export function generateTcpCapture(
  path: string,
  options: GenerateOptions,
): { packets: number; connections: number } {
  const perConnection = Math.max(12, options.perConnection ?? 500);
  const concurrent = Math.max(1, options.concurrent ?? 64);
  const connections = Math.max(1, Math.round(options.packets / perConnection));
  const random = prng(options.seed ?? 1);
  const writer = PcapWriter.open(path, linkTypeCode("ethernet"));
  let timeUs = 1_700_000_000_000_000;
  let started = 0;
  const open: Connection[] = [];
  try {
    while (started < connections || open.length > 0) {
      while (open.length < concurrent && started < connections) {
        open.push({ script: connectionScript(started, perConnection, random), next: 0 });
        started++;
      }
      for (let i = 0; i < open.length; i++) {
        const connection = open[i]!;
        writer.append({ timeUs, data: connection.script[connection.next]! });
        timeUs += 7;
        connection.next++;
      }
      for (let i = open.length - 1; i >= 0; i--) {
        if (open[i]!.next >= open[i]!.script.length) open.splice(i, 1);
      }
    }
    return { packets: writer.packets, connections };
  } finally {
    writer.close();
  }
}
