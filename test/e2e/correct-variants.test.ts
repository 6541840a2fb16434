// Correct programs written differently from reference/: each submission in fixtures/variants/ was written from
// the handout, the way students write these programs (socketserver, asyncio, selectors, prompts, banners,
// other quit words, other struct formats, values printed in other forms, control messages…), before the
// checks it exercises were read. Every one must get full marks on every task it declares: a check that fails
// one of them judges an incidental choice of the reference, not the handout's property. And every check must
// be passed by at least three of them, so that no check is only ever passed by programs like the reference.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TASKS } from "../../tasks/index.ts";
import { explain, grader, VARIANTS } from "./grader.ts";

const { grade, dispose } = await grader("variants");
afterAll(dispose);

const names = (await readdir(VARIANTS, { withFileTypes: true }))
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

/** check id ("task/check") → the variants that passed it. */
const passedBy = new Map<string, Set<string>>();

describe.concurrent("correct variants", () => {
  it("there are at least 30 of them", () => {
    expect(names.length).toBeGreaterThanOrEqual(30);
  });

  for (const name of names) {
    it(`${name} gets full marks on every task it declares`, async ({ expect }) => {
      const result = await grade(join(VARIANTS, name));
      const declared = result.tasks.filter((t) => t.status !== "not-submitted");
      expect(declared.length, `${name} declares no task`).toBeGreaterThanOrEqual(1);
      for (const task of declared) {
        for (const check of task.checks) {
          if (check.status === "passed") {
            const key = `${task.id}/${check.id}`;
            passedBy.set(key, (passedBy.get(key) ?? new Set()).add(name));
          }
        }
      }
      expect(
        declared.map((t) => [t.id, t.status]),
        explain(result),
      ).toEqual(declared.map((t) => [t.id, "passed"]));
    });
  }
});

describe("every check", () => {
  it("is passed by at least three correct variants", () => {
    const all = TASKS.flatMap((t) => t.checks.map((c) => `${t.id}/${c.id}`));
    const few = all
      .map((id) => [id, [...(passedBy.get(id) ?? [])]] as const)
      .filter(([, by]) => by.length < 3)
      .map(([id, by]) => `${id}: ${by.join(", ") || "none"}`);
    expect(few).toEqual([]);
  });
});
