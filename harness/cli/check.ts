// `socklab check <submission>`: grades a submission's tasks and writes its reports: a Markdown report per task
// and an index, Gradescope's results.json (after every task, so a run that fails half-way still leaves
// results), socklab's own result document and JUnit XML; prints one line per check and a summary.
import { mkdir, writeFile } from "node:fs/promises";
import { basename, join, relative, resolve } from "node:path";
import { PROBES_DIR, SUMMARY_SECTIONS, TASKS } from "../../tasks/index.ts";
import { SocklabError } from "../fault/index.ts";
import { gradeSubmission, maxScore, type SubmissionResult, type TaskResult } from "../grade/index.ts";
import { PACKAGE_ROOT, VERSION } from "../install/index.ts";
import {
  extractSvgs,
  renderRunSections,
  renderSubmissionIndex,
  renderTaskReport,
  renderTerminal,
  toGradescope,
  toJUnit,
} from "../report/index.ts";
import type { SandboxMode } from "../sandbox/index.ts";
import { type Command, EXIT } from "./command.ts";
import { parseCommandArgs } from "./command-args.ts";
import { requireFolder } from "./folder.ts";
import { githubOutput } from "./github.ts";
import { UsageError } from "./harness-error.ts";
import type { Output } from "./output.ts";
import { STOP_EXIT, withStopSignals } from "./stop-signals.ts";
import { taskList } from "./task-list.ts";

export const ROOT = PACKAGE_ROOT;
export const REFERENCE_DIR = join(ROOT, "reference");

const usage = `Usage: socklab check <submission> [options]

Grades a submission (a folder with a socklab.yaml manifest, see docs/manifest.md): runs each task's programs in
isolated network namespaces, records and analyses their traffic, and checks what the handout teaches.

Options:
  --task ID[,ID]     grade only these tasks (${TASKS.map((t) => t.id).join(", ")})
  --out DIR          where reports go (default ./socklab-report, or ./socklab-report/only-<tasks> with --task)
  --json             print socklab's result document (docs/results-json.md) instead of the check lines
  --seed N           the seed of every random choice (default: derived from the submission name; printed)
  --extra-credit     the handout's optional tasks as extra credit: their points count, not in the maximum
  --concurrency N    CPU-heavy run phases at once: sandbox start-up, capture analysis (default 6;
                     four times as many runs may be open, waiting on their programs)
  --sandbox MODE     namespace (default): each run in its own namespaces and bubblewrap; socklab stops
                     with what is missing when it cannot. host: runs on the host loopback one at a time,
                     without isolation — for a container that is itself the sandbox (Docker, Gradescope)
                     or your own code. Also SOCKLAB_SANDBOX=host|namespace.
  -h, --help         this text

Writes <out>/index.md, <out>/<task>.md, <out>/results.json (Gradescope), <out>/socklab.json, <out>/junit.xml
and each run's capture under <out>/<task>/<run>/capture.pcap.
Exit code: 0 every check passed, 1 some check failed, 2 socklab could not grade (some check errored),
130/143 stopped by SIGINT/SIGTERM (the results say which tasks were interrupted).`;

/** A stable seed from a name (FNV-1a), so regrading a submission repeats its random choices. */
export function seedFrom(text: string): number {
  let h = 0x811c9dc5;
  for (const c of Buffer.from(text)) h = Math.imul(h ^ c, 0x01000193) >>> 0;
  return h;
}

async function writeResults(outDir: string, result: SubmissionResult): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, "results.json"), `${JSON.stringify(toGradescope(result), null, 2)}\n`);
  await writeFile(join(outDir, "socklab.json"), `${JSON.stringify(result, null, 2)}\n`);
}

/** Grades one submission and writes every report; returns the result document. */
export async function checkSubmission(
  dir: string,
  options: {
    outDir: string;
    only?: readonly string[];
    seed: number;
    concurrency?: number;
    sandbox?: SandboxMode | "auto";
    signal?: AbortSignal;
    /** Optional tasks as extra credit (not in the maximum). */
    extraCredit?: boolean;
  },
): Promise<SubmissionResult> {
  const outDir = resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  const startedAt = new Date().toISOString();
  const graded = await gradeSubmission(dir, {
    tasks: TASKS,
    ...(options.only ? { only: options.only } : {}),
    outDir,
    folders: { reference: REFERENCE_DIR, probes: PROBES_DIR },
    seed: options.seed,
    version: VERSION,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.extraCredit ? { extraCredit: true } : {}),
    onTask: (_task, partial) => writeResults(outDir, partial),
  }).catch(async (error: unknown) => {
    // Even when grading cannot start (a bad manifest), leave results that say why, for Gradescope. A manifest
    // that is missing or wrong is the submission's failure; anything else is socklab's.
    const message = error instanceof Error ? error.message : String(error);
    const students = error instanceof SocklabError && error.owner === "submission";
    await writeResults(outDir, {
      version: 1,
      socklab: VERSION,
      submission: { path: dir, name: basename(resolve(dir)), student: null },
      startedAt,
      durationMs: 0,
      seed: options.seed,
      score: 0,
      maxScore: TASKS.reduce((n, t) => n + maxScore(t), 0),
      status: students ? "failed" : "errored",
      tasks: [],
      warnings: [
        students
          ? `the submission could not be graded: ${message}`
          : `socklab could not grade this submission: ${message}`,
      ],
    });
    throw error;
  });
  const tasks: TaskResult[] = [];
  for (const task of graded.result.tasks) {
    const def = TASKS.find((t) => t.id === task.id)!;
    const evidence = graded.evidence.get(task.id);
    const report = `${task.id}.md`;
    const sections = evidence
      ? [
          ...sectionsOrNote(() => def.sections?.(evidence) ?? []),
          ...renderRunSections(Object.values(evidence.runs), outDir),
        ]
      : [];
    const withReport = { ...task, report } as TaskResult;
    // Plots as .svg files beside the report: GitHub strips inline <svg>.
    const { markdown, files } = extractSvgs(renderTaskReport(withReport, sections), task.id);
    for (const file of files) await writeFile(join(outDir, file.name), file.svg);
    await writeFile(join(outDir, report), markdown);
    tasks.push(withReport);
  }
  const result: SubmissionResult = { ...graded.result, tasks };
  await writeResults(outDir, result);
  const summary = sectionsOrNote(() => SUMMARY_SECTIONS(graded.evidence));
  await writeFile(join(outDir, "index.md"), renderSubmissionIndex(result, summary));
  await writeFile(join(outDir, "junit.xml"), toJUnit(result));
  return result;
}

