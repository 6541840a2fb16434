// Test support (not a test): a small script language for TCP conversations built with the packet builder,
// and the named scenarios that the unit tests check fact by fact and tshark-labels.test.ts compares with
// tshark. Sequence numbers advance by themselves unless a segment names its own.

import { type AnalyseOptions, createAnalyser } from "../../harness/analyse/analyser.ts";
import type { CaptureAnalysis, TcpConversation, UdpConversation } from "../../harness/analyse/types.ts";
import type { PcapPacket } from "../../harness/capture/index.ts";
import {
  buildTcp,
  buildUdp,
  decodePacket,
  finishChecksum,
  sumWords,
  type TcpSpec,
  toRecord,
} from "../../harness/decode/index.ts";

/** A start time well away from 0 (Wireshark treats time 0 as "unset"). */
export const T0 = 1_700_000_000_000_000;

export interface SegmentOptions {
  payload?: string | Uint8Array;
  /** Absolute sequence number (default: the sender's next). */
  seq?: number;
  /** Sequence number relative to the sender's ISN (the SYN is 0, the first byte 1). */
  rel?: number;
  /** Absolute ack (default: the peer's next, when the ACK flag is set). */
  ack?: number;
  window?: number;
  options?: TcpSpec["options"];
  /** µs since the previous packet (default 100). */
  dt?: number;
}

/** Writes one TCP conversation packet by packet. */
export class TcpScript {
  readonly packets: PcapPacket[];
  readonly client: { address: string; port: number; isn: number };
  readonly server: { address: string; port: number; isn: number };
  time: number;
  clientNext: number;
  serverNext: number;

  constructor(
    init: {
      client?: string;
      server?: string;
      clientPort?: number;
      serverPort?: number;
      clientIsn?: number;
      serverIsn?: number;
      startUs?: number;
      packets?: PcapPacket[];
    } = {},
  ) {
    this.client = {
      address: init.client ?? "127.0.0.1",
      port: init.clientPort ?? 41000,
      isn: init.clientIsn ?? 1000,
    };
    this.server = {
      address: init.server ?? "127.0.0.1",
      port: init.serverPort ?? 65432,
      isn: init.serverIsn ?? 5000,
    };
    this.time = init.startUs ?? T0;
    this.clientNext = this.client.isn;
    this.serverNext = this.server.isn;
    this.packets = init.packets ?? [];
  }

  /** A segment from the client. */
  c(flags: string, options: SegmentOptions = {}): this {
    return this.#send(true, flags, options);
  }

  /** A segment from the server. */
  s(flags: string, options: SegmentOptions = {}): this {
    return this.#send(false, flags, options);
  }

  /** SYN, SYN/ACK, ACK. */
  handshake(options: TcpSpec["options"] = {}, window = 65535): this {
    return this.c("S", { options, window }).s("S.", { options, window }).c(".", { window });
  }

  /** FIN from the client, FIN/ACK from the server, ACK from the client. */
  close(): this {
    return this.c("F.").s("F.").c(".");
  }

  #send(fromClient: boolean, flags: string, options: SegmentOptions): this {
    const me = fromClient ? this.client : this.server;
    const payload =
      typeof options.payload === "string"
        ? new TextEncoder().encode(options.payload)
        : (options.payload ?? new Uint8Array(0));
    const next = fromClient ? this.clientNext : this.serverNext;
    const seq = options.seq ?? (options.rel !== undefined ? (me.isn + options.rel) >>> 0 : next);
    const peerNext = fromClient ? this.serverNext : this.clientNext;
    const ack = options.ack ?? (flags.includes(".") ? peerNext : 0);
    this.time += options.dt ?? 100;
    const data = buildTcp({
      src: me.address,
      dst: fromClient ? this.server.address : this.client.address,
      sport: me.port,
      dport: fromClient ? this.server.port : this.client.port,
      seq,
      ack,
      flags,
      window: options.window ?? 65535,
      payload,
      ...(options.options ? { options: options.options } : {}),
    });
    this.packets.push({ timeUs: this.time, data });
    const end = (seq + payload.length + (flags.includes("S") || flags.includes("F") ? 1 : 0)) >>> 0;
    if (((end - next) | 0) > 0) {
      if (fromClient) this.clientNext = end;
      else this.serverNext = end;
    }
    return this;
  }
}

/** A UDP datagram packet. */
export function udp(
  src: string,
  sport: number,
  dst: string,
  dport: number,
  payload: string,
  timeUs: number,
): PcapPacket {
  return { timeUs, data: buildUdp({ src, dst, sport, dport, payload }) };
}

