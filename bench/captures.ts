// The benchmark's captures, made once and cached in bench/out/ (gitignored) with a manifest of how each was
// made and what it holds (bench/out/captures.json). Two are recorded from real traffic (traffic.py inside a
// fresh network namespace, with nftables dropping packets at random); the large ones are tiled from the first.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type CaptureCounts, countCapture, tileCapture } from "./tile.ts";

/** One capture the benchmark runs on. */
export interface BenchCapture {
  readonly name: string;
  readonly path: string;
  readonly counts: CaptureCounts;
  /** How it was made, in words and with the exact command or source. */
  readonly made: string;
  readonly fileBytes: number;
  readonly generationSeconds: number;
  /** traffic.py's summary of the recording (this capture's, or its base's): seed, drop rates, tcpdump's counts. */
  readonly recording?: unknown;
}

interface Plan {
  readonly name: string;
  readonly made: string;
  /** Writes the capture to `${path}.partial`; returns the recording it comes from, if any. */
  readonly make: (path: string) => unknown;
}

/** BENCH_SMALL=1 makes every capture ten times smaller (to try the benchmark itself quickly). */
const SMALL = process.env.BENCH_SMALL === "1";
const scale = (n: number) => (SMALL ? n / 10 : n);
const suffix = SMALL ? "-small" : "";

// Records real traffic into `out` and returns traffic.py's summary, also kept beside it as `${out}.json`.
function record(here: string, out: string, args: string[]): unknown {
  // Root may make a network namespace directly; anyone else needs a user namespace that maps them to root.
  const unshare = process.getuid?.() === 0 ? ["--net"] : ["--net", "--map-root-user"];
  const text = execFileSync(
    "unshare",
    [...unshare, "python3", join(here, "traffic.py"), ...args, "--out", `${out}.partial`],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  const summary = text.trim().split("\n").pop() ?? "{}";
  writeFileSync(`${out}.json`, summary);
  return JSON.parse(summary);
}

function recording(path: string): unknown {
  return existsSync(`${path}.json`) ? JSON.parse(readFileSync(`${path}.json`, "utf8")) : undefined;
}

function plans(here: string, out: string): Plan[] {
  const base = join(out, `base-mixed${suffix}.pcap`);
  const mixed = [
    "traffic.py mixed",
    "--seed",
    "1",
    "--packets",
    String(scale(250_000)),
    "--workers",
    "32",
  ] as const;
  const short = [
    "traffic.py short",
    "--seed",
    "2",
    "--connections",
    String(scale(100_000)),
    "--workers",
    "200",
  ] as const;
  const baseMade = `recorded: \`unshare --net python3 bench/${mixed.join(" ")}\` (nftables drops 1.5 % of TCP/UDP packets after tcpdump saw them and 0.5 % before)`;
  const tiled = (packets: number): Plan => ({
    name: `mixed-${packets >= 1e6 ? `${packets / 1e6}m` : `${packets / 1e3}k`}`,
    made: `tiled from base-mixed${suffix}.pcap (bench/tile.ts): copies shifted in time, copy k's addresses moved (127.k.0.1, fd0k::1), cut at ${packets.toLocaleString("en")} packets; base ${baseMade}`,
    make: (path) => {
      ensure(base, () => record(here, base, ["mixed", ...mixed.slice(1)]));
      tileCapture(base, `${path}.partial`, packets);
      return recording(base);
    },
  });
  return [
    tiled(scale(1_000_000)),
    tiled(scale(10_000_000)),
    {
      name: `short-${scale(100_000) / 1000}k`,
      made: `recorded: \`unshare --net python3 bench/${short.join(" ")}\`: that many short TCP connections (request, echo, close; 5 % closed by RST) to 16 server sockets, same drops`,
      make: (path) => record(here, path, ["short", ...short.slice(1)]),
    },
  ];
}

// Makes `path` by `make` (which writes `${path}.partial`) unless it exists.
function ensure(path: string, make: () => unknown): void {
  if (existsSync(path)) return;
  process.stderr.write(`bench: making ${path} …\n`);
  make();
  if (existsSync(`${path}.partial`)) renameSync(`${path}.partial`, path);
}

/** Makes whatever capture is missing (the slow part of a first run) and returns them all. */
export function benchCaptures(here: string, out: string): BenchCapture[] {
  const manifestPath = join(out, "captures.json");
  const manifest: Record<string, BenchCapture> = existsSync(manifestPath)
    ? JSON.parse(readFileSync(manifestPath, "utf8"))
    : {};
  const result: BenchCapture[] = [];
  for (const plan of plans(here, out)) {
    const path = join(out, `${plan.name}${suffix}.pcap`);
    const key = `${plan.name}${suffix}`;
    const known = manifest[key];
    if (known && existsSync(path) && statSync(path).size === known.fileBytes) {
      result.push({ ...known, path });
      continue;
    }
    const started = performance.now();
    let made: unknown;
    if (!existsSync(path)) {
      rmSync(`${path}.partial`, { force: true });
      ensure(path, () => {
        made = plan.make(path);
      });
    }
    const capture: BenchCapture = {
      name: plan.name,
      path,
      counts: countCapture(path),
      made: plan.made,
      fileBytes: statSync(path).size,
      generationSeconds: Math.round((performance.now() - started) / 100) / 10,
      recording: made ?? recording(path) ?? recording(join(out, `base-mixed${suffix}.pcap`)),
    };
    manifest[key] = capture;
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
    result.push(capture);
  }
  return result;
}
