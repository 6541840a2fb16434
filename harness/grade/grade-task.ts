// Grades one task of one submission: its runs in parallel sandboxes, then its checks over what they did.
import { join } from "node:path";
import { faultOf } from "../fault/index.ts";
import type { Protocol } from "../protocol/index.ts";
import type { SandboxMode } from "../sandbox/index.ts";
import type { Limit } from "../session/index.ts";
import { executeRun, type ProgramFolders, type RunRecord, type RunSpec } from "../session/index.ts";
import { runChecks } from "./check.ts";
import { ctrlCAdvice, limitsAdvice, peerErrorAdvice } from "./checks/programs.ts";
import type { TaskEntry } from "./manifest.ts";
import type { CheckResult, RunSummary, TaskResult } from "./result.ts";
import { taskProtocol } from "./sensor/protocol-option.ts";
import { runAdvice, type Task, type TaskEvidence } from "./task.ts";

export interface GradeTaskOptions {
  readonly submission: string;
  /** Where this task's runs keep their captures: `<outDir>/<run>/capture.pcap`. */
  readonly outDir: string;
  readonly folders: ProgramFolders;
  readonly seed: number;
  /** Runs open at once across the whole grading (a shared limiter). */
  readonly limit: Limit;
  /** CPU-heavy run phases at once (opening sandboxes and starting servers, closing and analysing). */
  readonly heavy?: Limit;
  /** Where runs go: namespaces (default) or the host loopback (resolved once per grading). */
  readonly mode?: SandboxMode;
  /** The manifest's top-level protocol description, if any. */
  readonly protocol?: Protocol | null;
}

export interface GradedTask {
  readonly result: TaskResult;
  readonly evidence: TaskEvidence | null;
}

/** A task missing from the manifest: zero points, every check listed, not an error. */
export function notSubmitted(def: Task): TaskResult {
  const checks: CheckResult[] = def.checks.map((c) => ({
    id: c.id,
    title: c.title,
    maxPoints: c.points,
    visibility: c.visibility ?? "visible",
    status: "skipped",
    points: 0,
    reason: "the task is not in the submission's manifest",
    dependsOn: "manifest",
    notes: [],
    durationMs: 0,
  }));
  return {
    id: def.id,
    title: def.title,
    section: def.section,
    status: "not-submitted",
    reason: `no '${def.id}' entry in socklab.yaml`,
    score: 0,
    maxScore: maxScore(def),
    checks,
    advice: [],
    runs: [],
    durationMs: 0,
    report: null,
  };
}

/** A submitted task that socklab did not finish grading (stopped, or not there yet): no verdict, no points. */
export function interruptedTask(def: Task, reason: string): TaskResult {
  return { ...notSubmitted(def), status: "interrupted", reason };
}

/** The points a task is worth. */
export function maxScore(def: Task): number {
  return def.checks.reduce((n, c) => n + c.points, 0);
}

function summarise(run: RunRecord, outDir: string): RunSummary {
  const programs = [run.server, ...run.clients].filter((p) => p !== null);
  return {
    name: run.name,
    title: run.title,
    mode: run.mode,
    capture: run.captureFile ? join(outDir, run.name, "capture.pcap") : null,
    packets: run.analysis?.capture.packets ?? 0,
    wallMs: run.wallMs,
    warnings: [...run.warnings, ...run.faults.map((f) => f.message)],
    programs: programs.map((p) => ({
      run: run.name,
      name: p.role.name,
      source: p.role.source,
      command: p.role.command,
      exitCode: p.outcome.exitCode,
      signal: p.outcome.signal,
      description: p.outcome.description,
      wallMs: p.outcome.wallMs,
      cpuMs: p.outcome.cpuMs,
      stdout: p.outcome.stdout.slice(0, 4000),
      stderr: p.outcome.stderr.slice(0, 4000),
    })),
  };
}

/**
 * One run, tried a second time when socklab itself failed in it (a program of its own would not start, the
 * capture was unreadable, the sandbox broke): a passing glitch of the machine must not cost a grade. A run
 * that cannot even be opened becomes a record carrying the fault.
 */
