// Captures the snap length cut, and UDP-Lite, decoded and analysed by socklab and by tshark 4.0, frame by
// frame: stream, relative seq/ack, tcp.len from the IP length, flags, header length, udp.length and the
// UDP-Lite coverage, and the analysis labels. tshark's answers for the committed fixtures are written
// below, so the comparison runs without tshark; with tshark, they are checked against it too, and cut
// copies of real traffic (fixtures/captures/tcp-loss.pcap at several snap lengths) are compared live.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { analyseCapture } from "../analyse/analyse-capture.ts";
import { TCP_LABEL_TABLE } from "../analyse/tcp-labels.ts";
import { readCapture } from "../capture/pcap-file.ts";
import { writePcap } from "../capture/pcap-writer.ts";
import { buildTcp } from "./build.ts";
import { decodePacket } from "./packet.ts";

const CAPTURES = join(import.meta.dirname, "../../fixtures/captures");

// tshark's fields, one line per frame; `labels` stands for the tcp.analysis fields of TCP_LABEL_TABLE,
// joined with "," (tshark's `tcp.analysis.retransmission` also marks fast and spurious ones).
const FIELDS = [
  "frame.number",
  "tcp.stream",
  "tcp.seq",
  "tcp.ack",
  "tcp.len",
  "tcp.flags",
  "tcp.hdr_len",
  "udp.stream",
  "udp.length",
  "udp.checksum_coverage",
] as const;
// Frames in a conversation of socklab's: the marker datagram and the ICMP error it provokes (which tshark
// decodes the quoted headers of) are left out.
const FILTER = "(tcp.stream || udp.stream) && !icmp && !icmpv6 && !(udp.dstport == 9)";

// The echo's ten TCP frames, the same at these three snap lengths: tshark keeps every one in stream 0.
const TCP_ECHO = `
1 0 0 0 0 0x0002 40    -
2 0 0 1 0 0x0012 40    -
3 0 1 1 0 0x0010 32    -
4 0 1 1 12 0x0018 32    -
5 0 1 13 0 0x0010 32    -
6 0 1 13 12 0x0018 32    -
7 0 13 13 0 0x0010 32    -
8 0 13 13 0 0x0011 32    -
9 0 13 14 0 0x0011 32    -
10 0 14 14 0 0x0010 32    -`;

/** tshark 4.0.17's answers: `tshark -r F -Y FILTER -T fields -E separator=/s -e FIELDS… -e labels`. */
const TSHARK: Record<string, string> = {
  // tcp-echo.pcap cut at 54: every TCP header's options cut (the fixed 20 bytes captured).
  "snaplen-54.pcap": TCP_ECHO,
  // tcp-echo.pcap cut at 70: the SYN's and SYN-ACK's window scale option cut, the other headers whole.
  "snaplen-cut-options.pcap": TCP_ECHO,
  // ipv6-tcp-echo.pcap cut at 70: 16 TCP header bytes, up to the window, captured of each segment.
  "snaplen-70-ipv6.pcap": TCP_ECHO,
  // UDP-Lite echoes (coverage 0, 8, 12; IPv4 then IPv6) and one plain UDP datagram on the first 4-tuple.
  "udplite/udplite.pcap": `
1       0 17 0 -
2       0 17 0 -
3       0 17 8 -
4       0 17 8 -
5       0 17 12 -
6       0 17 12 -
7       1 17 0 -
8       1 17 0 -
9       0 17  -`,
};

const hasTshark = spawnSync("tshark", ["--version"], { stdio: "ignore" }).status === 0;

function tsharkLines(file: string): string[] {
  const args = ["-r", file, "-n", "-Y", FILTER, "-T", "fields", "-E", "separator=/s"];
  for (const field of [...FIELDS, ...TCP_LABEL_TABLE.map((e) => e.tsharkField)]) args.push("-e", field);
  const out = execFileSync("tshark", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  return out
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const cells = line.split(" ");
      const labels = TCP_LABEL_TABLE.filter((_, i) => cells[FIELDS.length + i] !== "").map((e) => e.label);
      return `${cells.slice(0, FIELDS.length).join(" ")} ${labels.sort().join(",") || "-"}`;
    });
}

