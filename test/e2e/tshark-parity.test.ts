// socklab analyse --json held to tshark 4.0 on real captures of every kind in every format: the corpus of
// test/support/parity/generate.py (drops, zero window, keep-alives, port reuse and resets, IPv6, IP fragments,
// a router seen through `-i any`, sequence numbers across 2^32, IP options, VLAN and QinQ, a VLAN trunk
// carrying every fragment twice, TCP Fast Open, ICMP errors with and without their datagrams, files joined
// out of time order, 4-tuples back after minutes of quiet; as pcap, nanosecond pcap, pcapng, nanosecond
// pcapng, snap-length cuts, Linux SLL/SLL2, BSD NULL in either byte order, OpenBSD LOOP, raw IP, a pcapng of
// two link types, big-endian and two-section pcapng, interfaces in 10^-3, 10^-6, 10^-9 and 2^-20 s), made
// once into a temporary folder. One test per capture: each must show no discrepancy at all, and a failure
// lists the first differing frames with both values (test/support/parity/compare.ts).
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
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
// Made only when the corpus will be: a file whose tests are all skipped runs no afterAll to remove it.
const dir = missing.length > 0 ? "" : mkdtempSync(join(tmpdir(), "socklab-parity-"));
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

// tshark's view of each capture, promised before the corpus exists: each test waits for its own. tshark
// runs two at a time, each as soon as generate.py has written its capture (while later kinds are still being
// recorded), ahead of the tests.
const views = new Map<string, Promise<TsharkView>>();
const settlers = new Map<string, { resolve(v: Promise<TsharkView>): void; reject(e: unknown): void }>();
for (const { file, sameFramesAs } of entries) {
  if (sameFramesAs !== null) continue;
  views.set(file, new Promise((resolve, reject) => settlers.set(file, { resolve, reject })));
  // Awaited by a test, which reports the failure; never unhandled when that test is filtered out.
  views.get(file)!.catch(() => {});
}

let running = 0;
const waiting: Array<() => void> = [];
async function twoAtATime<T>(task: () => Promise<T>): Promise<T> {
  while (running >= 2) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await task();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

beforeAll(async () => {
  if (missing.length > 0) return;
  const generation = spawn("python3", [generator, dir], { stdio: ["ignore", "pipe", "inherit"] });
  const exit = once(generation, "close");
  const timer = setTimeout(() => generation.kill("SIGTERM"), 120_000);
  try {
    for await (const line of createInterface({ input: generation.stdout! })) {
      const made = JSON.parse(line) as Entry;
      settlers.get(made.file)?.resolve(twoAtATime(() => tsharkView(made.file)));
      settlers.delete(made.file);
    }
    const [code, signal] = await exit;
    if (code !== 0) throw new Error(`generate.py ended with ${signal ?? `exit code ${code}`}`);
  } finally {
    clearTimeout(timer);
    for (const [file, settler] of settlers) settler.reject(new Error(`generate.py did not make ${file}`));
  }
}, 150_000);

afterAll(() => {
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
});

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
