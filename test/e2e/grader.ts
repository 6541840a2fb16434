// Grading real submissions from the end-to-end tests and scripts: a few at a time (each grading opens several
// sandboxes), each into its own folder under one temporary root, with the reference and the probes in place.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gradeSubmission, limiter, type SubmissionResult } from "../../harness/grade/index.ts";
import { PROBES_DIR, TASKS } from "../../tasks/index.ts";

export const ROOT = join(import.meta.dirname, "..", "..");
export const REFERENCE = join(ROOT, "reference");
export const FIXTURES = join(ROOT, "fixtures", "submissions");
export const VARIANTS = join(ROOT, "fixtures", "variants");
export const HOSTILE = join(ROOT, "fixtures", "hostile");

export interface Grader {
  /** Grades a submission folder (with seed 1), at most `concurrency` at once. */
  grade(dir: string): Promise<SubmissionResult>;
  /** Removes every grading's output. */
  dispose(): Promise<void>;
}

/** A grader writing under a fresh temporary folder named after `prefix`; `only` limits the tasks. */
export async function grader(
  prefix: string,
  options: { only?: string[]; concurrency?: number } = {},
): Promise<Grader> {
  const outRoot = await mkdtemp(join(tmpdir(), `socklab-${prefix}-`));
  const limit = limiter(options.concurrency ?? 3);
  let counter = 0;
  return {
    grade: (dir) =>
      limit(async () => {
        const graded = await gradeSubmission(dir, {
          tasks: TASKS,
          ...(options.only ? { only: options.only } : {}),
          outDir: join(outRoot, String(counter++)),
          folders: { reference: REFERENCE, probes: PROBES_DIR },
          seed: 1,
          version: "test",
        });
        return graded.result;
      }),
    dispose: () => rm(outRoot, { recursive: true, force: true }),
  };
}

/** Every check of a submitted task that did not pass, one line each, for assertion messages. */
export function explain(result: SubmissionResult): string {
  return result.tasks
    .filter((t) => t.status !== "not-submitted")
    .flatMap((t) =>
      t.checks
        .filter((c) => c.status !== "passed")
        .map(
          (c) =>
            `${t.id}/${c.id}: ${c.status} ${c.status === "failed" ? `${c.failure.message} | seen: ${c.failure.actual}` : c.status === "errored" ? c.error : c.reason}`,
        ),
    )
    .join("\n");
}
