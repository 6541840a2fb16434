// Reliable UDP replays: for each reliable-UDP fixture (and the reference), the verdict on every graded seed is
// the same as on every other seed within a grading (`npm run repeat` compares gradings) — socklab's lossy link decides fates from
// the seed and each datagram's identity, never from timing.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, it } from "vitest";
import type { SubmissionResult } from "../../harness/grade/index.ts";
import { FIXTURES, grader, REFERENCE } from "./grader.ts";

const TASK = "sensor-udp-reliable";
/** One grading here (its seeds replay each other); five in a row and fifty under load are `npm run repeat`. */
const ROUNDS = 1;
const { grade, dispose } = await grader("reliable", { only: [TASK] });
afterAll(dispose);

/** Per seeded run, whether it delivered every reading once, in order (from the seeded-links check's notes). */
function seedVerdicts(result: SubmissionResult): Record<string, boolean> {
  const check = result.tasks.find((t) => t.id === TASK)?.checks.find((c) => c.id === "seeded-links");
  const out: Record<string, boolean> = {};
  for (const note of check?.notes ?? []) {
    const m = /^(seed-\d+|drops): (.*)$/.exec(note);
    if (m)
      out[m[1]!] =
        m[2]!.startsWith("every reading once, in order") && !m[2]!.includes("did not end by itself");
  }
  return out;
}

/** Every check's status and points. */
function verdict(result: SubmissionResult): string {
  const task = result.tasks.find((t) => t.id === TASK)!;
  return JSON.stringify(task.checks.map((c) => [c.id, c.status, c.points]));
}

// The reliable-UDP fixtures. Left out: -starts-at-1 (delivers nothing on any link, so every run fails
// alike) and -bad-format (its readings do not decode, so the link cannot name them and keys their fates on
// random bytes: a replay from the seed is not promised there, and the report says so) and -no-port (no link
// at all: nftables counters, deterministic by construction; the fixture matrix grades it).
const NOT_REPLAYED = new Set([
  "sensor-udp-reliable-starts-at-1",
  "sensor-udp-reliable-bad-format",
  "sensor-udp-reliable-no-port",
]);
const reliable = (await readdir(FIXTURES))
  .filter((name) => name.startsWith("sensor-udp-reliable-") && !NOT_REPLAYED.has(name))
  .sort();

describe.concurrent("reliable UDP verdicts replay", () => {
  for (const name of ["reference", ...reliable]) {
    it(`${name}: the same verdict on every seed`, async ({ expect }) => {
      const dir = name === "reference" ? REFERENCE : join(FIXTURES, name);
      const results = await Promise.all(Array.from({ length: ROUNDS }, () => grade(dir)));
      const seeds = results.map(seedVerdicts);
      for (const perSeed of seeds) {
        expect(Object.keys(perSeed).length, "seeded runs found in the notes").toBeGreaterThan(0);
        expect(new Set(Object.values(perSeed)).size, JSON.stringify(perSeed)).toBe(1);
      }
      expect(new Set(seeds.map((s) => JSON.stringify(s))).size, JSON.stringify(seeds)).toBe(1);
      expect(new Set(results.map(verdict)).size, results.map(verdict).join("\\n")).toBe(1);
    }, 600_000);
  }
});