/** An Ethernet frame carrying an ICMP error (IPv4 type/code) that quotes `quoted` (an Ethernet frame). */
export function icmpError(quoted: Uint8Array, type = 3, code = 3, quoteBytes = 1000): Uint8Array {
  const inner = quoted.subarray(14, 14 + quoteBytes);
  const frame = new Uint8Array(14 + 20 + 8 + inner.length);
  const view = new DataView(frame.buffer);
  view.setUint16(12, 0x0800);
  frame[14] = 0x45;
  view.setUint16(16, 20 + 8 + inner.length);
  frame[22] = 64;
  frame[23] = 1;
  frame.set([127, 0, 0, 1, 127, 0, 0, 1], 26);
  view.setUint16(24, finishChecksum(sumWords(frame, 14, 34)));
  frame[34] = type;
  frame[35] = code;
  frame.set(inner, 42);
  view.setUint16(36, finishChecksum(sumWords(frame, 34, frame.length)));
  return frame;
}

/** Runs the analyser over built packets (Ethernet link), numbering them from 1. */
export function analysePackets(
  packets: readonly PcapPacket[],
  options: AnalyseOptions = {},
): CaptureAnalysis {
  const analyser = createAnalyser(options);
  packets.forEach((packet, i) => {
    const record = toRecord(packet.data, i + 1, packet.timeUs);
    analyser.add(decodePacket({ ...record, originalLength: packet.originalLength ?? packet.data.length }, 1));
  });
  return analyser.finish();
}

/** The only (or the `index`th) TCP conversation of an analysis. */
export function tcpOf(analysis: CaptureAnalysis, index = 0): TcpConversation {
  const found = analysis.conversations.filter((c): c is TcpConversation => c.protocol === "tcp")[index];
  if (found === undefined) throw new Error(`no TCP conversation #${index}`);
  return found;
}

/** The `index`th UDP conversation of an analysis. */
export function udpOf(analysis: CaptureAnalysis, index = 0): UdpConversation {
  const found = analysis.conversations.filter((c): c is UdpConversation => c.protocol === "udp")[index];
  if (found === undefined) throw new Error(`no UDP conversation #${index}`);
  return found;
}

/** Labels of packet `number` in a TCP conversation's timeline. */
export function labelsOf(conversation: TcpConversation, number: number): string[] {
  const row = conversation.timeline?.find((r) => r.number === number);
  if (row === undefined || row.protocol !== "tcp") throw new Error(`packet ${number} is not in the timeline`);
  return row.labels;
}

export interface Scenario {
  readonly name: string;
  packets(): PcapPacket[];
}

const LINUX_OPTIONS: TcpSpec["options"] = {
  mss: 65495,
  sackPermitted: true,
  timestamp: [1, 0],
  windowScale: 7,
};

