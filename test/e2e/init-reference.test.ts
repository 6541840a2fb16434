// `socklab init` on the reference solutions without their manifest: the draft, untouched, must grade every
// task full marks — the commands with the arguments each program reads, the sensor protocol from the struct
// formats of sensor_common.py, the reliable server's delivered pattern.
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { main } from "../../harness/cli/main.ts";
import { memoryOutput } from "../../harness/cli/output.ts";
import { TASKS } from "../../tasks/index.ts";
import { explain, grader, REFERENCE } from "./grader.ts";

const { grade, dispose } = await grader("init-reference");
afterAll(dispose);

describe("socklab init on the reference", () => {
  it("drafts a manifest that grades every task full marks untouched", async () => {
    const dir = await mkdtemp(join(tmpdir(), "socklab-init-reference-"));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await cp(REFERENCE, dir, { recursive: true });
    await rm(join(dir, "socklab.yaml"));

    const output = memoryOutput();
    expect(await main(["init", dir], output), output.stderr.join("\n")).toBe(0);
    const manifest = await readFile(join(dir, "socklab.yaml"), "utf8");

    const result = await grade(dir);
    expect(
      result.tasks.map((t) => [t.id, t.status]),
      `${explain(result)}\n--- the draft:\n${manifest}`,
    ).toEqual(TASKS.map((t) => [t.id, "passed"]));
    expect(result.score).toBe(result.maxScore);
  });
});
