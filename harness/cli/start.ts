// `socklab start` (what `npm start` runs after set-up): the main job — grade the reference solutions in
// reference/ (every check of every task must pass) and write their reports to reports/reference/.
import { join } from "node:path";
import { checkSubmission, exitCodeOf, printResult, REFERENCE_DIR, ROOT, seedFrom } from "./check.ts";
import type { Command } from "./command.ts";

export const startCommand: Command = {
  name: "start",
  summary: "the main job of `npm start`: grade reference/ and write its reports to reports/reference/",
  usage:
    "Usage: socklab start\n\nGrades the reference solutions (reference/) with every task's checks and writes the reports to\nreports/reference/ (index.md, one Markdown report per task, results.json, socklab.json, junit.xml, captures).",
  async run(_args, output) {
    const outDir = join(ROOT, "reports", "reference");
    output.err("socklab: grading the reference solutions in reference/ …");
    const result = await checkSubmission(REFERENCE_DIR, { outDir, seed: seedFrom("reference") });
    printResult(result, output, false, "reports/reference/index.md");
    return exitCodeOf(result);
  },
};
