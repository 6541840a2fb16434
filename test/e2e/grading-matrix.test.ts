// The grader end to end on real programs: the reference passes every check of every task, five times in a
// row with identical verdicts; each buggy fixture fails exactly the checks fixtures/submissions/expected.yaml
// lists; and every check of every task fails for some fixture (no check that cannot fail).
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gradeSubmission, limiter, parseYaml, type SubmissionResult } from "../../harness/grade/index.ts";
import { PROBES_DIR, TASKS } from "../../tasks/index.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const REFERENCE = join(ROOT, "reference");
const FIXTURES = join(ROOT, "fixtures", "submissions");
const outRoot = await mkdtemp(join(tmpdir(), "socklab-matrix-"));
afterAll(() => rm(outRoot, { recursive: true, force: true }));

const expectedText = await readFile(join(FIXTURES, "expected.yaml"), "utf8");
const parsed = parseYaml(expectedText);
if (!parsed.ok) throw new Error(`expected.yaml: ${parsed.message}`);
const expected = parsed.value as Record<string, Record<string, string[]> | null>;
const fixtures = Object.keys(expected).filter((name) => name !== "reference");

// Grading runs several sandboxes each; keep the machine from being swamped by parallel test files.
const limit = limiter(3);
let counter = 0;

async function grade(dir: string): Promise<SubmissionResult> {
  return limit(async () => {
    const graded = await gradeSubmission(dir, {
      tasks: TASKS,
      outDir: join(outRoot, String(counter++)),
      folders: { reference: REFERENCE, probes: PROBES_DIR },
      seed: 1,
      version: "test",
    });
    return graded.result;
  });
}

/** task id → the ids of its failed checks (skipped ones are not failures). */
function failures(result: SubmissionResult): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const task of result.tasks) {
    const failed = task.checks
      .filter((c) => c.status === "failed" || c.status === "errored")
      .map((c) => c.id);
    if (failed.length > 0) out[task.id] = failed.sort();
  }
  return out;
}

function explain(result: SubmissionResult): string {
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

describe.concurrent("grading the reference", () => {
  it("passes every check of every task, five times in a row with identical verdicts", async ({ expect }) => {
    const verdicts: string[] = [];
    for (let i = 0; i < 5; i++) {
      const result = await grade(REFERENCE);
      expect(
        result.tasks.map((t) => t.status),
        explain(result),
      ).toEqual(TASKS.map(() => "passed"));
      expect(result.score).toBe(result.maxScore);
      verdicts.push(JSON.stringify(result.tasks.map((t) => t.checks.map((c) => [c.id, c.status, c.points]))));
    }
    expect(new Set(verdicts).size).toBe(1);
  }, 600_000);
});

describe.concurrent("the fixture matrix", () => {
  for (const name of fixtures) {
    it(`${name} fails exactly the expected checks`, async ({ expect }) => {
      const result = await grade(join(FIXTURES, name));
      const got = failures(result);
      const want = Object.fromEntries(
        Object.entries(expected[name] ?? {}).map(([t, ids]) => [t, [...ids].sort()]),
      );
      expect(got, explain(result)).toEqual(want);
    });
  }

  it("lists, across the fixtures, a failure for every check of every task", () => {
    const all = TASKS.flatMap((t) => t.checks.map((c) => `${t.id}/${c.id}`));
    const listed = new Set(
      Object.values(expected).flatMap((tasks) =>
        Object.entries(tasks ?? {}).flatMap(([t, ids]) => ids.map((id) => `${t}/${id}`)),
      ),
    );
    expect(all.filter((id) => !listed.has(id))).toEqual([]);
  });
});
