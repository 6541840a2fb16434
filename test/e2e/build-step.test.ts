// The manifest's `build:` step with real C programs and the real compiler: a submission that builds gets
// graded on the programs it built; one whose build fails gets each task failed with the compiler's words,
// the build's output in the results, and no run started.
import { join } from "node:path";
import { afterAll, describe, it } from "vitest";
import { explain, grader, ROOT } from "./grader.ts";

const BUILD = join(ROOT, "fixtures", "build");
const { grade, dispose } = await grader("build", { only: ["tcp-echo"] });
afterAll(dispose);

describe.concurrent("build:", () => {
  it("builds C programs once and grades what it built", async ({ expect }) => {
    const result = await grade(join(BUILD, "c-echo"));
    expect(result.build).toMatchObject({ status: "passed", exitCode: 0 });
    const task = result.tasks.find((t) => t.id === "tcp-echo")!;
    expect(task.status, explain(result)).toBe("passed");
  });

  it("fails every task of a submission whose build fails, quoting the compiler", async ({ expect }) => {
    const result = await grade(join(BUILD, "c-echo-typo"));
    expect(result.build).toMatchObject({ status: "failed", exitCode: 1 });
    expect(result.build!.output).toMatch(/server\.c:\d+:\d+: error/);
    const task = result.tasks.find((t) => t.id === "tcp-echo")!;
    expect(task.status).toBe("failed");
    expect(task.runs).toEqual([]);
    const [first, ...rest] = task.checks;
    expect(first).toMatchObject({
      status: "failed",
      failure: { actual: expect.stringMatching(/error: expected/) },
    });
    expect(rest.every((c) => c.status === "skipped" && c.dependsOn === "build")).toBe(true);
  });

  it("fails a build that leaves more than a run may copy, naming the limit", async ({ expect }) => {
    const result = await grade(join(BUILD, "c-echo-junk"));
    expect(result.build).toMatchObject({
      status: "failed",
      description: expect.stringMatching(/built too much: .*50 MiB/),
    });
    expect(result.tasks.find((t) => t.id === "tcp-echo")!.status).toBe("failed");
  });
});
