// The grader end to end on real programs: the reference passes every check of every task; each buggy fixture
// fails exactly the checks fixtures/submissions/expected.yaml lists; and every check of every task fails for
// some fixture (no check that cannot fail). Repeated gradings are scripts/repeat-grading.ts (`npm run repeat`).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseYaml, type SubmissionResult } from "../../harness/grade/index.ts";
import { TASKS } from "../../tasks/index.ts";
import { explain, FIXTURES, grader, REFERENCE } from "./grader.ts";

const { grade, dispose } = await grader("matrix");
afterAll(dispose);

const expectedText = await readFile(join(FIXTURES, "expected.yaml"), "utf8");
const parsed = parseYaml(expectedText);
if (!parsed.ok) throw new Error(`expected.yaml: ${parsed.message}`);
const expected = parsed.value as Record<string, Record<string, string[]> | null>;
const fixtures = Object.keys(expected).filter((name) => name !== "reference");

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

describe.concurrent("grading the reference", () => {
  // Once here: five gradings in a row, and fifty under load, are `npm run repeat` (scripts/repeat-grading.ts).
  it("passes every check of every task", async ({ expect }) => {
    const result = await grade(REFERENCE);
    expect(
      result.tasks.map((t) => t.status),
      explain(result),
    ).toEqual(TASKS.map(() => "passed"));
    expect(result.score).toBe(result.maxScore);
  });
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
