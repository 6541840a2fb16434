// docs/grading-policy.md says, for every check, which handout sentence it enforces and what it leaves free:
// a check added without a line there is a rule nobody wrote down.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TASKS } from "./index.ts";

describe("docs/grading-policy.md", () => {
  it("names every check of every task", async () => {
    const policy = await readFile(join(import.meta.dirname, "..", "docs", "grading-policy.md"), "utf8");
    const ids = [...new Set(TASKS.flatMap((t) => t.checks.map((c) => c.id)))];
    expect(ids.filter((id) => !policy.includes(`\`${id}\``))).toEqual([]);
  });
});
