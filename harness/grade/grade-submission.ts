// Grades a whole submission: reads its manifest, grades every submitted task (tasks and their runs in
// parallel sandboxes, with a shared limit), lists the others as not submitted, and reports progress so the
// caller can write partial results as tasks finish.
import { basename, join, resolve } from "node:path";
import { interruptRuns, removeStaleStages, resolveSandboxMode, type SandboxMode } from "../sandbox/index.ts";
import type { BuildSummary, ProgramFolders } from "../session/index.ts";
import { buildSubmission, limiter, stageProgramFolders } from "../session/index.ts";
import { buildTaskResult } from "./build-verdict.ts";
import { type GradedTask, gradeTask, interruptedTask, notSubmitted } from "./grade-task.ts";
import { loadManifest, type Manifest } from "./manifest.ts";
import type { SubmissionResult, TaskResult } from "./result.ts";
import { checkSubmissionSize, SubmissionTooLargeError } from "./submission-limits.ts";
import type { Task, TaskEvidence } from "./task.ts";

/** CPU-heavy run phases at once across every grading in this process (2 cores: more only adds contention). */
export const DEFAULT_CONCURRENCY = 6;
/** Runs open at once per heavy slot: most of a run is waiting on its programs' own schedules. */
export const OPEN_RUNS_PER_SLOT = 4;
const sharedHeavy = limiter(DEFAULT_CONCURRENCY);
/** After a stop, how long the runs may take to end (their programs are killed at once; closing is quick). */
const WIND_DOWN_MS = 15_000;
const sharedLimit = limiter(DEFAULT_CONCURRENCY * OPEN_RUNS_PER_SLOT);

export interface GradeSubmissionOptions {
  readonly tasks: readonly Task[];
  /** Only these task ids (default: every task). */
  readonly only?: readonly string[];
  /** Where each task's runs keep their captures: `<outDir>/<task>/<run>/capture.pcap`. */
  readonly outDir: string;
  readonly folders: ProgramFolders;
  readonly seed: number;
  /** CPU-heavy run phases at once for this submission alone, with 4× as many runs open (default: 6 and 24,
   * shared by the whole process). */
  readonly concurrency?: number;
  readonly version: string;
  /** Namespaces (default: "auto", i.e. SOCKLAB_SANDBOX or namespaces) or the host loopback. */
  readonly sandbox?: SandboxMode | "auto";
  /**
   * Stops the grading (SIGINT, SIGTERM): every open run is ended at once, no new one starts, and the tasks not
   * finished before it are `interrupted`.
   */
  readonly signal?: AbortSignal;
  /** Optional tasks as extra credit: their points count in the score, not in the maximum. */
  readonly extraCredit?: boolean;
  /** Called as each task finishes, with the results so far (tasks not finished yet are `interrupted`). */
  readonly onTask?: (task: TaskResult, partial: SubmissionResult) => void | Promise<void>;
}

export interface GradedSubmission {
  readonly result: SubmissionResult;
  readonly evidence: ReadonlyMap<string, TaskEvidence>;
  readonly manifest: Manifest;
}

/** The submission document from task results (score, status). */
export function submissionDocument(
  manifest: Manifest,
  dir: string,
  tasks: readonly TaskResult[],
  fields: {
    seed: number;
    startedAt: string;
    durationMs: number;
    version: string;
    warnings: readonly string[];
    build?: BuildSummary;
    /** The tasks counted as extra credit (not in the maximum). */
    extraCredit?: readonly string[];
  },
): SubmissionResult {
  const extra = new Set(fields.extraCredit ?? []);
  const submitted = tasks.filter((t) => t.status !== "not-submitted");
  // Nothing submitted is not a pass: the student gets 0 and CI should say so.
  const status = submitted.some((t) => t.status === "interrupted")
    ? "interrupted"
    : submitted.some((t) => t.status === "errored")
      ? "errored"
      : submitted.length > 0 && submitted.every((t) => t.status === "passed")
        ? "passed"
        : "failed";
  return {
    version: 1,
    socklab: fields.version,
    ...(fields.build === undefined ? {} : { build: fields.build }),
    ...(extra.size === 0 ? {} : { extraCredit: [...extra] }),
    submission: { path: dir, name: basename(resolve(dir)), student: manifest.student },
    startedAt: fields.startedAt,
    durationMs: fields.durationMs,
    seed: fields.seed,
    score: tasks.reduce((n, t) => n + t.score, 0),
    maxScore: tasks.reduce((n, t) => n + (extra.has(t.id) ? 0 : t.maxScore), 0),
    status,
    tasks,
    warnings: fields.warnings,
  };
}

/** Grades the submission in `dir`. Throws ManifestError when its manifest (or the reference's) is unusable. */
let staleStages: Promise<number> | undefined;

