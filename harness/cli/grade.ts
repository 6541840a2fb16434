// `socklab grade <folder>`: grades every submission in a folder (one sub-folder each) for a whole class, a few
// at once, with progress; writes each one's reports as `check` does, a gradebook (CSV), the class's index.md
// and a histogram of the scores. A submission whose files, socklab version, seed and tasks are those of its
// stored result is not graded again (`--force` regrades). Stopped midway, it writes the gradebook of what was
// done, the rest marked interrupted.

import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { TASKS } from "../../tasks/index.ts";
import { gradingFingerprint, limiter, maxScore, type SubmissionResult } from "../grade/index.ts";
import { VERSION } from "../install/index.ts";
import { renderClassIndex, scoreHistogramSvg, toCsvRows } from "../report/index.ts";
import { checkSubmission, exitCodeOf, seedFrom } from "./check.ts";
import { type Command, EXIT } from "./command.ts";
import { parseCommandArgs } from "./command-args.ts";
import { requireFolder } from "./folder.ts";
import { UsageError } from "./harness-error.ts";
import { paint } from "./output.ts";
import { STOP_EXIT, withStopSignals } from "./stop-signals.ts";
import { taskList } from "./task-list.ts";

const usage = `Usage: socklab grade <folder> [--out DIR] [--jobs N] [--task a,b] [--seed N] [--shard K/N]
       [--extra-credit] [--force] [--json]

Grades every sub-folder of <folder> as a submission (each with its socklab.yaml), a few at once, writing each
one's reports to <out>/<submission>/, and for the class <out>/gradebook.csv (one row per submission: total,
status, the reason when it was not graded, each task's score and each check's points), <out>/index.md (every
submission with a link to its report, the checks the class fails most) and <out>/histogram.svg.

A submission whose files, socklab version, seed and tasks have not changed since its stored result is not
graded again. A submission that cannot be graded (a broken manifest) gets its row and the others go on.
Ctrl+C writes the gradebook of what was graded; the rest is marked interrupted.

Options:
  --out DIR    where everything goes (default ./socklab-grades)
  --jobs N     submissions graded at once (default: the number of CPUs)
  --task a,b   grade only these tasks
  --seed N     one seed for everyone (default: derived from each submission's name)
  --shard K/N  grade only the K-th of N slices of the class (submissions by name, every N-th from the K-th),
               for N machines; \`socklab merge\` combines their outputs
  --extra-credit  the handout's optional tasks as extra credit: their points count, not in the maximum
  --force      grade every submission again, even unchanged ones
  --json       print the class's results as JSON instead of the lines`;

function parse(args: string[]) {
  return parseCommandArgs(args, {
    out: { type: "string" },
    seed: { type: "string" },
    jobs: { type: "string" },
    task: { type: "string" },
    force: { type: "boolean" },
    json: { type: "boolean" },
    shard: { type: "string" },
    "extra-credit": { type: "boolean" },
  });
}

/** The file beside each stored result that says what it was graded from. */
const FINGERPRINT = "fingerprint.txt";

