// Internal micro-benchmark, for socklab's developers: measure.ts's in-process loops (read and decode every
// packet; the streaming analysis without per-packet rows, rendering nothing) on the 1 M-packet capture. Not
// what users run: `socklab analyse` is measured as a whole process by analyse-bench.ts.
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measure } from "./analyse-bench.ts";
import { benchCaptures } from "./captures.ts";

interface LoopReport {
  packets: number;
  seconds: number;
  packetsPerSecond: number;
}

/** Runs measure.ts decode and analyse on the 1 M capture; returns Markdown and the rows. */
export async function internalBenchmark(
  here: string,
  _root: string,
): Promise<{ markdown: string; rows: Record<string, string | number>[] }> {
  const capture = benchCaptures(here, join(here, "out")).find((c) => c.name.startsWith("mixed"))!;
  const rows: Record<string, string | number>[] = [];
  const stdout = join(tmpdir(), `socklab-bench-internal-${process.pid}.json`);
  for (const mode of ["decode", "analyse"]) {
    for (let r = 0; r < Number(process.env.BENCH_REPEATS ?? 3); r++) {
      process.stderr.write(`bench: internal ${mode} on ${capture.name} (run ${r + 1}) …\n`);
      const run = measure(
        here,
        [process.execPath, "--import", "tsx", join(here, "measure.ts"), mode, capture.path],
        stdout,
      );
      let loop: Partial<LoopReport> = {};
      try {
        loop = JSON.parse(readFileSync(stdout, "utf8").trim().split("\n").pop() ?? "{}");
      } catch {
        // A failed run prints no report: its exit code says so.
      }
      rows.push({
        mode,
        capture: capture.name,
        "wall s (process)": run.wallSeconds.toFixed(2),
        "loop s": loop.seconds?.toFixed(2) ?? "–",
        "packets/s (loop)": loop.packetsPerSecond?.toLocaleString("en") ?? "–",
        "peak RSS MiB": (run.treeRssKiB / 1024).toFixed(0),
        exit: run.exitCode ?? `signal ${run.signal}`,
      });
    }
  }
  rmSync(stdout, { force: true });
  const headers = Object.keys(rows[0] ?? {});
  const markdown = [
    `| ${headers.join(" | ")} |`,
    `| ${headers.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${headers.map((h) => String(r[h])).join(" | ")} |`),
  ].join("\n");
  return { markdown, rows };
}