/**
 * A task's own report sections. They read runs that socklab's own fault may have left without a capture or
 * outcomes: a section that cannot be drawn becomes a note, and the verdicts are written all the same.
 */
function sectionsOrNote(draw: () => string[]): string[] {
  try {
    return draw();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return [
      `> socklab could not draw this report's task sections (not your fault): ${why.split("\n", 1)[0]}`,
    ];
  }
}

/**
 * Exit code for a result: 0 all passed, 1 some failed, 2 socklab could not grade. A task left out of the
 * manifest counts as failed unless the run was narrowed to some tasks (`--task`): a manifest that lists only
 * the tasks that pass must not turn CI green.
 */
export function exitCodeOf(result: SubmissionResult, narrowed = false): number {
  if (result.status === "errored" || result.status === "interrupted") return EXIT.harness;
  if (!narrowed && result.tasks.some((t) => t.status === "not-submitted")) return EXIT.failed;
  return result.status === "passed" ? EXIT.ok : EXIT.failed;
}

function parse(args: string[]) {
  return parseCommandArgs(args, {
    task: { type: "string" },
    out: { type: "string" },
    json: { type: "boolean" },
    seed: { type: "string" },
    concurrency: { type: "string" },
    "extra-credit": { type: "boolean" },
    sandbox: { type: "string" },
  });
}

/** Prints the terminal view (or the JSON document) of a result. */
export function printResult(result: SubmissionResult, output: Output, json: boolean, reports: string): void {
  if (json) output.out(JSON.stringify(result, null, 2));
  else {
    const width = output.columns ?? 100;
    for (const line of renderTerminal(result, { colour: output.colour, reports, width })) output.out(line);
  }
}

export const checkCommand: Command = {
  name: "check",
  summary: "grade a submission: run its programs in isolation, analyse the traffic, write reports",
  usage,
  async run(args, output) {
    const parsed = parse(args);
    const dir = parsed.positionals[0];
    if (dir === undefined || parsed.positionals.length > 1)
      throw new UsageError("name exactly one submission folder");
    const only = taskList(parsed.values.task);
    const seed =
      parsed.values.seed === undefined ? seedFrom(basename(resolve(dir))) : Number(parsed.values.seed);
    if (!Number.isInteger(seed) || seed < 0)
      throw new UsageError(`--seed takes a whole number, not '${parsed.values.seed}'`);
    const concurrency =
      parsed.values.concurrency === undefined ? undefined : Number(parsed.values.concurrency);
    if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0)) {
      throw new UsageError(`--concurrency takes a positive whole number, not '${parsed.values.concurrency}'`);
    }
    const sandbox = parsed.values.sandbox;
    await requireFolder(dir, "submission to check");
    if (sandbox !== undefined && sandbox !== "host" && sandbox !== "namespace")
      throw new UsageError(`--sandbox takes host or namespace, not '${sandbox}'`);
    // Next to the user's work, never in socklab's own folder; a run of some tasks only keeps its own index.
    const outDir =
      parsed.values.out ?? (only ? join("socklab-report", `only-${only.join("+")}`) : "socklab-report");
    if (!parsed.values.json) output.err(`socklab check ${dir} (seed ${seed}) …`);
    const graded = await withStopSignals(output, (signal) =>
      checkSubmission(dir, {
        outDir,
        seed,
        signal,
        ...(only ? { only } : {}),
        ...(concurrency ? { concurrency } : {}),
        ...(sandbox ? { sandbox } : {}),
        ...(parsed.values["extra-credit"] ? { extraCredit: true } : {}),
      }),
    ).catch((error: unknown) => {
      // The submission's own fault (no manifest, a broken one): its failure, said in one line; results written.
      if (error instanceof SocklabError && error.owner === "submission") return error;
      throw error;
    });
    if (graded instanceof SocklabError) {
      output.err(`socklab check: ${graded.message}`);
      return EXIT.failed;
    }
    const { value: result, stoppedBy } = graded;
    const index = join(resolve(outDir), "index.md");
    const shown = relative(process.cwd(), index);
    printResult(result, output, Boolean(parsed.values.json), shown.startsWith("..") ? index : shown);
    if (process.env.GITHUB_ACTIONS === "true") await githubOutput(dir, result, resolve(outDir), output);
    return stoppedBy ? STOP_EXIT[stoppedBy] : exitCodeOf(result, only !== undefined);
  },
};
