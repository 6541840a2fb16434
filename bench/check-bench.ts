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

/** A task graded alone: the best wall time and the result of that grading. */
export interface AloneRun {
  readonly ms: number;
  readonly result: SubmissionResult;
}

/** Grades each task alone `repeats` times (after a warm-up) and keeps the best of each. */
export async function gradeAlone(ids: readonly string[], repeats = 3): Promise<Record<string, AloneRun>> {
  await timed(["tcp-echo"]); // warm-up: interpreter resolution, module loading
  const alone: Record<string, AloneRun> = {};
  for (const id of ids) {
    const tries: AloneRun[] = [];
    for (let i = 0; i < repeats; i++) tries.push(await timed([id]));
    alone[id] = tries.reduce((a, b) => (b.ms < a.ms ? b : a));
  }
  return alone;
}

/** Runs the grading benchmark: Markdown lines, and each task's best grading alone. */
export async function checkBenchmark(
  repeats = 3,
): Promise<{ markdown: string; alone: Record<string, AloneRun> }> {
  const alone = await gradeAlone(
    TASKS.map((t) => t.id),
    repeats,
  );
  const rows = Object.entries(alone).map(([id, run]) => [`\`${id}\` alone`, run.ms.toFixed(0), "", ""]);
  const whole: number[] = [];
  let last: SubmissionResult | undefined;
  for (let i = 0; i < repeats; i++) {
    const { ms, result } = await timed();
    whole.push(ms);
    last = result;
  }
  const best = Math.min(...whole);
  const slowest = Math.max(...Object.values(alone).map((a) => a.ms));
  const runs = last!.tasks.flatMap((t) => t.runs);
  rows.push([
    `all ${TASKS.length} tasks (\`socklab check reference/\`)`,
    best.toFixed(0),
    `${(best / slowest).toFixed(2)}× the slowest task alone (target ≤ 1.3×)`,
    `${runs.length} runs; programs' own wall time summed: ${programMs(last!).toFixed(0)} ms; runs' wall summed: ${runs.reduce((n, r) => n + r.wallMs, 0)} ms`,
  ]);
  const markdown = [
    "| what | best wall ms | ratio | notes |",
    "| --- | --- | --- | --- |",
    ...rows.map((r) => `| ${r.join(" | ")} |`),
    "",
    `(best of ${repeats} runs each)`,
  ].join("\n");
  return { markdown, alone };
}
