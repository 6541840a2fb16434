import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The longest files, in the order they should start: two workers finish soonest when the long gradings start
 * first and the short files fill in around them (a clean clone has no timing cache to go by).
 */
const LONGEST_FIRST = [
  "test/e2e/correct-variants.test.ts",
  "test/e2e/grading-matrix.test.ts",
  "test/e2e/sandbox-modes.test.ts",
  "test/e2e/hostile.test.ts",
  "test/e2e/reliable-repeat.test.ts",
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const at = LONGEST_FIRST.findIndex((path) => file.moduleId.endsWith(path));
      return at === -1 ? LONGEST_FIRST.length : at;
    };
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ["harness/**/*.test.ts", "tasks/**/*.test.ts", "test/**/*.test.ts"],
    // Hang guards, not speed limits: a loaded machine may take several times as long, and must still pass.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: "forks",
    // The end-to-end files mostly wait on their programs' own schedules: two files at once even on two cores
    // (vitest's default is one fewer than the cores), and verdicts must hold under that load anyway.
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
    reporters: ["default"],
  },
});
