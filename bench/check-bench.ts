// The grading benchmark: wall time of checking the reference (all tasks, in parallel namespaces) against each
// task alone, and against the time the programs themselves need. Target: the whole check within 1.3× its
// slowest task alone.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkSubmission, REFERENCE_DIR } from "../harness/cli/check.ts";
import type { SubmissionResult } from "../harness/grade/index.ts";
import { TASKS } from "../tasks/index.ts";

async function timed(only?: string[]): Promise<{ ms: number; result: SubmissionResult }> {
  const out = await mkdtemp(join(tmpdir(), "socklab-bench-"));
  try {
    const started = performance.now();
    const result = await checkSubmission(REFERENCE_DIR, { outDir: out, seed: 1, ...(only ? { only } : {}) });
    return { ms: performance.now() - started, result };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

function programMs(result: SubmissionResult): number {
  return result.tasks.flatMap((t) => t.runs.flatMap((r) => r.programs)).reduce((n, p) => n + p.wallMs, 0);
}

/** Runs the grading benchmark and returns Markdown lines. */
export async function checkBenchmark(repeats = 3): Promise<string> {
  await timed(["tcp-echo"]); // warm-up: interpreter resolution, module loading
  const rows: string[][] = [];
  const alone: Record<string, number> = {};
  for (const task of TASKS) {
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) times.push((await timed([task.id])).ms);
    alone[task.id] = Math.min(...times);
    rows.push([`\`${task.id}\` alone`, alone[task.id]!.toFixed(0), "", ""]);
  }
  const whole: number[] = [];
  let last: SubmissionResult | undefined;
  for (let i = 0; i < repeats; i++) {
    const { ms, result } = await timed();
    whole.push(ms);
    last = result;
  }
  const best = Math.min(...whole);
  const slowest = Math.max(...Object.values(alone));
  const runs = last!.tasks.flatMap((t) => t.runs);
  rows.push([
    "all five tasks (`socklab check reference/`)",
    best.toFixed(0),
    `${(best / slowest).toFixed(2)}× the slowest task alone (target ≤ 1.3×)`,
    `${runs.length} runs; programs' own wall time summed: ${programMs(last!).toFixed(0)} ms; runs' wall summed: ${runs.reduce((n, r) => n + r.wallMs, 0)} ms`,
  ]);
  return [
    "| what | best wall ms | ratio | notes |",
    "| --- | --- | --- | --- |",
    ...rows.map((r) => `| ${r.join(" | ")} |`),
    "",
    `(best of ${repeats} runs each)`,
  ].join("\n");
}
