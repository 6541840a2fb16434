import { describe, expect, it } from "vitest";
import { FaultError } from "../fault/index.ts";
import { type CheckDefinition, defineCheck, fail, MAX_NOTES, pass, runChecks } from "./check.ts";

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

  it("fails, not errors, a check stopped by the submission's own fault, naming it; errors one stopped by socklab's", () => {
    const stopped = (owner: "submission" | "socklab") =>
      defineCheck<E>({
        id: owner,
        title: owner,
        points: 2,
        run: () => {
          throw new FaultError({
            stage: "capture",
            owner,
            code: "capture-budget",
            message: "the main run's traffic exceeded 64 MiB",
            expected: "at most 64 MiB",
            help: "look for a loop",
          });
        },
      });
    const [theirs, ours] = runChecks([stopped("submission"), stopped("socklab")], { ok: {} });
    expect(theirs).toMatchObject({
      status: "failed",
      points: 0,
      failure: {
        message: "the main run's traffic exceeded 64 MiB",
        expected: "at most 64 MiB",
        help: "look for a loop",
      },
    });
    expect(ours).toMatchObject({ status: "errored", error: "the main run's traffic exceeded 64 MiB" });
  });

  it("keeps at most MAX_NOTES notes and counts the rest", () => {
    const noisy = defineCheck<E>({
      id: "n",
      title: "noisy",
      points: 1,
      run: () =>
        pass(
          "ok",
          [],
          Array.from({ length: 1856 }, (_, i) => `note ${i}`),
        ),
    });
    const [result] = runChecks([noisy], { ok: {} });
    expect(result!.notes).toHaveLength(MAX_NOTES + 1);
    expect(result!.notes.at(-1)).toBe(`… and ${1856 - MAX_NOTES} more notes like these.`);
  });
});
