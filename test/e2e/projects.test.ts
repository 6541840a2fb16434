// Projects in the style of real student projects (fixtures/projects/): INIT/HEARTBEAT/END protocols, batches,
// JSON and text payloads, logging to stderr, a C pair built with `build:`, programs in subfolders, a
// length-prefixed tail — each graded as fixtures/projects/expected.yaml says: the correct ones at full marks,
// the buggy ones failing exactly the check that judges their bug.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, it } from "vitest";
import { parseYaml, z } from "../../harness/grade/index.ts";
import { explain, grader, ROOT } from "./grader.ts";

const PROJECTS = join(ROOT, "fixtures", "projects");
const parsed = parseYaml(await readFile(join(PROJECTS, "expected.yaml"), "utf8"));
if (!parsed.ok) throw new Error(`fixtures/projects/expected.yaml: ${parsed.message}`);
/** Project → declared task → the checks that must fail. */
const expected = z.record(z.string(), z.record(z.string(), z.array(z.string()))).parse(parsed.value);
const { grade, dispose } = await grader("projects");
afterAll(dispose);

describe.concurrent("real-project fixtures", () => {
  for (const [name, tasks] of Object.entries(expected)) {
    it(`${name}: ${Object.values(tasks).some((f) => f.length > 0) ? "fails as its bug says" : "full marks"}`, async ({
      expect,
    }) => {
      const result = await grade(join(PROJECTS, name));
      const declared = result.tasks.filter((t) => t.status !== "not-submitted");
      expect(declared.map((t) => t.id).sort()).toEqual(Object.keys(tasks).sort());
      for (const task of declared) {
        const failed = task.checks.filter((c) => c.status === "failed").map((c) => c.id);
        const errored = task.checks.filter((c) => c.status === "errored").map((c) => c.id);
        expect({ task: task.id, failed, errored }, explain(result)).toEqual({
          task: task.id,
          failed: tasks[task.id],
          errored: [],
        });
      }
    });
  }
});
