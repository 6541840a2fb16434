// Our Wireshark labels against tshark's own (the installed 4.0.x), packet by packet, on every fixture
// capture and on synthetic captures of each scenario in test/support/analyse-scenarios.ts. tshark's
// `tcp.analysis.retransmission` matches plain, fast and spurious retransmissions.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SCENARIOS } from "../../test/support/analyse-scenarios.ts";
import { writePcap } from "../capture/index.ts";
import { analyseCapture } from "./analyse-capture.ts";
import { TCP_LABEL_TABLE, type TcpLabel } from "./tcp-labels.ts";

const FIXTURES = join(import.meta.dirname, "../../fixtures/captures");

// tshark field → our label ("retransmission" stands for the whole family, as tshark's filter does).
const FIELDS: ReadonlyArray<readonly [string, TcpLabel]> = TCP_LABEL_TABLE.map((entry) => [
  entry.tsharkField,
  entry.label,
]);
const RETRANSMISSION_FAMILY: readonly TcpLabel[] = [
  "retransmission",
  "fast-retransmission",
  "spurious-retransmission",
];

interface Row {
  labels: string[];
  stream: number;
  dupAck: string;
}

const tsharkMissing = spawnSync("tshark", ["--version"], { encoding: "utf8" }).status !== 0;

// tshark's analysis of a file: frame number → labels (sorted), stream and "num#frame" of a dup ACK.
function tsharkRows(file: string): Map<number, Row> {
  const args = [
    "-r",
    file,
    "-Y",
    "tcp",
    "-T",
    "fields",
    "-E",
    "separator=/t",
    "-e",
    "frame.number",
    "-e",
    "tcp.stream",
  ];
  args.push("-e", "tcp.analysis.duplicate_ack_num", "-e", "tcp.analysis.duplicate_ack_frame");
  for (const [field] of FIELDS) args.push("-e", field);
  const run = spawnSync("tshark", args, { encoding: "utf8", maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`tshark failed on ${file}: ${run.stderr}`);
  const rows = new Map<number, Row>();
  for (const line of run.stdout.split("\n")) {
    if (line === "") continue;
    const cells = line.split("\t");
    const labels: string[] = [];
    FIELDS.forEach(([, label], i) => {
      if (cells[4 + i] !== "") labels.push(label);
    });
    const num = cells[2]?.split(",")[0] ?? "";
    const frame = cells[3]?.split(",")[0] ?? "";
    rows.set(Number(cells[0]), {
      labels: labels.sort(),
      stream: Number(cells[1]),
      dupAck: num === "" ? "" : `${num}#${frame}`,
    });
  }
  return rows;
}

// Our analysis in the same shape: tshark's retransmission filter also matches fast and spurious ones.
async function ourRows(file: string): Promise<Map<number, Row>> {
  const analysis = await analyseCapture(file);
  const rows = new Map<number, Row>();
  for (const conversation of analysis.conversations) {
    if (conversation.protocol !== "tcp") continue;
    for (const row of conversation.timeline ?? []) {
      if (row.protocol !== "tcp") continue;
      const labels = new Set<string>(row.labels);
      if (row.labels.some((label) => RETRANSMISSION_FAMILY.includes(label))) labels.add("retransmission");
      const dupAck = row.duplicateAck === null ? "" : `${row.duplicateAck.number}#${row.duplicateAck.of}`;
      rows.set(row.number, { labels: [...labels].sort(), stream: conversation.stream, dupAck });
    }
  }
  return rows;
}

// Rows that differ, as readable lines (empty when all agree).
function differences(theirs: Map<number, Row>, ours: Map<number, Row>): string[] {
  const out: string[] = [];
  for (const [number, row] of theirs) {
    const mine = ours.get(number);
    const a = JSON.stringify(row);
    const b = JSON.stringify(mine ?? null);
    if (a !== b) out.push(`packet ${number}: tshark ${a}, socklab ${b}`);
  }
  for (const number of ours.keys())
    if (!theirs.has(number)) out.push(`packet ${number}: only socklab has it`);
  return out;
}

// tshark's udp.stream of each UDP packet in our conversations (the marker and ICMP are not ours).
function udpStreams(file: string): { theirs: Map<number, number>; ours: Promise<Map<number, number>> } {
  const run = spawnSync(
    "tshark",
    ["-r", file, "-Y", "(udp || udplite) && !icmp", "-T", "fields", "-e", "frame.number", "-e", "udp.stream"],
    {
      encoding: "utf8",
    },
  );
  const theirs = new Map<number, number>();
  for (const line of run.stdout.split("\n")) {
    const [number, stream] = line.split("\t");
    if (number && stream) theirs.set(Number(number), Number(stream));
  }
  const ours = analyseCapture(file).then((analysis) => {
    const map = new Map<number, number>();
    for (const c of analysis.conversations) {
      if (c.protocol !== "udp") continue;
      for (const row of c.timeline ?? []) map.set(row.number, c.stream);
    }
    return map;
  });
  return { theirs, ours };
}

function labelCount(rows: Map<number, Row>, label: string): number {
  let n = 0;
  for (const row of rows.values()) if (row.labels.includes(label)) n++;
  return n;
}

const captures = readdirSync(FIXTURES).filter((name) => /\.(pcap|pcapng)$/.test(name));

describe.skipIf(tsharkMissing)(
  "labels agree with tshark packet by packet (skipped: tshark not installed)",
  () => {
    it("has fixture captures to compare", () => {
      expect(captures).toContain("tcp-loss.pcap");
    });

    for (const name of captures) {
      it(`fixtures/captures/${name}`, async () => {
        const file = join(FIXTURES, name);
        const theirs = tsharkRows(file);
        const ours = await ourRows(file);
        expect(differences(theirs, ours)).toEqual([]);
        const streams = new Set([...theirs.values()].map((row) => row.stream));
        const analysis = await analyseCapture(file, { keepPackets: false });
        expect(analysis.conversations.filter((c) => c.protocol === "tcp")).toHaveLength(streams.size);
        const udp = udpStreams(file);
        for (const [number, stream] of await udp.ours) {
          expect([number, stream]).toEqual([number, udp.theirs.get(number)]);
        }
      });
    }

    it("exercises real retransmissions and duplicate ACKs on tcp-loss.pcap", async () => {
      const file = join(FIXTURES, "tcp-loss.pcap");
      const theirs = tsharkRows(file);
      const ours = await ourRows(file);
      expect(labelCount(theirs, "retransmission")).toBeGreaterThan(0);
      expect(labelCount(theirs, "duplicate-ack")).toBeGreaterThan(0);
      expect(labelCount(ours, "retransmission")).toBe(labelCount(theirs, "retransmission"));
      expect(labelCount(ours, "duplicate-ack")).toBe(labelCount(theirs, "duplicate-ack"));
    });

    describe("synthetic scenarios", () => {
      const dir = mkdtempSync(join(tmpdir(), "socklab-labels-"));
      afterAll(() => rmSync(dir, { recursive: true, force: true }));
      for (const scenario of SCENARIOS) {
        it(scenario.name, async () => {
          const file = join(dir, `${scenario.name.replace(/[^a-z0-9]+/gi, "-")}.pcap`);
          await writePcap(file, 1, scenario.packets());
          const theirs = tsharkRows(file);
          const ours = await ourRows(file);
          expect(differences(theirs, ours)).toEqual([]);
        });
      }
    });
  },
);
