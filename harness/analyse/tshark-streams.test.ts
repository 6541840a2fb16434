// Conversation identity, relative numbers and completeness against tshark (the installed 4.0.x), packet by
// packet: `tcp.stream`, `tcp.seq`, `tcp.ack`, `udp.stream` on every scenario of
// test/support/analyse-scenarios.ts and on captures made here, analysed whole and streamed; and
// `tcp.completeness` as tshark's second pass leaves it, on each stream's last packet.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SCENARIOS, T0, TcpScript, udp } from "../../test/support/analyse-scenarios.ts";
import { type PcapPacket, writePcap } from "../capture/index.ts";
import { buildUdpLite } from "../decode/build.ts";
import { buildUdp, decodePacket, seqGt, toRecord } from "../decode/index.ts";
import { analyseCapture } from "./analyse-capture.ts";
import { type AnalyseOptions, createAnalyser } from "./analyser.ts";
import { MAX_CLOSED_WAITING } from "./tcp-table.ts";
import type { CaptureAnalysis, Conversation } from "./types.ts";

const tsharkMissing = spawnSync("tshark", ["--version"], { encoding: "utf8" }).status !== 0;

/** What both sides say about one packet. */
interface Frame {
  stream: number;
  seq?: number;
  ack?: number | null;
}