async function runWithRetry(spec: RunSpec, options: GradeTaskOptions): Promise<RunRecord> {
  const attempt = () =>
    options
      .limit(() =>
        executeRun(
          spec,
          options.submission,
          join(options.outDir, spec.name),
          options.folders,
          options.heavy,
          options.mode,
        ),
      )
      .catch((error: unknown) => faultedRecord(spec, join(options.outDir, spec.name), error));
  const first = await attempt();
  // Only socklab's own faults are worth another try: what the submission did, it would do again.
  if (!first.faults.some((f) => f.owner === "socklab")) return first;
  const second = await attempt();
  const earlier = first.faults
    .filter((f) => f.owner === "socklab")
    .map((f) => `first attempt: ${f.message}`)
    .join("; ");
  return {
    ...second,
    warnings: [`the run was tried twice because socklab failed in it (${earlier})`, ...second.warnings],
  };
}

/** The record of a run that could not be opened at all. */
function faultedRecord(spec: RunSpec, outDir: string, error: unknown): RunRecord {
  const fault = faultOf(error, "sandbox");
  return {
    name: spec.name,
    group: spec.group ?? null,
    title: spec.title,
    protocol: spec.protocol,
    port: spec.port,
    mode: "namespace",
    outDir,
    serverReady: null,
    server: null,
    clients: [],
    snapshots: [],
    idleCpu: null,
    listeningAfter: null,
    serverRunningAtEnd: false,
    captureFile: null,
    analysis: null,
    captureFindings: [],
    notes: {},
    faults: [
      { ...fault, owner: "socklab", message: `the ${spec.name} run could not start: ${fault.message}` },
    ],
    warnings: [],
    wallMs: 0,
  };
}

/** Runs and checks one submitted task. A harness failure gives an `errored` task, never a thrown error. */
export async function gradeTask(
  def: Task,
  entry: TaskEntry,
  reference: TaskEntry,
  options: GradeTaskOptions,
): Promise<GradedTask> {
  const started = performance.now();
  // The reference programs meet the student's on the student's host and port, with the student's options (quit word, format…).
  const env = {
    entry,
    reference: { ...reference, host: entry.host, port: entry.port, options: entry.options },
    seed: options.seed,
    protocol: taskProtocol(entry, options.protocol ?? null),
  };
  const base = { id: def.id, title: def.title, section: def.section, maxScore: maxScore(def), report: null };
  try {
    const specs = def.runs(env);
    const records = await Promise.all(specs.map((spec) => runWithRetry(spec, options)));
    const evidence: TaskEvidence = {
      env,
      runs: Object.fromEntries(records.map((r) => [r.name, r])),
    };
    const checks = runChecks(def.checks, evidence);
    const score = checks.reduce((n, c) => n + c.points, 0);
    const allPassed = checks.every((c) => c.status === "passed");
    const errored = checks.filter((c) => c.status === "errored");
    const verdict =
      errored.length > 0
        ? {
            status: "errored" as const,
            error:
              `socklab could not test ${errored.length} of ${checks.length} checks (not the student's fault): ` +
              // The message without a stack.
              (errored[0]!.error.split("\n", 1)[0] ?? ""),
          }
        : { status: allPassed ? ("passed" as const) : ("failed" as const) };
    return {
      evidence,
      result: {
        ...base,
        ...verdict,
        score,
        checks,
        advice: runAdvice([...(def.advice ?? []), ctrlCAdvice, peerErrorAdvice, limitsAdvice], evidence),
        runs: records.map((r) => summarise(r, options.outDir)),
        durationMs: Math.round(performance.now() - started),
      },
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      evidence: null,
      result: {
        ...base,
        status: "errored",
        error: `socklab could not grade this task (not the student's fault): ${message}`,
        score: 0,
        checks: [],
        advice: [],
        runs: [],
        durationMs: Math.round(performance.now() - started),
      },
    };
  }
}