const RETRANSMISSIONS = ["retransmission", "fast-retransmission", "spurious-retransmission"];

// socklab's decode and analysis in tshark's shape. Also returns the frames whose headers were cut.
async function socklabLines(file: string): Promise<{ lines: string[]; cut: Set<number> }> {
  const decoded = new Map<number, string[]>();
  const cut = new Set<number>();
  await readCapture(file, (record, header) => {
    const p = decodePacket(record, header.linkType);
    expect(p.problems, `packet ${p.number}: ${p.toString()}`).toEqual([]);
    if (p.cut !== undefined) cut.add(p.number);
    const t = p.transport;
    if (t?.protocol === "tcp") {
      const flags = `0x${t.flags.toString(16).padStart(4, "0")}`;
      decoded.set(p.number, [String(p.payloadLength), flags, String(t.headerLength), "", ""]);
    } else if (t?.protocol === "udp" && t.dstPort !== 9) {
      decoded.set(p.number, ["", "", "", String(t.length), t.lite ? String(t.checksumCoverage) : ""]);
    }
  });
  const analysis = await analyseCapture(file);
  const rows: [number, string][] = [];
  for (const conversation of analysis.conversations) {
    for (const row of conversation.timeline ?? []) {
      // A marker datagram whose text the snap length cut is not recognised as the marker: left out too.
      if (!decoded.has(row.number)) continue;
      const [len, flags, hdr, udpLength, coverage] = decoded.get(row.number)!;
      if (row.protocol === "tcp") {
        const labels = new Set<string>(row.labels);
        if (row.labels.some((label) => RETRANSMISSIONS.includes(label))) labels.add("retransmission");
        const ack = row.ack ?? 0;
        const text = [row.number, conversation.stream, row.seq, ack, len, flags, hdr, "", "", ""].join(" ");
        rows.push([row.number, `${text} ${[...labels].sort().join(",") || "-"}`]);
      } else {
        const text = [row.number, "", "", "", "", "", "", conversation.stream, udpLength, coverage].join(" ");
        rows.push([row.number, `${text} -`]);
      }
    }
  }
  return { lines: rows.sort((a, b) => a[0] - b[0]).map(([, line]) => line), cut };
}

const lines = (text: string) => text.split("\n").filter((line) => line !== "");

