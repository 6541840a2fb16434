// `socklab grade <folder>`: grades every submission in a folder (one sub-folder each) for a whole class, writes
// each one's reports as `check` does, and a gradebook (CSV) with one row per submission.
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { SubmissionResult } from "../grade/index.ts";
import { toCsvRows } from "../report/index.ts";
import { checkSubmission, exitCodeOf, ROOT, seedFrom } from "./check.ts";
import { type Command, EXIT } from "./command.ts";
import { requireFolder } from "./folder.ts";
import { UsageError } from "./harness-error.ts";
import { paint } from "./output.ts";
import { STOP_EXIT, withStopSignals } from "./stop-signals.ts";

const usage = `Usage: socklab grade <folder> [--out DIR] [--seed N]

Grades every sub-folder of <folder> as a submission (each with its socklab.yaml), writing each one's reports
to <out>/<submission>/ and a gradebook, <out>/gradebook.csv: one row per submission with its total, each task's
score and each check's points. A submission that cannot be graded (e.g. a broken manifest) gets a row with
status "errored" and the others go on.

Options:
  --out DIR    where reports go (default reports/)
  --seed N     one seed for everyone (default: derived from each submission's name)`;

export const gradeCommand: Command = {
  name: "grade",
  summary: "grade a whole class: every sub-folder of a folder, plus a CSV gradebook",
  usage,
  async run(args, output) {
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(args);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const folder = parsed.positionals[0];
    if (folder === undefined || parsed.positionals.length > 1)
      throw new UsageError("name exactly one folder of submissions");
    const outRoot = resolve(parsed.values.out ?? join(ROOT, "reports"));
    await requireFolder(folder, "folder of submissions");
    const names: string[] = [];
    for (const name of (await readdir(folder)).sort()) {
      if ((await stat(join(folder, name))).isDirectory() && !name.startsWith(".")) names.push(name);
    }
    if (names.length === 0) throw new UsageError(`${folder} has no sub-folders to grade`);
    const results: SubmissionResult[] = [];
    const { stoppedBy } = await withStopSignals(output, async (signal) => {
      for (const name of names) {
        if (signal.aborted) break;
        await gradeOne(name, signal);
      }
    });
    const gradebook = join(outRoot, "gradebook.csv");
    await writeFile(gradebook, toCsvRows(results));
    output.out(`Gradebook: ${gradebook} (${results.length} submissions)`);
    if (stoppedBy) {
      output.err(
        `socklab grade: stopped by ${stoppedBy} after ${results.length} of ${names.length} submissions`,
      );
      return STOP_EXIT[stoppedBy];
    }
    return results.some((r) => r.status === "errored")
      ? EXIT.harness
      : results.every((r) => exitCodeOf(r) === EXIT.ok)
        ? EXIT.ok
        : EXIT.failed;

    async function gradeOne(name: string, signal: AbortSignal): Promise<void> {
      const seed = parsed.values.seed === undefined ? seedFrom(name) : Number(parsed.values.seed);
      try {
        const result = await checkSubmission(join(folder!, name), {
          outDir: join(outRoot, name),
          seed,
          signal,
        });
        results.push(result);
        output.out(
          result.status === "interrupted"
            ? `${paint(output, "yellow", "interrupted")} ${name}: not every task was graded`
            : `${paint(output, result.status === "passed" ? "green" : "red", `${result.score}/${result.maxScore}`)} ${name}`,
        );
      } catch (error) {
        // checkSubmission leaves an errored result behind even when it cannot grade.
        const text = await readFile(join(outRoot, name, "socklab.json"), "utf8").catch(() => "null");
        const socklab = JSON.parse(text) as SubmissionResult | null;
        if (socklab) results.push(socklab);
        const students = socklab?.status === "failed";
        output.out(
          `${paint(output, "red", students ? "failed" : "errored")} ${name}: ${(error as Error).message}`,
        );
      }
    }
  },
};

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: { out: { type: "string" }, seed: { type: "string" } },
  });
}
