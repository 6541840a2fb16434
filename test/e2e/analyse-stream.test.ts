// `socklab analyse` as a user runs it, on a capture of real traffic: TCP and UDP over IPv4 and IPv6 in a
// network namespace, with nftables dropping packets (retransmissions, holes, out-of-order segments), recorded
// by tcpdump. The streamed JSON must be the library's whole analysis, and survive a slow reader on a pipe.
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyseCapture } from "../../harness/analyse/index.ts";
import { documentText } from "../support/analysis-document.ts";

const root = join(import.meta.dirname, "..", "..");
const socklab = [join(root, "bin", "socklab.js"), "analyse"];
let dir = "";
let capture = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "socklab-analyse-e2e-"));
  capture = join(dir, "mixed.pcap");
  // 20,000 packets of the benchmark's mixed traffic (seeded client choices; drops are the kernel's).
  execFileSync(
    "unshare",
    ["--net", "python3", join(root, "bench", "traffic.py"), "mixed", "--out", capture, "--seed", "3"].concat([
      "--packets",
      "20000",
      "--workers",
      "8",
    ]),
    { stdio: ["ignore", "ignore", "inherit"], timeout: 120_000 },
  );
}, 150_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("socklab analyse on real traffic with drops", () => {
  it("streams --json that is the library's whole analysis, every conversation in order", async () => {
    const { stdout, exitCode } = await execa(
      process.execPath,
      [...socklab, capture, "--json", "--packets", "all", "--stream-bytes", String(1 << 20)],
      { stripFinalNewline: false, maxBuffer: 1 << 30 },
    );
    expect(exitCode).toBe(0);
    const whole = await analyseCapture(capture, {
      keepStreams: 1 << 20,
      rowPayloadBytes: 1 << 20,
      hashStreams: true,
    });
    expect(whole.capture.packets).toBe(20000);
    expect(whole.conversations.length).toBeGreaterThan(100);
    const labels = whole.conversations.flatMap((c) => (c.protocol === "tcp" ? Object.values(c.labels) : []));
    expect(labels.some((n) => n > 0)).toBe(true);
    expect(stdout).toBe(documentText(whole));
  }, 120_000);

  it("writes all of a large document to a reader that is slower than it", async () => {
    const { stdout } = await execa(
      "bash",
      [
        "-o",
        "pipefail",
        "-c",
        `"$0" "$@" | { sleep 1; wc -c; }`,
        process.execPath,
        ...socklab,
        capture,
        "--json",
        "--packets",
        "all",
      ],
      { timeout: 120_000 },
    );
    const direct = await execa(process.execPath, [...socklab, capture, "--json", "--packets", "all"], {
      stripFinalNewline: false,
      maxBuffer: 1 << 30,
    });
    expect(Number(stdout.trim())).toBe(Buffer.byteLength(direct.stdout));
    expect(Buffer.byteLength(direct.stdout)).toBeGreaterThan(1 << 20);
  }, 120_000);

  it("details the first conversations in Markdown and counts the rest", async () => {
    const { stdout, exitCode } = await execa(process.execPath, [...socklab, capture]);
    expect(exitCode).toBe(0);
    expect(stdout).toContain(`# Analysis of ${capture}`);
    expect(stdout).toMatch(/\d+ further conversations were analysed but are not listed\./);
    expect(stdout).toContain("## Overhead of the whole capture");
  }, 120_000);
});