export async function gradeSubmission(
  dir: string,
  options: GradeSubmissionOptions,
): Promise<GradedSubmission> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  // Staging folders of socklab processes killed before they could clean up (once per process).
  staleStages ??= removeStaleStages();
  await staleStages;
  const manifest = await loadManifest(dir, options.tasks);
  await checkSubmissionSize(dir);
  const referenceManifest = await loadManifest(options.folders.reference, options.tasks);
  // Before anything runs: stop at once, with what is missing, when runs cannot be isolated as asked.
  const mode = await resolveSandboxMode(options.sandbox ?? "auto");
  const chosen = options.tasks.filter((t) => !options.only || options.only.includes(t.id));
  const limit =
    options.concurrency === undefined ? sharedLimit : limiter(options.concurrency * OPEN_RUNS_PER_SLOT);
  const heavy = options.concurrency === undefined ? sharedHeavy : limiter(options.concurrency);
  const done = new Map<string, TaskResult>();
  const evidence = new Map<string, TaskEvidence>();
  const warnings: string[] = [];
  const unfinished = (t: Task) =>
    manifest.tasks.has(t.id)
      ? interruptedTask(
          t,
          options.signal?.aborted
            ? "socklab was stopped before this task was graded"
            : "socklab had not finished this task (it was stopped, or is still grading)",
        )
      : notSubmitted(t);
  const document = () =>
    submissionDocument(
      manifest,
      dir,
      chosen.map((t) => done.get(t.id) ?? unfinished(t)),
      {
        seed: options.seed,
        startedAt,
        durationMs: Math.round(performance.now() - started),
        version: options.version,
        warnings,
        ...(build === undefined ? {} : { build: build.summary }),
        ...(options.extraCredit ? { extraCredit: chosen.filter((t) => t.optional).map((t) => t.id) } : {}),
      },
    );
  let build: Awaited<ReturnType<typeof buildSubmission>> | undefined;
  const staged = await stageProgramFolders(options.folders);
  let onAbort = () => {};
  const stopped = new Promise<void>((resolve) => {
    onAbort = () => resolve();
    if (options.signal?.aborted) resolve();
    options.signal?.addEventListener("abort", onAbort, { once: true });
  });
  void stopped.then(() => interruptRuns());
  try {
    // Once stopped, the runs end within moments (their programs are gone); the wait is bounded all the same.
    const grading = gradeAll();
    grading.catch(() => undefined);
    const windDown = () =>
      Promise.race([grading, new Promise<void>((resolve) => setTimeout(resolve, WIND_DOWN_MS).unref())]);
    await Promise.race([grading, stopped.then(windDown)]);
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await staged.release();
    await build?.release();
  }
  return { result: document(), evidence, manifest };

  async function gradeAll(): Promise<void> {
    // The build runs once, before any task, when a submitted task is to be graded.
    if (manifest.build !== null && chosen.some((t) => manifest.tasks.has(t.id))) {
      build = await heavy(() =>
        buildSubmission(resolve(dir), {
          command: manifest.build!.command,
          timeoutSeconds: manifest.build!.timeoutSeconds,
          outDir: join(options.outDir, "build"),
          mode,
        }),
      );
      // What the build left is copied into every run: it is held to the submission's own limits.
      if (build.folder !== null) {
        const tooLarge = await checkSubmissionSize(build.folder).then(
          () => null,
          (error: unknown) => (error instanceof SubmissionTooLargeError ? error.message : null),
        );
        if (tooLarge !== null) {
          await build.release();
          const where = tooLarge.replace(build.folder, "the built folder");
          build = {
            summary: { ...build.summary, status: "failed", description: `built too much: ${where}` },
            folder: null,
            release: async () => {},
          };
        }
      }
    }
    const submission = build?.folder ?? resolve(dir);
    await Promise.all(
      chosen.map(async (def) => {
        const entry = manifest.tasks.get(def.id);
        let graded: GradedTask;
        if (!entry) {
          graded = { result: notSubmitted(def), evidence: null };
        } else if (build !== undefined && build.summary.status !== "passed") {
          graded = { result: buildTaskResult(def, build.summary), evidence: null };
        } else {
          const reference = referenceManifest.tasks.get(def.id);
          if (!reference) throw new Error(`the reference manifest has no '${def.id}' entry`);
          graded = await gradeTask(def, entry, reference, {
            submission,
            outDir: join(options.outDir, def.id),
            folders: staged,
            seed: options.seed,
            limit,
            heavy,
            mode,
            protocol: manifest.protocol,
          });
        }
        // A task that ended after the stop ended because its programs were killed: it has no verdict.
        if (options.signal?.aborted) return;
        done.set(def.id, graded.result);
        if (graded.evidence) evidence.set(def.id, graded.evidence);
        await options.onTask?.(graded.result, document());
      }),
    );
  }
}
