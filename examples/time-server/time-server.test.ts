// The worked example graded end to end, with real programs: its reference and three correct programs written
// differently get full marks; each buggy program fails the check that names its defect, and only that.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gradeSubmission, type TaskResult } from "../../harness/grade/index.ts";
import { PROBES_DIR } from "../../tasks/index.ts";
import timeServer from "./task.ts";

const HERE = import.meta.dirname;

const CORRECT = [
  "reference",
  "variants/recvfrom-loop-ana",
  "variants/socketserver-ben",
  "variants/select-carla",
];

/** Each buggy program and the checks it must fail (the checks that depend on them are skipped). */
const BUGGY: Readonly<Record<string, readonly string[]>> = {
  "buggy/wrong-port-reply": ["client-exit", "reply-to-source", "cross-reference-client"],
  "buggy/no-reply": ["client-exit", "reply-to-source", "cross-reference-client"],
  "buggy/stale-time": ["current-time"],
};

describe.concurrent("the time-server example task", () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), "socklab-example-"));
  });
  afterAll(() => rm(out, { recursive: true, force: true }));

  async function grade(folder: string): Promise<TaskResult> {
    const graded = await gradeSubmission(join(HERE, folder), {
      tasks: [timeServer],
      outDir: join(out, folder),
      folders: { reference: join(HERE, "reference"), probes: PROBES_DIR },
      seed: 1,
      version: "test",
    });
    return graded.result.tasks[0]!;
  }

  const unpassed = (task: TaskResult) =>
    task.checks.filter((c) => c.status !== "passed").map((c) => `${c.id}: ${c.status}`);

  it.each(CORRECT)("%s gets full marks", async (folder) => {
    const task = await grade(folder);
    expect(unpassed(task)).toEqual([]);
    expect(task.score).toBe(task.maxScore);
  });

  it.each(Object.entries(BUGGY))("%s fails what it gets wrong", async (folder, failing) => {
    const task = await grade(folder);
    expect(task.checks.filter((c) => c.status === "failed").map((c) => c.id)).toEqual(failing);
    expect(task.checks.filter((c) => c.status === "errored")).toEqual([]);
  });
});
