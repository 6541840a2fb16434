// Fragmented UDP recorded for real and analysed by socklab and by tshark 4.0.17: datagrams of 1 473, 5 000,
// 20 000 and 65 000 bytes over IPv4 and IPv6 links of MTU 1500 and 1280 (fixtures/captures/fragments.py in
// a fresh network namespace), recorded with `tcpdump -i any` on a bridge (every fragment twice), on a veth
// and on lo. Every frame tshark shows UDP on, its stream, UDP length and fragment list, and every
// `-z conv,udp` row must agree. SOCKLAB_WRITE_FIXTURES=1 copies the captures the fixtures are made of into
// fixtures/captures/fragments/.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { analyseCapture } from "../../harness/analyse/index.ts";
import type { CaptureAnalysis, UdpConversation } from "../../harness/analyse/types.ts";

const root = join(import.meta.dirname, "..", "..");
const script = join(root, "fixtures", "captures", "fragments.py");

interface Scenario {
  name: string;
  family: 4 | 6;
  mtu: number;
  interface: "any" | "veth" | "lo";
  /** The fixture this scenario's capture is kept as. */
  fixture?: string;
}

const SCENARIOS: Scenario[] = [
  { name: "ipv4-any", family: 4, mtu: 1500, interface: "any", fixture: "udp-fragments-any.pcap" },
  { name: "ipv6-any", family: 6, mtu: 1280, interface: "any" },
  { name: "ipv4-veth", family: 4, mtu: 1280, interface: "veth" },
  { name: "ipv6-veth", family: 6, mtu: 1280, interface: "veth", fixture: "udp6-fragments.pcap" },
  { name: "ipv6-lo", family: 6, mtu: 1280, interface: "lo" },
];

function available(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const runnable =
  process.getuid?.() === 0 &&
  available("tshark", ["--version"]) &&
  available("tcpdump", ["--version"]) &&
  available("unshare", ["--version"]) &&
  available("python3", ["--version"]);

function tshark(args: string[]): string {
  return execFileSync("tshark", args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
    timeout: 60_000,
  });
}

type Row = [frame: number, frameLength: number, udpLength: number, stream: number, fragments: number[]];

const DATAGRAMS = "udp && !icmp && !icmpv6 && !(udp.port == 9)";

function tsharkRows(file: string): Row[] {
  const fields = ["frame.number", "frame.len", "udp.length", "udp.stream", "ip.fragment", "ipv6.fragment"];
  const out = tshark([
    "-r",
    file,
    "-Y",
    DATAGRAMS,
    "-T",
    "fields",
    "-E",
    "occurrence=a",
    "-E",
    "aggregator=,",
    ...fields.flatMap((f) => ["-e", f]),
  ]);
  return out
    .trim()
    .split("\n")
    .map((line) => {
      const [f, len, udpLength, stream, v4, v6] = line.split("\t");
      const list = v4 || v6 || "";
      return [
        Number(f),
        Number(len),
        Number(udpLength),
        Number(stream),
        list === "" ? [] : list.split(",").map(Number),
      ] as Row;
    });
}

function ourRows(analysis: CaptureAnalysis): Row[] {
  return analysis.conversations
    .filter((c): c is UdpConversation => c.protocol === "udp")
    .flatMap((c) =>
      (c.timeline ?? []).map(
        (r): Row => [
          r.number,
          r.frameLength,
          r.payloadLength + 8,
          c.stream,
          r.protocol === "udp" ? (r.fragments ?? []) : [],
        ],
      ),
    )
    .sort((a, b) => a[0] - b[0]);
}

// The Total columns of `-z conv,udp` (frames, bytes) for every conversation but the marker's.
function tsharkConversations(file: string): Array<[number, number]> {
  return tshark(["-r", file, "-q", "-z", "conv,udp"])
    .split("\n")
    .filter((line) => line.includes("<->") && !/:9\s/.test(line))
    .map((line) => {
      const totals = [...line.matchAll(/(\d+) (\d+) bytes/g)].at(2)!;
      return [Number(totals[1]), Number(totals[2])] as [number, number];
    })
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

function ourConversations(analysis: CaptureAnalysis): Array<[number, number]> {
  return analysis.conversations
    .filter((c) => c.protocol === "udp")
    .map((c): [number, number] => [c.packets, (c.timeline ?? []).reduce((n, r) => n + r.frameLength, 0)])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

describe.skipIf(!runnable)("fragmented UDP recorded for real: socklab agrees with tshark", () => {
  let dir = "";
  const files = new Map<string, string>();

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "socklab-fragments-"));
    for (const s of SCENARIOS) {
      const out = join(dir, `${s.name}.pcap`);
      execFileSync(
        "unshare",
        [
          "--net",
          "python3",
          script,
          "--out",
          out,
          "--family",
          String(s.family),
          "--mtu",
          String(s.mtu),
        ].concat(["--interface", s.interface]),
        { stdio: ["ignore", "ignore", "inherit"], timeout: 60_000 },
      );
      files.set(s.name, out);
      if (s.fixture !== undefined && process.env.SOCKLAB_WRITE_FIXTURES === "1") {
        copyFileSync(out, join(root, "fixtures", "captures", "fragments", s.fixture));
      }
    }
  }, 300_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test.each(SCENARIOS)(
    "$name: every datagram on tshark's frame, with its stream, length and fragments",
    async (s) => {
      const file = files.get(s.name)!;
      const analysis = await analyseCapture(file);
      const theirs = tsharkRows(file);
      expect(theirs).toHaveLength(8);
      expect(ourRows(analysis)).toEqual(theirs);
      expect(theirs.map((r) => r[2] - 8)).toEqual([1473, 1473, 5000, 5000, 20000, 20000, 65000, 65000]);
    },
    120_000,
  );

  test.each(SCENARIOS)(
    "$name: conversations as -z conv,udp counts them",
    async (s) => {
      const file = files.get(s.name)!;
      const analysis = await analyseCapture(file);
      expect(ourConversations(analysis)).toEqual(tsharkConversations(file));
    },
    120_000,
  );

  test.each(SCENARIOS)(
    "$name: every fragment frame is in the overhead, the leftovers are ignored",
    async (s) => {
      const file = files.get(s.name)!;
      const analysis = await analyseCapture(file);
      const fragmentFrames = tshark([
        "-r",
        file,
        "-Y",
        "ip.flags.mf == 1 || ip.frag_offset > 0 || ipv6.fraghdr",
      ])
        .trim()
        .split("\n").length;
      const inDatagrams = analysis.conversations.reduce((n, c) => n + c.overhead.total.packets, 0);
      expect(inDatagrams + analysis.capture.ignored.fragments).toBe(fragmentFrames);
      // With -i any the copy of each datagram's completing fragment comes after it: 8 leftovers.
      expect(analysis.capture.ignored.fragments).toBe(s.interface === "any" ? 8 : 0);
      expect(analysis.overhead.total.total).toBe(analysis.capture.bytes);
      expect(analysis.overhead.total.packets).toBe(analysis.capture.packets);
    },
    120_000,
  );
});