/** Named conversations covering each behaviour; packet numbers are given in the unit tests. */
export const SCENARIOS: readonly Scenario[] = [
  {
    name: "clean echo",
    packets: () =>
      new TcpScript()
        .handshake(LINUX_OPTIONS)
        .c("P.", { payload: "hello" })
        .s("P.", { payload: "hello" })
        .c(".")
        .close().packets,
  },
  {
    name: "wrong SYN/ACK ack",
    packets: () => new TcpScript().c("S").s("S.", { ack: 1000 }).c(".").packets,
  },
  {
    name: "unacked tail",
    packets: () =>
      new TcpScript()
        .handshake()
        .c("P.", { payload: "a".repeat(100) })
        .s(".")
        .c("P.", { payload: "b".repeat(50) }).packets,
  },
  {
    name: "retransmitted range",
    packets: () =>
      new TcpScript()
        .handshake()
        .c(".", { payload: "a".repeat(100) })
        .c(".", { payload: "b".repeat(100) })
        .s(".", { ack: 1101 })
        .c(".", { rel: 101, payload: "b".repeat(100), dt: 200_000 })
        .s(".").packets,
  },
  {
    name: "out of order with a gap",
    packets: () =>
      new TcpScript()
        .handshake()
        .c(".", { payload: "AAAA" })
        .c(".", { rel: 9, payload: "CCCC", dt: 10 })
        .c(".", { rel: 5, payload: "BBBB", dt: 10 })
        .c(".", { rel: 17, payload: "EEEE", dt: 10 })
        .s(".", { ack: 1013 }).packets,
  },
  {
    name: "overlapping retransmission",
    packets: () =>
      new TcpScript()
        .handshake()
        .c(".", { payload: "x".repeat(100) })
        .c(".", { rel: 51, payload: "x".repeat(100), dt: 300_000 })
        .s(".").packets,
  },
  {
    name: "dup acks and a fast retransmission",
    packets: () => {
      const t = new TcpScript().handshake();
      t.c(".", { payload: "1".repeat(100) }); // 4
      t.c(".", { rel: 201, payload: "3".repeat(100), dt: 10 }); // 5 (bytes 101–200 not captured)
      t.s(".", { ack: 1101, dt: 10 }); // 6
      t.c(".", { rel: 301, payload: "4".repeat(100), dt: 10 }); // 7
      t.s(".", { ack: 1101, dt: 10 }); // 8 dup 1
      t.c(".", { rel: 401, payload: "5".repeat(100), dt: 10 }); // 9
      t.s(".", { ack: 1101, dt: 10 }); // 10 dup 2
      t.s(".", { ack: 1101, dt: 10 }); // 11 dup 3
      t.c(".", { rel: 101, payload: "2".repeat(100), dt: 10 }); // 12 fast retransmission
      t.s(".", { ack: 1501, dt: 10 }); // 13
      return t.packets;
    },
  },
  {
    name: "keep-alive",
    packets: () =>
      new TcpScript()
        .handshake()
        .c("P.", { payload: "ping" })
        .s(".")
        .c(".", { rel: 4, dt: 7_200_000 })
        .s(".", { dt: 50 }).packets,
  },
  {
    name: "zero window and window update",
    packets: () =>
      new TcpScript()
        .handshake()
        .c(".", { payload: "z".repeat(100) })
        .s(".", { window: 0 })
        .c(".", { payload: "z", dt: 200_000 })
        .s(".", { window: 0, ack: 1101 })
        .s(".", { window: 8192, ack: 1101, dt: 100_000 })
        .c(".", { rel: 101, payload: "z".repeat(50) })
        .s(".").packets,
  },
  {
    name: "window full",
    packets: () =>
      new TcpScript()
        .c("S")
        .s("S.", { window: 100 })
        .c(".")
        .c(".", { payload: "w".repeat(100) })
        .s(".", { window: 100 }).packets,
  },
  {
    name: "server resets after client data",
    packets: () => new TcpScript().handshake().c("P.", { payload: "unread data" }).s("R.").packets,
  },
  {
    name: "FIN not acked",
    packets: () => new TcpScript().handshake().c("P.", { payload: "bye" }).s(".").c("F.").packets,
  },
  {
    name: "port reuse with a new ISN",
    packets: () => {
      const first = new TcpScript().handshake().c("P.", { payload: "one" }).s(".").close();
      return new TcpScript({
        clientIsn: 90_000,
        serverIsn: 70_000,
        startUs: first.time + 1000,
        packets: first.packets,
      })
        .handshake()
        .c("P.", { payload: "two" })
        .s(".")
        .close().packets;
    },
  },
  {
    name: "sequence numbers wrap",
    packets: () =>
      new TcpScript({ clientIsn: 0xffffff00, serverIsn: 0xfffffff0 })
        .handshake()
        .c(".", { payload: "w".repeat(200) })
        .s("P.", { payload: "r".repeat(40) })
        .c(".")
        .close().packets,
  },
  {
    // Wireshark keeps the dup-ACK count unsigned: after an ACK of unseen data it holds −1, which reads as
    // "two or more duplicate ACKs", so the server's quick resend counts as a fast retransmission.
    name: "ACKed unseen segment, then a resend",
    packets: () =>
      new TcpScript()
        .handshake()
        .c("P.", { payload: "0123456789" })
        .s(".", { ack: 1031 })
        .s("P.", { payload: "abcdefghij", ack: 1011 })
        .s("P.", { rel: 1, payload: "abcdefghij", ack: 1011, dt: 10 }).packets,
  },
  {
    name: "spurious retransmission",
    packets: () =>
      new TcpScript()
        .handshake()
        .c("P.", { payload: "abc" })
        .s(".")
        .c(".", { rel: 1, payload: "abc", dt: 50 }).packets,
  },
  {
    name: "FIN retransmitted",
    packets: () =>
      new TcpScript().handshake().c("F.").c("F.", { rel: 1, dt: 300_000 }).s(".").s("F.").c(".").packets,
  },
  {
    name: "SYN retransmitted",
    packets: () => new TcpScript().c("S").c("S", { rel: 0, dt: 1_000_000 }).s("S.").c(".").packets,
  },
  // Wireshark 4.0's stream rules: only a SYN without ACK whose ISN differs from its direction's base starts
  // another conversation on the same 4-tuple, whatever came before and however long ago.
  {
    name: "SYN with the same ISN after a graceful close",
    packets: () => {
      const first = new TcpScript().handshake().c("P.", { payload: "one" }).s(".").close();
      return new TcpScript({ startUs: first.time + 1000, packets: first.packets })
        .handshake()
        .c("P.", { payload: "two" })
        .s(".").packets;
    },
  },
  {
    name: "SYN with the same ISN after a reset",
    packets: () => {
      const first = new TcpScript().handshake().c("P.", { payload: "one" }).s("R.");
      return new TcpScript({ startUs: first.time + 1000, packets: first.packets }).handshake().packets;
    },
  },
  {
    name: "port reuse with a new ISN after a reset, one hour later",
    packets: () => {
      const first = new TcpScript().handshake().c("P.", { payload: "one" }).s("R.");
      return new TcpScript({
        clientIsn: 123_456,
        serverIsn: 654_321,
        startUs: first.time + 3_600_000_000,
        packets: first.packets,
      })
        .handshake()
        .c("P.", { payload: "two" }).packets;
    },
  },
  {
    name: "port reuse with a new ISN while open",
    packets: () => {
      const first = new TcpScript().handshake().c("P.", { payload: "one" }).s(".");
      return new TcpScript({
        clientIsn: 9000,
        serverIsn: 7000,
        startUs: first.time + 10,
        packets: first.packets,
      })
        .handshake()
        .close().packets;
    },
  },
  {
    name: "port reuse by the server's side with a SYN carrying data",
    packets: () => {
      const first = new TcpScript().handshake().close();
      return new TcpScript({
        client: "127.0.0.1",
        clientPort: 65432,
        serverPort: 41000,
        clientIsn: 9000,
        startUs: first.time + 1000,
        packets: first.packets,
      })
        .c("S", { payload: "fast open" })
        .s("S.")
        .c(".").packets;
    },
  },
  {
    name: "SYN/ACK with a new ISN after a close",
    packets: () => {
      const first = new TcpScript().handshake().c("P.", { payload: "one" }).s(".").close();
      return new TcpScript({
        clientIsn: 9000,
        serverIsn: 7000,
        startUs: first.time + 1000,
        packets: first.packets,
      })
        .s("S.", { ack: 9001 })
        .c(".")
        .c("P.", { payload: "x" }).packets;
    },
  },
  {
    name: "late packets long after a close",
    packets: () =>
      new TcpScript()
        .handshake()
        .c("P.", { payload: "one" })
        .s(".")
        .close()
        .c("P.", { rel: 5, payload: "late", dt: 600_000_000 })
        .s("R", { dt: 10 }).packets,
  },
  {
    name: "capture starts at the SYN/ACK",
    packets: () => new TcpScript().s("S.").c(".").c("P.", { payload: "x" }).s(".").close().packets,
  },
  {
    name: "capture starts at the SYN/ACK, then a SYN",
    packets: () => new TcpScript().s("S.").c("S").s("S.").c(".").packets,
  },
  {
    name: "capture starts with data, then an earlier segment",
    // The earlier segment lies before the base sequence number: tshark shows it modulo 2^32.
    packets: () =>
      new TcpScript()
        .c("P.", { rel: 101, payload: "later" })
        .c("P.", { rel: 1, payload: "x".repeat(100) })
        .s(".", { ack: 1106 }).packets,
  },
  {
    // Relative numbers past 2^32 (a stream longer than 4 GiB, most of it not captured): tshark shows them
    // modulo 2^32, as the timeline does.
    name: "relative numbers pass 2^32",
    packets: () =>
      new TcpScript()
        .handshake()
        .c(".", { payload: "a" })
        .c(".", { rel: 0x7ffffff0, payload: "b" })
        .c(".", { rel: 0xfffffff0, payload: "c" })
        .c(".", { rel: 0x100000010, payload: "d" })
        .s(".")
        .c("F.")
        .s("F.")
        .c(".").packets,
  },
  {
    name: "capture starts with a pure ACK, then a reset without ACK",
    packets: () => new TcpScript().c(".").c("P.", { payload: "x" }).s("R", { rel: 1 }).packets,
  },
  {
    name: "capture starts with a FIN",
    packets: () => new TcpScript().c("F.").s("F.").c(".").packets,
  },
  {
    name: "capture starts with a reset",
    packets: () => new TcpScript().c("R.").s("S.").c(".").packets,
  },
  {
    name: "SYN answered by a reset",
    packets: () => new TcpScript().c("S").s("R.").packets,
  },
];

/** The scenario of that name. */
export function scenario(name: string): PcapPacket[] {
  const found = SCENARIOS.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no scenario "${name}"`);
  return found.packets();
}
