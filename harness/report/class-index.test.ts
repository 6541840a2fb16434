import { describe, expect, it } from "vitest";
import type { SubmissionResult, TaskResult } from "../grade/index.ts";
import { gradingReason, mostFailed, renderClassIndex, scoreHistogramSvg } from "./class-index.ts";

const task = (checks: [string, "passed" | "failed"][]): TaskResult => ({
  id: "tcp-echo",
  title: "TCP echo",
  section: "1.1",
  status: checks.every(([, s]) => s === "passed") ? "passed" : "failed",
  score: checks.filter(([, s]) => s === "passed").length,
  maxScore: checks.length,
  checks: checks.map(([id, status]) =>
    status === "passed"
      ? {
          id,
          title: id,
          maxPoints: 1,
          visibility: "visible",
          notes: [],
          durationMs: 0,
          status,
          points: 1,
          message: "",
          evidence: [],
        }
      : {
          id,
          title: id,
          maxPoints: 1,
          visibility: "visible",
          notes: [],
          durationMs: 0,
          status,
          points: 0,
          failure: { message: "no", evidence: [] },
        },
  ),
  advice: [],
  runs: [],
  durationMs: 0,
  report: null,
});

const result = (name: string, fields: Partial<SubmissionResult>): SubmissionResult => ({
  version: 1,
  socklab: "test",
  submission: { path: `/class/${name}`, name, student: null },
  startedAt: "2026-12-07T00:00:00Z",
  durationMs: 0,
  seed: 1,
  score: 0,
  maxScore: 2,
  status: "failed",
  tasks: [],
  warnings: [],
  ...fields,
});

const ana = result("ana", {
  score: 2,
  status: "passed",
  tasks: [
    task([
      ["handshake", "passed"],
      ["echo", "passed"],
    ]),
  ],
});
const bob = result("bob", {
  score: 1,
  tasks: [
    task([
      ["handshake", "passed"],
      ["echo", "failed"],
    ]),
  ],
});
const carol = result("carol", {
  warnings: ["the submission could not be graded: socklab.yaml: tasks: required"],
});

describe("the class index", () => {
  it("says why a row has no ordinary verdict", () => {
    expect(gradingReason(ana)).toBe("");
    expect(gradingReason(bob)).toBe("");
    expect(gradingReason(carol)).toMatch(/socklab\.yaml: tasks: required/);
    expect(gradingReason(result("dan", { status: "interrupted" }))).toMatch(/stopped/);
  });

  it("counts the checks the class fails", () => {
    expect(mostFailed([ana, bob, carol])).toEqual([
      { task: "tcp-echo", check: "echo", title: "echo", failed: 1, submitted: 2 },
    ]);
  });

  it("lists every submission with its report, and links the histogram", () => {
    const md = renderClassIndex([ana, bob, carol], {
      reportOf: (r) => `${r.submission.name}/index.md`,
      histogram: "histogram.svg",
    });
    expect(md).toContain("3 submission(s): 1 passed every check of the tasks they handed in, 2 failed some");
    expect(md).toContain("![scores of the class](histogram.svg)");
    expect(md).toContain("[bob/index.md](bob/index.md)");
    expect(md).toContain("## Checks the class fails most");
  });

  it("draws ten bins", () => {
    const svg = scoreHistogramSvg([ana, bob, carol]);
    expect(svg.match(/<rect x=/g)).toHaveLength(10);
    expect(svg).toContain("score (of 2), 3 submission(s)");
  });
});
