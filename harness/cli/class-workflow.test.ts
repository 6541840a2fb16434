// The shipped class-grading workflow (examples/ci/class-grading.yml) is valid YAML and runs the commands that
// exist: one shard per matrix job, then a merge of every shard.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseYaml } from "../grade/index.ts";
import { parseShard } from "./grade.ts";

describe("examples/ci/class-grading.yml", () => {
  it("grades one shard per matrix job and merges them all", async () => {
    const text = await readFile(
      join(import.meta.dirname, "..", "..", "examples", "ci", "class-grading.yml"),
      "utf8",
    );
    const parsed = parseYaml(text);
    if (!parsed.ok) throw new Error(parsed.message);
    const jobs = (
      parsed.value as {
        jobs: Record<string, { strategy?: { matrix: { shard: number[] } }; steps: { run?: string }[] }>;
      }
    ).jobs;
    const shards = jobs.grade!.strategy!.matrix.shard;
    const runs = (job: string) => jobs[job]!.steps.flatMap((s) => (s.run ? [s.run] : []));
    expect(runs("grade").some((r) => r.includes(`--shard \${{ matrix.shard }}/${shards.length}`))).toBe(true);
    expect(
      runs("merge").some((r) => r.startsWith(`socklab merge ${shards.map((k) => `shard-${k}`).join(" ")} `)),
    ).toBe(true);
    for (const k of shards)
      expect(parseShard(`${k}/${shards.length}`)).toEqual({ index: k, of: shards.length });
  });
});
