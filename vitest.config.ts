import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["harness/**/*.test.ts", "tasks/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // The end-to-end files mostly wait on their programs' own schedules: two files at once even on two cores
    // (vitest's default is one fewer than the cores), and verdicts must hold under that load anyway.
    maxWorkers: 2,
    reporters: ["default"],
  },
});
