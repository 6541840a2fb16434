// socklab analyse --json held to tshark 4.0 on real captures of every kind in every format: the corpus of
// test/support/parity/generate.py (drops, zero window, keep-alives, port reuse and resets, IPv6, IP fragments,
// a router seen through `-i any`, sequence numbers across 2^32, IP options, VLAN and QinQ, a VLAN trunk
// carrying every fragment twice; as pcap, nanosecond pcap, pcapng, nanosecond pcapng, snap-length cuts, Linux
// SLL/SLL2 and a pcapng of two link types), made once into a temporary folder. One test per capture: each
// must show no discrepancy at all, and a failure lists the first differing frames with both values
// (test/support/parity/compare.ts).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareCapture } from "../support/parity/compare.ts";
import { formatDiscrepancies } from "../support/parity/discrepancy.ts";
import { type TsharkView, tsharkView } from "../support/parity/tshark.ts";

const parity = join(import.meta.dirname, "..", "support", "parity");
const generator = join(parity, "generate.py");
const TOOLS = ["unshare", "nsenter", "ip", "nft", "tcpdump", "tshark", "editcap", "mergecap", "python3"];

function missingTools(): string[] {
  const missing = TOOLS.filter((tool) => {
    try {
      execFileSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" });
      return false;
    } catch {
      return true;
    }
  });
  if (process.getuid?.() !== 0) missing.push("root");
  // socklab reproduces tshark 4.0: another version's analysis is not the reference.
  if (!missing.includes("tshark")) {
    const version = execFileSync("tshark", ["--version"], { encoding: "utf8" }).split("\n")[0]!;
    if (!/ 4\.0\.\d+ /.test(`${version} `)) missing.push(`tshark 4.0 (found: ${version})`);
  }
  return missing;
}

const missing = missingTools();
const dir = mkdtempSync(join(tmpdir(), "socklab-parity-"));
interface Entry {
  kind: string;
  variant: string;
  file: string;
  /** A capture with exactly these frames (a lossless conversion): tshark runs on one of the two only. */
  sameFramesAs: string | null;
}
// The corpus's entries are known before it is made, so that each capture is a test of its own.
const entries: Entry[] =
  missing.length > 0
    ? []
    : JSON.parse(execFileSync("python3", [generator, dir, "--list"], { encoding: "utf8" }));

// tshark's runs are started once the corpus exists, two at a time, ahead of the tests that wait for them.
const views = new Map<string, Promise<TsharkView>>();

function startTshark(files: string[], parallel: number): void {
  const queue = [...files];
  const settlers = new Map<string, { resolve(v: TsharkView): void; reject(e: unknown): void }>();
  for (const file of files) {
    views.set(file, new Promise((resolve, reject) => settlers.set(file, { resolve, reject })));
    // Awaited by a test, which reports the failure; never unhandled when that test is filtered out.
    views.get(file)!.catch(() => {});
  }
  const worker = async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      await tsharkView(file).then(settlers.get(file)!.resolve, settlers.get(file)!.reject);
    }
  };
  for (let i = 0; i < parallel; i++) void worker();
}

beforeAll(() => {
  if (missing.length > 0) return;
  execFileSync("python3", [generator, dir], { stdio: ["ignore", "ignore", "inherit"], timeout: 120_000 });
  startTshark(
    entries.filter((e) => e.sameFramesAs === null).map((e) => e.file),
    2,
  );
}, 150_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("socklab analyse agrees with tshark", () => {
  // Without the tools the corpus has no entries: one skipped test says what is missing.
  if (missing.length > 0)
    it.skip(`needs ${TOOLS.join(", ")}, root, tshark 4.0; missing: ${missing.join(", ")}`);

  it.each(entries)("$kind as $variant", async ({ kind, variant, file, sameFramesAs }) => {
    const list = await compareCapture(file, views.get(sameFramesAs ?? file));
    const name = `${kind}.${variant}`;
    expect(formatDiscrepancies(name, list, 8)).toBe(`${name}: no discrepancies`);
  });
});
