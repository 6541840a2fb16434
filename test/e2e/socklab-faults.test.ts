// socklab's own faults are never the student's: with a fault injected into the start of socklab's own
// programs (SOCKLAB_FAULT), or into its capture, every check that depends on it is errored — tried twice,
// never failed — the other checks keep their verdicts, and `check` would exit 2.
import { afterAll, describe, expect, it } from "vitest";
import { exitCodeOf } from "../../harness/cli/check.ts";
import type { CheckResult, SubmissionResult } from "../../harness/grade/index.ts";
import { grader, REFERENCE } from "./grader.ts";

async function gradeWith(fault: string, only: string[]): Promise<SubmissionResult> {
  process.env.SOCKLAB_FAULT = fault;
  const g = await grader(`fault-${fault}`, { only });
  try {
    return await g.grade(REFERENCE);
  } finally {
    delete process.env.SOCKLAB_FAULT;
    await g.dispose();
  }
}

const checks = (result: SubmissionResult): CheckResult[] => result.tasks.flatMap((t) => t.checks);

describe("a fault of socklab's own", () => {
  afterAll(() => {
    delete process.env.SOCKLAB_FAULT;
  });

  it("errors the checks that need socklab's reference programs, and fails none", async () => {
    const result = await gradeWith("reference-start", ["tcp-echo", "udp-oneway"]);
    const all = checks(result);
    expect(all.filter((c) => c.status === "failed")).toEqual([]);
    const errored = all.filter((c) => c.status === "errored");
    expect(errored.map((c) => c.id).sort()).toEqual(
      [
        "cross-reference-client",
        "cross-reference-server",
        "cross-reference-receiver",
        "cross-reference-sender",
      ].sort(),
    );
    for (const c of errored) {
      expect(c.status === "errored" && c.error).toMatch(/could not start its own reference program/);
    }
    expect(all.filter((c) => c.status === "passed").length).toBe(all.length - errored.length);
    for (const task of result.tasks) {
      expect(task.status).toBe("errored");
      expect(task.runs.some((r) => r.warnings.some((w) => /tried twice/.test(w)))).toBe(true);
    }
    expect(result.status).toBe("errored");
    expect(exitCodeOf(result)).toBe(2);
  });

  it("errors every check that reads a capture socklab cannot read", async () => {
    const result = await gradeWith("capture", ["udp-oneway"]);
    const all = checks(result);
    expect(all.filter((c) => c.status === "failed")).toEqual([]);
    expect(all.every((c) => c.status === "errored")).toBe(true);
    expect(all[0]!.status === "errored" && all[0]!.error).toMatch(/could not read its own capture/);
    expect(exitCodeOf(result)).toBe(2);
  });

  it("errors the checks of a run whose capture misses packets the kernel dropped for tcpdump", async () => {
    const result = await gradeWith("capture-drops", ["udp-oneway"]);
    const all = checks(result);
    expect(all.filter((c) => c.status === "failed")).toEqual([]);
    expect(all.every((c) => c.status === "errored")).toBe(true);
    expect(all[0]!.status === "errored" && all[0]!.error).toMatch(/22 packets dropped by the kernel/);
    expect(exitCodeOf(result)).toBe(2);
  });

  it("blames socklab, not the student, when the student's program cannot be launched", async () => {
    const result = await gradeWith("student-start", ["udp-oneway"]);
    const all = checks(result);
    expect(all.filter((c) => c.status === "failed")).toEqual([]);
    expect(all.some((c) => c.status === "errored")).toBe(true);
    expect(exitCodeOf(result)).toBe(2);
  });
});
