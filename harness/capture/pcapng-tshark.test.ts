// socklab's capture reader against tshark 4.0 itself: for every frame of pcapng written by Wireshark's tools
// (editcap, mergecap) and by socklab's test writer, and of nanosecond pcap in both byte orders, the frame
// number, the time to the nanosecond, both lengths, the interface and its link type must be tshark's. The
// pcapng files are joined into one (a pcapng file may hold any number of sections), so tshark runs once.
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildUdp } from "../decode/build.ts";
import { readCapture } from "./pcap-file.ts";
import * as ng from "./pcapng-build.ts";
import { readPcapng } from "./pcapng-file.ts";
import { type CaptureRecord, NOT_A_PACKET } from "./record.ts";

const FIXTURES = join(import.meta.dirname, "../../fixtures/captures");
const FIELDS = [
  "frame.number",
  "frame.time_epoch",
  "frame.len",
  "frame.cap_len",
  "frame.interface_id",
  "frame.encap_type",
];
// Wireshark's encapsulation numbers of the link types in these files.
const ENCAPSULATION = new Map([
  [1, "1"],
  [101, "7"],
  [113, "25"],
  [276, "210"],
]);

function tsharkAvailable(): boolean {
  try {
    execFileSync("tshark", ["--version"], { stdio: "ignore" });
    execFileSync("editcap", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

async function tsharkRows(file: string): Promise<string[]> {
  const args = ["-r", file, "-n", "-T", "fields", "-E", "separator=/t", ...FIELDS.flatMap((f) => ["-e", f])];
  const { stdout } = await promisify(execFile)("tshark", args, { maxBuffer: 64 << 20 });
  return stdout.split("\n").filter((line) => line !== "");
}

/** A record as tshark prints it. */
function row(record: CaptureRecord, linkType: number, interfaceId: number | undefined): string {
  const seconds = Math.floor(record.timeUs / 1e6);
  const fraction = (record.timeUs - seconds * 1e6) * 1000 + (record.nanos ?? 0);
  const time = `${seconds}.${String(fraction).padStart(9, "0")}`;
  const packet = linkType !== NOT_A_PACKET;
  return [
    record.number,
    time,
    record.originalLength,
    record.capturedLength,
    packet && interfaceId !== undefined ? interfaceId : "",
    packet ? (ENCAPSULATION.get(linkType) ?? `link type ${linkType}`) : "",
  ].join("\t");
}

const dir = mkdtempSync(join(tmpdir(), "socklab-pcapng-tshark-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LE = { le: true };
const BE = { le: false };
const SEC = 1_700_000_000n;
const frame = (n: number) =>
  buildUdp({ src: "127.0.0.1", dst: "127.0.0.1", sport: 40000 + n, dport: 5005, payload: `m${n}` });

// Every timestamp resolution and block kind, in sections of both byte orders.
function writerFile(): Uint8Array {
  const sysdig = (le: boolean) => {
    const body = new Uint8Array(40);
    const view = new DataView(body.buffer);
    view.setBigUint64(2, SEC * 1_000_000_000n + 555n, le);
    view.setUint32(18, 300, le);
    return body;
  };
  return ng.pcapng(
    ng.sectionHeader(LE),
    ng.interfaceDescription(LE, { linkType: 1 }),
    ng.interfaceDescription(LE, { linkType: 1, tsresol: 9 }),
    ng.interfaceDescription(LE, { linkType: 101, tsresol: 0x80 | 20 }),
    ng.interfaceDescription(LE, { linkType: 1, tsresol: 3, tsoffset: 1_000_000_000n }),
    ng.interfaceDescription(LE, { linkType: 1, tsresol: 12 }),
    ng.interfaceDescription(LE, { linkType: 1, tsresol: 0x80 | 40, tsoffset: -5n }),
    ng.interfaceDescription(LE, { linkType: 1, tsresol: 15, snapLength: 20 }),
    ng.interfaceDescription(LE, { linkType: 1, tsresol: 0 }),
    ng.enhancedPacket(LE, { iface: 0, ts: SEC * 1_000_000n + 123_456n, data: frame(0) }),
    ng.enhancedPacket(LE, { iface: 1, ts: SEC * 1_000_000_000n + 123_456_789n, data: frame(1) }),
    ng.enhancedPacket(LE, { iface: 2, ts: SEC * 1048576n + 1048575n, data: frame(2).subarray(14) }),
    ng.enhancedPacket(LE, { iface: 2, ts: SEC * 1048576n + 1n, data: frame(2).subarray(14) }),
    ng.enhancedPacket(LE, { iface: 3, ts: 700_000_000_999n, data: frame(3) }),
    ng.enhancedPacket(LE, { iface: 4, ts: SEC * 10n ** 12n + 999_999_999_999n, data: frame(4) }),
    ng.enhancedPacket(LE, { iface: 5, ts: 1_000_000n * (1n << 40n) + 123456789n, data: frame(5) }),
    ng.enhancedPacket(LE, { iface: 6, ts: 18_000_000_000_123_456_789n, data: frame(6), originalLength: 90 }),
    ng.enhancedPacket(LE, { iface: 7, ts: SEC, data: frame(7) }),
    ng.customBlock(LE, 0xbad, 32473, Uint8Array.of(1, 2, 3, 4, 5)),
    ng.nameResolution(LE, [127, 0, 0, 1], "lo.example"),
    ng.interfaceStatistics(LE, 0, 5n),
    ng.decryptionSecrets(LE, "CLIENT_RANDOM 00 00\n"),
    ng.block(0x12345, [1, 2, 3, 4], LE),
    ng.block(9, new TextEncoder().encode("__REALTIME_TIMESTAMP=1700000000000004\nMESSAGE=hi\n"), LE),
    ng.block(0x204, sysdig(true), LE),
    ng.block(0x216, sysdig(true), LE),
    ng.simplePacket(LE, frame(8)),
    ng.sectionHeader(BE),
    ng.interfaceDescription(BE, { linkType: 101, snapLength: 30 }),
    ng.interfaceDescription(BE, { linkType: 1, tsresol: 0x80 | 30 }),
    ng.interfaceDescription(BE, { linkType: 113 }),
    ng.enhancedPacket(BE, { iface: 1, ts: SEC * (1n << 30n) + 987654321n, data: frame(9) }),
    ng.enhancedPacket(BE, { iface: 0, ts: SEC * 1_000_000n + 1n, data: frame(10).subarray(14) }),
    ng.simplePacket(BE, frame(11).subarray(14, 14 + 30), 48),
    ng.obsoletePacket(BE, { iface: 1, ts: SEC * (1n << 30n), data: frame(12) }),
    ng.enhancedPacket(BE, { iface: 2, ts: SEC * 1_000_000n + 2n, data: new Uint8Array(30) }),
    ng.block(0x221, sysdig(false), BE),
    ng.customBlock(BE, 0x40000bad, 1, Uint8Array.of(9)),
  );
}

const hasTshark = tsharkAvailable();

describe.skipIf(!hasTshark)("every frame as tshark 4.0 reads it", () => {
  const joined = join(dir, "joined.pcapng");
  const classic = join(FIXTURES, "nanosecond-be.pcap");
  const expected = new Map<string, string[]>();

  beforeAll(async () => {
    const keys = join(dir, "keys.txt");
    writeFileSync(keys, "CLIENT_RANDOM 0011 2233\n");
    const editcap = (input: string, ...args: string[]) => {
      const out = join(dir, `${expected.size}-${args.length}-${input}.pcapng`);
      execFileSync("editcap", ["-F", "pcapng", ...args, join(FIXTURES, input), out]);
      return readFileSync(out);
    };
    const parts = [
      editcap("tcp-echo.pcap", "-a", "1:a comment", "-a", "3:another"),
      editcap("udp-echo.pcap", "--inject-secrets", `tls,${keys}`),
      editcap("nanosecond.pcap"),
      writerFile(),
      ...["wireshark.pcapng", "pcapng-be.pcapng", "tshark-only/pcapng-multi-link.pcapng"].map((name) =>
        readFileSync(join(FIXTURES, name)),
      ),
      readFileSync(join(FIXTURES, "tshark-only/pcapng-sections.pcapng")),
    ];
    writeFileSync(joined, ng.pcapng(...parts));
    const files = [joined, classic];
    const rows = await Promise.all(files.map(tsharkRows));
    for (const [i, file] of files.entries()) expected.set(file, rows[i]!);
  }, 60_000);

  test("pcapng: editcap's, mergecap's, the writer's and the fixtures, joined as sections", async () => {
    const ours: string[] = [];
    await readPcapng(
      joined,
      statSync(joined).size,
      (record, header, interfaceId) =>
        ours.push(row(record, record.linkType ?? header.linkType, interfaceId)),
      1 << 16,
    );
    const want = expected.get(joined)!;
    expect(want.length).toBeGreaterThan(130);
    const theirs = want.map((line) => line.split("\t"));
    // tshark shows no time for Simple Packet Blocks and custom blocks, which carry none; socklab's record
    // has the time of the record before it. Those times are not compared.
    const compared = ours.map((line, i) => {
      const cells = line.split("\t");
      if (theirs[i]?.[1] === "") cells[1] = "";
      return cells.join("\t");
    });
    expect(compared).toEqual(want);
  });

  // nanosecond-be.pcap holds nanosecond.pcap's packets: one tshark run checks both byte orders.
  test.each(["nanosecond.pcap", "nanosecond-be.pcap"])("classic nanosecond pcap: %s", async (name) => {
    const ours: string[] = [];
    await readCapture(join(FIXTURES, name), (record, header) =>
      ours.push(row(record, header.linkType, undefined)),
    );
    expect(ours).toEqual(expected.get(classic));
    expect(ours.some((line) => !/\.\d{6}000\t/.test(line))).toBe(true);
  });
});

if (!hasTshark) test.skip("tshark or editcap is not installed: agreement not checked", () => {});
