import { describe, expect, it } from "vitest";
import { type CheckDefinition, defineCheck, fail, pass, runChecks } from "./check.ts";

type E = { ok: Record<string, boolean> };
const check = (id: string, dependsOn?: string, points = 1): CheckDefinition<E> =>
  defineCheck({
    id,
    title: `check ${id}`,
    points,
    ...(dependsOn ? { dependsOn } : {}),
    run: (e) => (e.ok[id] ? pass(`${id} ok`) : fail({ message: `${id} broke`, expected: "x", actual: "y" })),
  });

describe("runChecks", () => {
  it("passes, fails and skips by dependency, keeping declaration order", () => {
    const results = runChecks([check("b", "a"), check("a"), check("c", "b")], {
      ok: { a: false, b: true, c: true },
    });
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ["b", "skipped"],
      ["a", "failed"],
      ["c", "skipped"],
    ]);
    expect(results[0]).toMatchObject({ reason: "needs 'check a' to pass first", points: 0 });
  });

  it("gives full points on a pass and partial points when a failure says so", () => {
    const partial = defineCheck<E>({
      id: "p",
      title: "partial",
      points: 4,
      run: () => ({ pass: false, points: 3, failure: { message: "almost", evidence: [] } }),
    });
    const results = runChecks([check("a", undefined, 2), partial], { ok: { a: true } });
    expect(results.map((r) => r.points)).toEqual([2, 3]);
  });

  it("turns an exception into an errored result, not a failure of the student", () => {
    const broken = defineCheck<E>({
      id: "x",
      title: "broken",
      points: 1,
      run: () => {
        throw new Error("bug in socklab");
      },
    });
    const [result] = runChecks([broken], { ok: {} });
    expect(result).toMatchObject({ status: "errored", points: 0 });
    expect(result?.status === "errored" && result.error).toContain("bug in socklab");
  });
});