describe("cut captures and UDP-Lite: socklab's decode and analysis agree with tshark frame by frame", () => {
  test.each(Object.keys(TSHARK))("%s: socklab agrees with tshark's recorded answers", async (name) => {
    const { lines: ours } = await socklabLines(join(CAPTURES, name));
    expect(ours).toEqual(lines(TSHARK[name]!));
  });

  test("the fixtures are cut where their README says", async () => {
    const cutFrames = async (name: string) => (await socklabLines(join(CAPTURES, name))).cut.size;
    // Every TCP frame; the options of the two SYNs; every TCP frame (an ICMP error's IP header is whole).
    expect(await cutFrames("snaplen-54.pcap")).toBe(10);
    expect(await cutFrames("snaplen-cut-options.pcap")).toBe(2);
    expect(await cutFrames("snaplen-70-ipv6.pcap")).toBe(10);
    expect(await cutFrames("udplite/udplite.pcap")).toBe(0);
  });

  describe.skipIf(!hasTshark)("live tshark (skipped: tshark is not installed)", () => {
    test.each(Object.keys(TSHARK))("%s: tshark still answers as recorded", (name) => {
      expect(tsharkLines(join(CAPTURES, name))).toEqual(lines(TSHARK[name]!));
    });

    // Real traffic (retransmissions, duplicate ACKs and SACK in tcp-loss; TCP and UDP over IPv4 and IPv6
    // behind Linux cooked v2 headers in any-sll2), cut at lengths that fall before the TCP header (no TCP
    // layer), inside its first 16 bytes (ports only: no stream), in the checksum, in the options, and
    // after the headers. tshark 4.0 prints no tcp.analysis fields on a frame whose TCP header
    // was cut (it dissects the options before printing the analysis), though the frame counts for the
    // analysis of the frames after it: labels are compared on the frames captured whole.
    const dir = mkdtempSync(join(tmpdir(), "socklab-snaplen-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    test.each([
      ...[30, 40, 50, 52, 54, 66, 80].map((snap) => ["tcp-loss.pcap", snap] as const),
      ...[44, 60, 72, 76, 92].map((snap) => ["any-sll2.pcap", snap] as const),
    ])("%s cut at %i", async (name, snap) => {
      const file = join(dir, `${snap}-${name}`);
      execFileSync("editcap", ["-s", String(snap), join(CAPTURES, name), file]);
      const theirs = tsharkLines(file);
      const { lines: ours, cut } = await socklabLines(file);
      const withoutLabels = (line: string) => line.slice(0, line.lastIndexOf(" "));
      const frame = (line: string) => Number(line.slice(0, line.indexOf(" ")));
      expect(ours.map(withoutLabels)).toEqual(theirs.map(withoutLabels));
      const whole = (all: string[]) => all.filter((line) => !cut.has(frame(line)));
      expect(whole(ours)).toEqual(whole(theirs));
      for (const line of theirs) if (cut.has(frame(line))) expect(line.endsWith(" -")).toBe(true);
    });
  });

  // Two behaviours of tshark 4.0 on cut frames, held by the analysis:
  //  - A SYN whose options the snap length cut leaves the window scaling unknown (-1): tshark dissects the
  //    options, then calls verify_tcp_window_scaling; a cut header stops it before. "Window full" is then
  //    never checked in that direction.
  //  - A frame whose TCP header was cut shows no tcp.analysis fields (see above).
  describe("tshark's analysis of cut frames", () => {
    const dir = mkdtempSync(join(tmpdir(), "socklab-snaplen-syn-"));
    const file = join(dir, "syn-options-cut.pcap");
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    beforeAll(async () => {
      const a = { src: "10.0.0.1", dst: "10.0.0.2", sport: 40000, dport: 80 };
      const b = { src: "10.0.0.2", dst: "10.0.0.1", sport: 80, dport: 40000 };
      const linux = { mss: 1460, sackPermitted: true, timestamp: [1, 0] as [number, number], windowScale: 7 };
      const frames = [
        buildTcp({ ...a, seq: 100, flags: "S", options: linux }),
        buildTcp({ ...b, seq: 500, ack: 101, flags: "S.", options: linux, window: 100 }),
        buildTcp({ ...a, seq: 101, ack: 501, flags: ".", window: 100 }),
        buildTcp({ ...b, seq: 501, ack: 101, flags: ".", window: 10 }),
        // Exactly the server's raw window of 10 bytes: "window full" only if the scaling is known.
        buildTcp({ ...a, seq: 101, ack: 501, flags: "P.", window: 100, payload: "0123456789" }),
      ];
      // The two SYNs cut inside their options (after MSS, SACK-permitted and timestamps).
      const packets = frames.map((data, i) => ({
        timeUs: 1_700_000_000_000_000 + i * 1000,
        data: i < 2 ? data.subarray(0, 14 + 20 + 36) : data,
        originalLength: data.length,
      }));
      await writePcap(file, 1, packets);
    });
    const TSHARK_SYN_CUT = lines(`
1 0 0 0 0 0x0002 40    -
2 0 0 1 0 0x0012 40    -
3 0 1 1 0 0x0010 20    -
4 0 1 1 0 0x0010 20    window-update
5 0 1 1 10 0x0018 20    -`);

    test("window scaling stays unknown after cut SYNs: no window-full", async () => {
      expect((await socklabLines(file)).lines).toEqual(TSHARK_SYN_CUT);
    });

    test.skipIf(!hasTshark)("tshark answers as recorded", () => {
      expect(tsharkLines(file)).toEqual(TSHARK_SYN_CUT);
    });

    test.skipIf(!hasTshark)("tcp-loss.pcap cut at 54: no labels on frames whose header was cut", async () => {
      const cutFile = join(dir, "tcp-loss-54.pcap");
      execFileSync("editcap", ["-s", "54", join(CAPTURES, "tcp-loss.pcap"), cutFile]);
      expect((await socklabLines(cutFile)).lines).toEqual(tsharkLines(cutFile));
    });
  });
});
