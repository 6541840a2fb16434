// The sensor tasks' benchmark: how long each takes (graded alone) against its own floor, the time its client is
// told to take (count × interval), and the latency socklab's lossy link adds to each datagram, measured on the
// capture of a perfect-link run (the same datagram on the client leg and on the server leg). Target: harness
// overhead under 10% of the floor per task.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REFERENCE_DIR } from "../harness/cli/check.ts";
import { conversations, gradeSubmission, loadManifest } from "../harness/grade/index.ts";
import { linkLegsOf, parseLinkOutput } from "../harness/impair/index.ts";
import { PROBES_DIR, TASKS } from "../tasks/index.ts";
import type { AloneRun } from "./check-bench.ts";

/** The tasks whose client is told how long to take. */
export const SENSOR_TASKS = ["sensor-tcp", "sensor-udp", "sensor-tcp-threaded", "sensor-udp-reliable"];

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

/** Per sensor task: best wall time alone against count × interval. */
async function overheadRows(alone: Record<string, AloneRun>): Promise<string[][]> {
  const manifest = await loadManifest(REFERENCE_DIR, TASKS);
  return SENSOR_TASKS.flatMap((id) => {
    const run = alone[id];
    const entry = manifest.tasks.get(id);
    if (!run || !entry) return [];
    const o = entry.options as { count: number; interval: number };
    const floorMs = o.count * o.interval * 1000;
    const task = run.result.tasks.find((t) => t.id === id)!;
    const runs = task.runs.length;
    const over = ((task.durationMs - floorMs) / floorMs) * 100;
    return [
      [
        `\`${id}\``,
        `${o.count} × ${o.interval} s = ${(floorMs / 1000).toFixed(1)} s`,
        (task.durationMs / 1000).toFixed(2),
        `${over.toFixed(0)}%`,
        over <= 10 ? "met" : "not met",
        `${runs} run${runs === 1 ? "" : "s"}; whole command ${(run.ms / 1000).toFixed(2)} s`,
      ],
    ];
  });
}

/** The link's added latency per datagram, µs, from the perfect-link run of sensor-udp-reliable. */
async function linkLatency(): Promise<string> {
  const out = await mkdtemp(join(tmpdir(), "socklab-bench-link-"));
  try {
    const graded = await gradeSubmission(REFERENCE_DIR, {
      tasks: TASKS,
      only: ["sensor-udp-reliable"],
      outDir: out,
      folders: { reference: REFERENCE_DIR, probes: PROBES_DIR },
      seed: 1,
      version: "bench",
    });
    const run = graded.evidence.get("sensor-udp-reliable")?.runs.clean;
    const link = run?.clients.find((c) => c.role.name === "link");
    if (!run || !link) return "the perfect-link run did not happen";
    const port = parseLinkOutput(link.outcome.stdout).port ?? 0;
    const legs = linkLegsOf(conversations(run), { linkPort: port, serverPort: run.port });
    const lines: string[] = [];
    for (const dir of ["c2s", "s2c"] as const) {
      const [inbound, outbound] = dir === "c2s" ? [legs.client, legs.server] : [legs.server, legs.client];
      const waiting = new Map<string, number[]>();
      for (const d of inbound.filter((d) => d.direction === dir && d.payload)) {
        waiting.set(d.payload!, [...(waiting.get(d.payload!) ?? []), d.timeUs]);
      }
      const delays: number[] = [];
      for (const d of outbound.filter((d) => d.direction === dir && d.payload)) {
        const arrived = waiting.get(d.payload!)?.shift();
        if (arrived !== undefined) delays.push(d.timeUs - arrived);
      }
      lines.push(
        `| ${dir === "c2s" ? "client → server" : "server → client"} | ${delays.length} | ${percentile(delays, 0.5)} | ${percentile(delays, 0.9)} | ${Math.max(...delays)} |`,
      );
    }
    return [
      "| direction | datagrams | median µs | p90 µs | max µs |",
      "| --- | ---: | ---: | ---: | ---: |",
      ...lines,
    ].join("\n");
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/** Markdown: the sensor tasks against their floor, and the link's latency. */
export async function sensorBenchmark(alone: Record<string, AloneRun>): Promise<string> {
  const rows = await overheadRows(alone);
  return [
    "| task | floor (count × interval) | task wall s | harness overhead | target ≤ 10% | notes |",
    "| --- | --- | ---: | ---: | --- | --- |",
    ...rows.map((r) => `| ${r.join(" | ")} |`),
    "",
    "Latency socklab's lossy link adds per datagram (perfect link, from the capture: the same bytes on the client leg and on the server leg):",
    "",
    await linkLatency(),
  ].join("\n");
}