export const gradeCommand: Command = {
  name: "grade",
  summary: "grade a whole class, a few at once: reports, a CSV gradebook and the class's index",
  usage,
  async run(args, output) {
    const parsed = parse(args);
    const folder = parsed.positionals[0];
    if (folder === undefined || parsed.positionals.length > 1)
      throw new UsageError("name exactly one folder of submissions");
    const only = taskList(parsed.values.task);
    const jobs = parsed.values.jobs === undefined ? availableParallelism() : Number(parsed.values.jobs);
    if (!Number.isInteger(jobs) || jobs < 1)
      throw new UsageError(`--jobs takes a positive whole number, not '${parsed.values.jobs}'`);
    const fixedSeed = parsed.values.seed === undefined ? undefined : Number(parsed.values.seed);
    if (fixedSeed !== undefined && !(Number.isInteger(fixedSeed) && fixedSeed >= 0))
      throw new UsageError(`--seed takes a whole number, not '${parsed.values.seed}'`);
    await requireFolder(folder, "folder of submissions");
    const outRoot = resolve(parsed.values.out ?? "socklab-grades");
    const names: string[] = [];
    for (const name of (await readdir(folder)).sort()) {
      if (name.startsWith(".") || resolve(folder, name) === outRoot) continue;
      if ((await stat(join(folder, name))).isDirectory()) names.push(name);
    }
    if (names.length === 0) throw new UsageError(`${folder} has no sub-folders to grade`);
    if (parsed.values.shard !== undefined) {
      const shard = parseShard(parsed.values.shard);
      const mine = names.filter((_, i) => i % shard.of === shard.index - 1);
      names.splice(0, names.length, ...mine);
      if (names.length === 0) {
        output.out(
          `Shard ${parsed.values.shard} has no submission (the class has fewer than ${shard.index}).`,
        );
      }
    }
    await mkdir(outRoot, { recursive: true });

    // What the stored results were graded with: the tasks, and whether optional ones were extra credit.
    const tasks = [
      ...(only ?? TASKS.map((t) => t.id)),
      ...(parsed.values["extra-credit"] ? ["+extra-credit"] : []),
    ];
    const results = new Map<string, SubmissionResult>();
    const started = performance.now();
    const running = new Set<string>();
    const graded: number[] = []; // how long each grading took, ms (not the reused ones)
    let finished = 0;
    const elapsed = () => `${Math.round((performance.now() - started) / 1000)} s`;
    const eta = () => {
      if (graded.length === 0) return "";
      const mean = graded.reduce((a, b) => a + b, 0) / graded.length;
      const left = Math.ceil((names.length - finished) / jobs) * mean;
      return `, about ${Math.round(left / 1000)} s left`;
    };
    const live = () =>
      output.live?.(
        `[${finished}/${names.length}] ${elapsed()}${eta()} — grading ${[...running].join(", ") || "…"}`,
      );
    const done = (name: string, result: SubmissionResult, how: string) => {
      results.set(name, result);
      finished++;
      if (!parsed.values.json) {
        output.live?.("");
        const colour = result.status === "passed" ? "green" : result.status === "failed" ? "red" : "yellow";
        const status = result.status === "passed" || result.status === "failed" ? "" : ` ${result.status}`;
        output.out(
          `[${finished}/${names.length}] ${paint(output, colour, `${result.score}/${result.maxScore}`)}${status} ${name} (${how}; ${elapsed()} elapsed)`,
        );
      }
      live();
    };

    const slot = limiter(jobs);
    const { stoppedBy } = await withStopSignals(output, async (signal) => {
      await Promise.all(
        names.map((name) =>
          slot(async () => {
            if (signal.aborted) return;
            const dir = join(folder, name);
            const outDir = join(outRoot, name);
            const seed = fixedSeed ?? seedFrom(name);
            const fingerprint = await gradingFingerprint(dir, { version: VERSION, seed, tasks });
            if (!parsed.values.force) {
              const stored = await storedResult(outDir, fingerprint);
              if (stored) return done(name, stored, "unchanged, not graded again");
            }
            running.add(name);
            live();
            const begun = performance.now();
            const result = await checkSubmission(dir, {
              outDir,
              seed,
              signal,
              ...(only ? { only } : {}),
              ...(parsed.values["extra-credit"] ? { extraCredit: true } : {}),
            }).catch(() => readStored(outDir));
            running.delete(name);
            if (result === null) return;
            if (result.status !== "interrupted" && result.status !== "errored") {
              graded.push(performance.now() - begun);
              await writeFile(join(outDir, FINGERPRINT), `${fingerprint}\n`);
            }
            done(name, result, `graded in ${((performance.now() - begun) / 1000).toFixed(1)} s`);
          }),
        ),
      );
    });
    output.live?.("");

    // Every submission has a row: the ones never reached are interrupted.
    const rows = names.map((name) => results.get(name) ?? interrupted(join(folder, name), name));
    await writeClass(outRoot, rows, (r) => `${r.submission.name}/index.md`);
    if (parsed.values.json) {
      output.out(JSON.stringify(rows, null, 2));
    } else {
      output.out(
        `Gradebook: ${join(outRoot, "gradebook.csv")}; class index: ${join(outRoot, "index.md")} (${rows.length} submissions, ${elapsed()})`,
      );
    }
    if (stoppedBy) {
      output.err(`socklab grade: stopped by ${stoppedBy} after ${finished} of ${names.length} submissions`);
      return STOP_EXIT[stoppedBy];
    }
    return classExitCode(rows, only !== undefined);
  },
};

/** The class's gradebook.csv, histogram.svg and index.md; `reportOf` links each submission's report. */
export async function writeClass(
  outRoot: string,
  rows: readonly SubmissionResult[],
  reportOf: (result: SubmissionResult) => string,
): Promise<void> {
  await writeFile(join(outRoot, "gradebook.csv"), toCsvRows(rows));
  await writeFile(join(outRoot, "histogram.svg"), scoreHistogramSvg(rows));
  await writeFile(
    join(outRoot, "index.md"),
    renderClassIndex(rows, { reportOf, histogram: "histogram.svg" }),
  );
}

/** The exit code of a class: 2 if socklab could not grade someone, 0 if everyone passed, else 1. */
export function classExitCode(rows: readonly SubmissionResult[], narrowed: boolean): number {
  if (rows.some((r) => r.status === "errored")) return EXIT.harness;
  return rows.every((r) => exitCodeOf(r, narrowed) === EXIT.ok) ? EXIT.ok : EXIT.failed;
}

/** The stored result of a submission, when it was graded from exactly what the fingerprint says. */
async function storedResult(outDir: string, fingerprint: string): Promise<SubmissionResult | null> {
  const kept = await readFile(join(outDir, FINGERPRINT), "utf8").catch(() => "");
  if (kept.trim() !== fingerprint) return null;
  const result = await readStored(outDir);
  return result && result.status !== "interrupted" && result.status !== "errored" ? result : null;
}

/** The result checkSubmission left in `outDir` (also when it could not grade), or null. */
export async function readStored(outDir: string): Promise<SubmissionResult | null> {
  const text = await readFile(join(outDir, "socklab.json"), "utf8").catch(() => null);
  if (text === null) return null;
  try {
    return JSON.parse(text) as SubmissionResult;
  } catch {
    return null;
  }
}

/** The row of a submission the grading never reached. */
function interrupted(path: string, name: string): SubmissionResult {
  return {
    version: 1,
    socklab: VERSION,
    submission: { path, name, student: null },
    startedAt: new Date().toISOString(),
    durationMs: 0,
    seed: 0,
    score: 0,
    maxScore: TASKS.reduce((n, t) => n + maxScore(t), 0),
    status: "interrupted",
    tasks: [],
    warnings: ["socklab was stopped before this submission was graded"],
  };
}

/** `--shard K/N`: the K-th (from 1) of N slices. */
export function parseShard(text: string): { index: number; of: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const of = Number(m?.[2]);
  if (!m || of < 1 || index < 1 || index > of) {
    throw new UsageError(`--shard takes K/N with 1 ≤ K ≤ N, e.g. 2/4, not '${text}'`);
  }
  return { index, of };
}