// tshark's fields of each TCP and UDP packet: frame number → stream and relative numbers; and, from a
// second pass, the completeness shown on each TCP stream's last packet.
function tsharkFrames(file: string): {
  frames: Map<number, Frame>;
  nxtseq: Map<number, number>;
  completeness: Map<number, number>;
} {
  const fields = [
    "frame.number",
    "tcp.stream",
    "tcp.seq",
    "tcp.ack",
    "tcp.flags.ack",
    "udp.stream",
    "tcp.nxtseq",
  ];
  const args = ["-r", file, "-Y", "tcp || udp || udplite", "-T", "fields", "-E", "separator=/t"];
  const run = spawnSync("tshark", [...args, ...fields.flatMap((f) => ["-e", f])], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (run.status !== 0) throw new Error(`tshark failed on ${file}: ${run.stderr}`);
  const frames = new Map<number, Frame>();
  const nxtseq = new Map<number, number>();
  for (const line of run.stdout.split("\n")) {
    if (line === "") continue;
    const [number, tcpStream, seq, ack, ackFlag, udpStream, next] = line.split("\t");
    if (tcpStream !== "" && tcpStream !== undefined) {
      nxtseq.set(Number(number), Number(next));
      frames.set(Number(number), {
        stream: Number(tcpStream),
        seq: Number(seq),
        ack: ackFlag === "1" ? Number(ack) : null,
      });
    } else {
      frames.set(Number(number), { stream: Number(udpStream) });
    }
  }
  const twoPass = spawnSync(
    "tshark",
    ["-2", ...args.slice(0, 2), "-Y", "tcp", "-T", "fields", "-e", "tcp.stream", "-e", "tcp.completeness"],
    { encoding: "utf8", maxBuffer: 1 << 28 },
  );
  const completeness = new Map<number, number>();
  for (const line of twoPass.stdout.split("\n")) {
    const [stream, value] = line.split("\t");
    if (stream) completeness.set(Number(stream), Number(value));
  }
  return { frames, nxtseq, completeness };
}

// Each TCP direction's `nextSeq` against the highest `tcp.nxtseq` tshark shows on that direction's packets.
function nextSeqDifferences(analysis: CaptureAnalysis, nxtseq: Map<number, number>): string[] {
  const out: string[] = [];
  for (const conversation of analysis.conversations) {
    if (conversation.protocol !== "tcp") continue;
    for (const direction of ["c2s", "s2c"] as const) {
      const shown = (conversation.timeline ?? [])
        .filter((row) => row.direction === direction)
        .map((row) => nxtseq.get(row.number)!);
      if (shown.length === 0) continue;
      // The highest in sequence space, as Wireshark follows it: each later one that is ahead replaces it.
      const highest = shown.reduce((max, next) => (seqGt(next, max) ? next : max));
      const ours = conversation[direction].nextSeq;
      if (ours !== highest)
        out.push(`stream ${conversation.stream} ${direction}: tshark ${highest}, socklab ${ours}`);
    }
  }
  return out;
}

// Our analysis in the same shape.
function ourFrames(analysis: CaptureAnalysis, handed: readonly Conversation[]) {
  const frames = new Map<number, Frame>();
  const completeness = new Map<number, number>();
  for (const conversation of [...analysis.conversations, ...handed]) {
    if (conversation.protocol === "tcp")
      completeness.set(conversation.stream, conversation.completeness.value);
    for (const row of conversation.timeline ?? []) {
      frames.set(
        row.number,
        row.protocol === "tcp"
          ? { stream: conversation.stream, seq: row.seq, ack: row.ack }
          : { stream: conversation.stream },
      );
    }
  }
  return { frames, completeness };
}

function analyse(packets: readonly PcapPacket[], options: AnalyseOptions) {
  const handed: Conversation[] = [];
  const streaming = options.onConversation !== undefined;
  const analyser = createAnalyser(
    streaming ? { ...options, onConversation: (c) => handed.push(c) } : options,
  );
  packets.forEach((packet, i) => {
    analyser.add(decodePacket(toRecord(packet.data, i + 1, packet.timeUs), 1));
  });
  const analysis = analyser.finish();
  return { analysis, ...ourFrames(analysis, handed) };
}

// Differences as readable lines; frames only tshark has are listed unless `late` of them are allowed.
function differences(theirs: Map<number, Frame>, ours: Map<number, Frame>, late = 0): string[] {
  const out: string[] = [];
  let missing = 0;
  for (const [number, frame] of theirs) {
    const mine = ours.get(number);
    if (mine === undefined) {
      if (++missing > late) out.push(`packet ${number}: only tshark has it`);
      continue;
    }
    if (JSON.stringify(frame) !== JSON.stringify(mine))
      out.push(`packet ${number}: tshark ${JSON.stringify(frame)}, socklab ${JSON.stringify(mine)}`);
  }
  for (const number of ours.keys())
    if (!theirs.has(number)) out.push(`packet ${number}: only socklab has it`);
  return out;
}

// Many short connections on one server port, closed at once, then packets on the first ones' 4-tuples long
// after they were handed over: late ones of every kind, and a SYN with a new ISN; UDP flows quiet for
// hours, then more datagrams on them.
function crowdedCapture(): PcapPacket[] {
  const packets: PcapPacket[] = [];
  let time = T0;
  const count = MAX_CLOSED_WAITING + 100;
  for (let i = 0; i < count; i++) {
    const t = new TcpScript({ clientPort: 20000 + i, startUs: time, packets }).handshake().close();
    time = t.time;
    if (i % 300 === 0) {
      time += 10;
      packets.push(udp("127.0.0.1", 30000 + i, "127.0.0.1", 5005, "ping", time));
    }
  }
  time += 7_200_000_000;
  const late = new TcpScript({ clientPort: 20000, startUs: time, packets });
  late.c(".", { rel: 2, ack: 5002 }).s("R", { rel: 2 }).c("S", { rel: 0 });
  new TcpScript({ clientPort: 20001, clientIsn: 77_000, startUs: late.time + 10, packets })
    .handshake()
    .close();
  new TcpScript({ clientPort: 20002, startUs: late.time + 1000, packets }).s("S.", { seq: 4242 }).c(".");
  packets.push(udp("127.0.0.1", 5005, "127.0.0.1", 30000, "pong", late.time + 2000));
  packets.push(udp("127.0.0.1", 30300, "127.0.0.1", 5005, "again", late.time + 3000));
  new TcpScript({ clientPort: 29999, startUs: late.time + 4000, packets }).handshake().close();
  return packets;
}

// A nanosecond pcap (magic a1b23c4d, Ethernet) of frames at T0 plus the given nanoseconds each.
function nanosecondPcap(frames: ReadonlyArray<{ data: Uint8Array; ns: number }>): Uint8Array {
  const parts: Uint8Array[] = [];
  const header = new DataView(new ArrayBuffer(24));
  header.setUint32(0, 0xa1b23c4d, true);
  header.setUint16(4, 2, true);
  header.setUint16(6, 4, true);
  header.setUint32(16, 262144, true);
  header.setUint32(20, 1, true);
  parts.push(new Uint8Array(header.buffer));
  const startSeconds = Math.floor(T0 / 1e6);
  for (const { data, ns } of frames) {
    const record = new DataView(new ArrayBuffer(16));
    record.setUint32(0, startSeconds + Math.floor(ns / 1e9), true);
    record.setUint32(4, ns % 1e9, true);
    record.setUint32(8, data.length, true);
    record.setUint32(12, data.length, true);
    parts.push(new Uint8Array(record.buffer), data);
  }
  return Buffer.concat(parts);
}

// Times (ns after T0) that sit one nanosecond on either side of each threshold: an iRTT of 1,500 ns
// (out-of-order below it, retransmission at it) and the fast-retransmission window of 20 ms.
function thresholdsCapture(): Array<{ data: Uint8Array; ns: number }> {
  const t = new TcpScript().handshake();
  t.c(".", { payload: "a".repeat(100) }); // 4
  t.c(".", { payload: "b".repeat(100) }); // 5
  t.c(".", { rel: 1, payload: "a".repeat(100) }); // 6: out-of-order (1,499 ns after 5)
  t.c(".", { rel: 101, payload: "b".repeat(100) }); // 7: retransmission (1,500 ns after 5)
  t.s(".", { ack: 1201 }); // 8
  t.c(".", { rel: 201, payload: "c".repeat(100) }); // 9
  t.c(".", { rel: 301, payload: "d".repeat(100) }); // 10
  t.s(".", { ack: 1201 }); // 11 dup 1
  t.s(".", { ack: 1201 }); // 12 dup 2
  t.s(".", { ack: 1201 }); // 13 dup 3
  t.c(".", { rel: 201, payload: "c".repeat(100) }); // 14: fast retransmission (20 ms − 1 ns after 13)
  t.s(".", { ack: 1201 }); // 15 dup 4
  t.c(".", { rel: 201, payload: "c".repeat(100) }); // 16: retransmission (20 ms after 15)
  const ms = 1_000_000;
  const times = [
    7,
    507,
    1507,
    10_000,
    20_003,
    21_502,
    21_503,
    30_000,
    40_000,
    50_000,
    60_000,
    70_000,
    80_001,
    80_001 + 20 * ms - 1,
    90 * ms + 5,
    110 * ms + 5,
  ];
  return t.packets.map((packet, i) => ({ data: packet.data, ns: times[i]! }));
}

describe.skipIf(tsharkMissing)(
  "streams and relative numbers agree with tshark (skipped: tshark not installed)",
  () => {
    const dir = mkdtempSync(join(tmpdir(), "socklab-streams-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    async function compare(name: string, packets: PcapPacket[]) {
      const file = join(dir, `${name.replace(/[^a-z0-9]+/gi, "-")}.pcap`);
      await writePcap(file, 1, packets);
      const theirs = tsharkFrames(file);
      const whole = analyse(packets, {});
      expect(differences(theirs.frames, whole.frames)).toEqual([]);
      expect(whole.completeness).toEqual(theirs.completeness);
      expect(nextSeqDifferences(whole.analysis, theirs.nxtseq)).toEqual([]);
      const streamed = analyse(packets, { onConversation: () => {} });
      const late = streamed.analysis.capture.latePackets;
      expect(differences(theirs.frames, streamed.frames, late)).toEqual([]);
      expect(streamed.frames.size + late).toBe(theirs.frames.size);
      return { whole, streamed };
    }

    for (const scenario of SCENARIOS) it(scenario.name, () => compare(scenario.name, scenario.packets()));

    it("takes UDP-Lite into the UDP conversations and numbering, as tshark's udp.stream does", async () => {
      const [a, b] = ["10.0.0.1", "10.0.0.2"];
      const packets = [
        { timeUs: T0, data: buildUdp({ src: a, dst: b, sport: 4000, dport: 5000, payload: "udp" }) },
        { timeUs: T0 + 1, data: buildUdpLite({ src: a, dst: b, sport: 4000, dport: 5000, payload: "lite" }) },
        { timeUs: T0 + 2, data: buildUdpLite({ src: a, dst: b, sport: 4001, dport: 5000, payload: "lite" }) },
        { timeUs: T0 + 3, data: buildUdp({ src: a, dst: b, sport: 4002, dport: 5000, payload: "udp" }) },
        {
          timeUs: T0 + 4,
          data: buildUdpLite({ src: b, dst: a, sport: 5000, dport: 4001, payload: "reply" }),
        },
      ];
      const { whole } = await compare("udp-lite", packets);
      expect(whole.analysis.conversations.map((c) => [c.stream, c.packets])).toEqual([
        [0, 2],
        [1, 2],
        [2, 1],
      ]);
    });

    it("compares times to the nanosecond: relative times, iRTT and the label thresholds", async () => {
      const file = join(dir, "thresholds-ns.pcap");
      writeFileSync(file, nanosecondPcap(thresholdsCapture()));
      const fields = ["frame.number", "frame.time_relative", "tcp.analysis.initial_rtt", "_ws.col.Info"];
      const run = spawnSync("tshark", ["-r", file, "-T", "fields", ...fields.flatMap((f) => ["-e", f])], {
        encoding: "utf8",
      });
      const theirs = run.stdout
        .trim()
        .split("\n")
        .map((line) => line.split("\t"));
      const analysis = await analyseCapture(file);
      const conversation = analysis.conversations[0]!;
      const rows = conversation.timeline ?? [];
      // frame.time_relative has nine decimals: compare as integer nanoseconds.
      expect(rows.map((r) => r.relativeNs)).toEqual(theirs.map(([, t]) => Math.round(Number(t) * 1e9)));
      expect(rows.map((r) => r.relativeSeconds.toFixed(9))).toEqual(theirs.map(([, t]) => t));
      const irtt = theirs.find(([, , rtt]) => rtt !== "")?.[2];
      expect(conversation.protocol === "tcp" && conversation.handshake.initialRttNs).toBe(
        Math.round(Number(irtt) * 1e9),
      );
      const labelled = (info: string) =>
        info.includes("Fast Retransmission")
          ? "fast-retransmission"
          : info.includes("Out-Of-Order")
            ? "out-of-order"
            : info.includes("Retransmission")
              ? "retransmission"
              : "";
      const ours = rows.map((r) =>
        r.protocol === "tcp" ? (r.labels.find((l) => /retrans|order/.test(l)) ?? "") : "",
      );
      expect(ours).toEqual(theirs.map(([, , , info]) => labelled(info ?? "")));
      expect([ours[5], ours[6], ours[13], ours[15]]).toEqual([
        "out-of-order",
        "retransmission",
        "fast-retransmission",
        "retransmission",
      ]);
    });

    it("numbers streams as tshark does when streaming retires conversations past its caps", async () => {
      const { whole, streamed } = await compare("crowded", crowdedCapture());
      // Late: the ACK, RST and SYN with the old ISN on 20000, the SYN/ACK and ACK on 20002 (TCP conversations
      // finished past the closed-waiting cap). The UDP flows are fewer than the UDP cap: never finished early,
      // so the reply on 30000 and the datagram on 30300, two hours later, join their flows as in tshark.
      expect(streamed.analysis.capture.latePackets).toBe(5);
      expect(whole.analysis.capture.latePackets).toBe(0);
      expect(streamed.analysis.overhead).toEqual(whole.analysis.overhead);
      expect(streamed.analysis.capture.conversationCount).toBe(whole.analysis.capture.conversationCount);
    });
  },
);
