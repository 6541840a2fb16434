// socklab's own result document (`socklab check --json`): documented in docs/results-json.md, stable, and the
// source every other format (Markdown, terminal, Gradescope results.json, JUnit XML, CSV) is derived from.
// Discriminated unions on `status`; plain JSON-able data.

import type { BuildSummary } from "../session/index.ts";

/** Where a piece of evidence comes from: a packet of a run's capture, a line of a program's output, a file. */
export type EvidenceRef =
  | { readonly kind: "packet"; readonly run: string; readonly packet: number; readonly summary?: string }
  | {
      readonly kind: "output";
      readonly run: string;
      readonly program: string;
      readonly stream: "stdout" | "stderr";
      readonly line: number;
      readonly text: string;
    }
  | { readonly kind: "file"; readonly path: string }
  | { readonly kind: "note"; readonly text: string };

/** Why a check did not pass, for people: the property, what was expected, what was seen, where, how to fix. */
export interface Failure {
  readonly message: string;
  readonly expected?: string;
  readonly actual?: string;
  readonly evidence: readonly EvidenceRef[];
  readonly help?: string;
}

export type Visibility = "visible" | "hidden" | "after_due_date" | "after_published";

/**
 * Good practice the handout does not ask for (datagrams larger than its buffers, SO_REUSEADDR, a clean exit on
 * Ctrl+C…): shown in every output, never scored.
 */
export interface Advice {
  /** Stable id, unique within its task, e.g. "large-datagrams". */
  readonly id: string;
  /** What was seen, e.g. "a 1400-byte datagram came back cut to 1024 bytes". */
  readonly message: string;
  readonly evidence: readonly EvidenceRef[];
  /** What to do about it. */
  readonly help?: string;
}

interface CheckResultBase {
  /** Stable id, unique within its task, e.g. "handshake". */
  readonly id: string;
  readonly title: string;
  readonly maxPoints: number;
  readonly visibility: Visibility;
  /** Notes that hold whatever the status (e.g. retransmissions seen but not penalised). */
  readonly notes: readonly string[];
  readonly durationMs: number;
}

export type CheckResult =
  | (CheckResultBase & {
      readonly status: "passed";
      readonly points: number;
      readonly message: string;
      readonly evidence: readonly EvidenceRef[];
    })
  | (CheckResultBase & { readonly status: "failed"; readonly points: number; readonly failure: Failure })
  | (CheckResultBase & {
      readonly status: "skipped";
      readonly points: 0;
      readonly reason: string;
      readonly dependsOn: string;
    })
  | (CheckResultBase & { readonly status: "errored"; readonly points: 0; readonly error: string });

export type CheckStatus = CheckResult["status"];

/** A program's run, summarised for reports. */
export interface ProgramSummary {
  readonly run: string;
  readonly name: string;
  readonly source: "student" | "reference" | "probe";
  readonly command: string;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly description: string;
  readonly wallMs: number;
  readonly cpuMs: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** One sandboxed run of a task: which programs, the capture kept beside the report. */
export interface RunSummary {
  readonly name: string;
  readonly title: string;
  readonly mode: "namespace" | "host";
  readonly capture: string | null;
  readonly packets: number;
  readonly wallMs: number;
  readonly programs: readonly ProgramSummary[];
  readonly warnings: readonly string[];
}

interface TaskResultBase {
  readonly id: string;
  readonly title: string;
  /** The handout section, e.g. "1.1". */
  readonly section: string;
  readonly score: number;
  readonly maxScore: number;
  readonly checks: readonly CheckResult[];
  /** Findings worth knowing that cost no points. */
  readonly advice: readonly Advice[];
  readonly runs: readonly RunSummary[];
  readonly durationMs: number;
  /** The Markdown report written for this task, relative to the results folder, or null. */
  readonly report: string | null;
}

export type TaskResult =
  | (TaskResultBase & { readonly status: "passed" | "failed" })
  | (TaskResultBase & { readonly status: "not-submitted"; readonly reason: string })
  /** socklab was stopped (SIGINT, SIGTERM) before the task was graded: nothing is known, nothing counted. */
  | (TaskResultBase & { readonly status: "interrupted"; readonly reason: string })
  | (TaskResultBase & { readonly status: "errored"; readonly error: string });

export type TaskStatus = TaskResult["status"];

/** The whole document for one submission. */
export interface SubmissionResult {
  readonly version: 1;
  readonly socklab: string;
  readonly submission: { readonly path: string; readonly name: string; readonly student: string | null };
  readonly startedAt: string;
  readonly durationMs: number;
  /** The seed of every random choice (printed with the verdicts). */
  readonly seed: number;
  readonly score: number;
  readonly maxScore: number;
  /**
   * passed: every check of every submitted task passed; failed: some did not; errored: socklab could not grade
   * some of it; interrupted: socklab was stopped before every task was graded (never a pass).
   */
  readonly status: "passed" | "failed" | "errored" | "interrupted";
  readonly tasks: readonly TaskResult[];
  readonly warnings: readonly string[];
  /** Optional tasks graded as extra credit: their points are in `score`, not in `maxScore`. */
  readonly extraCredit?: readonly string[];
  /** The manifest's `build:` step, when it has one: how it ended and what it printed. */
  readonly build?: BuildSummary;
}
