import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["harness/**/*.test.ts", "tasks/**/*.test.ts", "test/**/*.test.ts", "examples/**/*.test.ts"],
    // Hang guards, not speed limits: a loaded machine may take several times as long, and must still pass.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: "forks",
    // The end-to-end files mostly wait on their programs' own schedules: two files at once even on two cores
    // (vitest's default is one fewer than the cores), and verdicts must hold under that load anyway.
    maxWorkers: 2,
    reporters: ["default"],
  },
});
