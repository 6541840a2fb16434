// Gradescope's results.json from socklab's result document (spec: gradescope/autograder_samples docs/specs.md):
// one test per check, numbered by handout section, with Markdown feedback that names what was expected, what
// was seen, where and how to fix it. A grader fault scores 0 but says plainly it is not the student's fault.
import type { CheckResult, SubmissionResult, TaskResult, Visibility } from "../grade/index.ts";
import { fenced } from "./markdown.ts";
import {
  adviceText,
  allAdvice,
  checkNumber,
  checkOutcome,
  clipUtf8,
  evidenceText,
  faultText,
  markdownText,
  scoreText,
  stoppedOnSubmission,
  summaryText,
  timeoutNotes,
} from "./results-text.ts";

/** Gradescope keeps outputs small; each output string stays under this many UTF-8 bytes. */
export const GRADESCOPE_OUTPUT_LIMIT = 8000;

export interface GradescopeTest {
  readonly name: string;
  readonly number: string;
  readonly score: number;
  readonly max_score: number;
  readonly status: "passed" | "failed";
  readonly output: string;
  readonly output_format: "md";
  readonly visibility: Visibility;
  readonly tags: readonly string[];
  readonly extra_data: { readonly task: string; readonly check: string; readonly status: string };
}

export interface GradescopeResults {
  readonly score: number;
  readonly execution_time: number;
  readonly output: string;
  readonly output_format: "md";
  readonly test_output_format: "md";
  readonly visibility: "visible";
  readonly stdout_visibility: "hidden";
  readonly tests: readonly GradescopeTest[];
  readonly extra_data: { readonly socklab: string; readonly seed: number; readonly status: string };
}

function clip(text: string, task: TaskResult): string {
  const where = task.report ? ` the full text is in ${task.report}` : "";
  return clipUtf8(
    text,
    GRADESCOPE_OUTPUT_LIMIT,
    `\n\n… (cut to fit Gradescope;${where || " see socklab's report"})`,
  );
}

function notesBlock(check: CheckResult): string[] {
  return check.notes.length === 0
    ? []
    : ["**Notes:**", check.notes.map((n) => `- ${markdownText(n)}`).join("\n")];
}

function harnessError(what: string, error: string): string {
  const [head, ...rest] = faultText(what, error).split(/\r?\n/);
  const detail = rest.join("\n").trim();
  return [
    `**${markdownText(head ?? "")}**`,
    ...(detail ? [fenced(detail, "text")] : []),
    "It scores 0 for now because the grader failed, not your program; please tell the course staff.",
  ].join("\n\n");
}

/** The Markdown feedback of one check. */
export function gradescopeCheckOutput(task: TaskResult, check: CheckResult): string {
  const outcome = checkOutcome(task, check);
  if (task.status === "not-submitted" && outcome === "not-submitted") {
    return `not submitted: ${markdownText(task.reason)}`;
  }
  if (task.status === "interrupted" && outcome === "interrupted") {
    return `not graded: ${markdownText(task.reason)}`;
  }
  if (task.status === "errored" && outcome === "task-errored")
    return harnessError("grade this task", task.error);
  const parts: string[] = [];
  switch (check.status) {
    case "passed":
      parts.push(markdownText(check.message));
      if (check.evidence.length > 0) {
        parts.push(
          `**Seen in:**\n${check.evidence.map((e) => `- ${evidenceText(e, "markdown")}`).join("\n")}`,
        );
      }
      break;
    case "failed": {
      const f = check.failure;
      parts.push(markdownText(f.message));
      const facts: string[] = [];
      if (f.expected !== undefined) facts.push(`**Expected:** ${markdownText(f.expected)}`);
      if (f.actual !== undefined) facts.push(`**Seen:** ${markdownText(f.actual)}`);
      if (facts.length > 0) parts.push(facts.join("  \n"));
      if (f.evidence.length > 0) {
        parts.push(`**Where:**\n${f.evidence.map((e) => `- ${evidenceText(e, "markdown")}`).join("\n")}`);
      }
      if (f.help !== undefined) parts.push(`**How to fix:** ${markdownText(f.help)}`);
      if (check.points > 0) parts.push(`Partial credit: ${scoreText(check.points, check.maxPoints)} points.`);
      break;
    }
    case "skipped":
      parts.push(`Not run: ${markdownText(check.reason)}`);
      break;
    case "errored":
      parts.push(harnessError("run this check", check.error));
      break;
  }
  parts.push(...notesBlock(check));
  return parts.join("\n\n");
}

function checkTest(task: TaskResult, check: CheckResult, index: number): GradescopeTest {
  const outcome = checkOutcome(task, check);
  return {
    name: `${task.id} › ${check.title}`,
    number: checkNumber(task, index),
    score: check.points,
    max_score: check.maxPoints,
    status: check.status === "passed" && outcome === "passed" ? "passed" : "failed",
    output: clip(gradescopeCheckOutput(task, check), task),
    output_format: "md",
    visibility: check.visibility,
    tags: [task.id],
    extra_data: { task: task.id, check: check.id, status: outcome === "task-errored" ? "errored" : outcome },
  };
}

// An errored task may carry no checks at all: one test holds its points and the error.
function erroredTaskTest(task: TaskResult & { status: "errored" }): GradescopeTest {
  return {
    name: `${task.id} › socklab could not grade this task`,
    number: checkNumber(task, 0),
    score: 0,
    max_score: task.maxScore,
    status: "failed",
    output: clip(harnessError("grade this task", task.error), task),
    output_format: "md",
    visibility: "visible",
    tags: [task.id],
    extra_data: { task: task.id, check: "", status: "errored" },
  };
}

// A document with no task at all (socklab stopped before grading): one test holds the points and says why.
function erroredSubmissionTest(result: SubmissionResult): GradescopeTest {
  const why = result.warnings.map((w) => `- ${markdownText(w)}`).join("\n");
  const text = [
    "**socklab could not grade this submission.** The reason is below; unless it is about your `socklab.yaml` " +
      "or the size of your submission, it is a grader fault, not yours.",
    ...(why ? [why] : []),
    "It scores 0 for now; please tell the course staff.",
  ].join("\n\n");
  return {
    name: "socklab › could not grade this submission",
    number: "0.1",
    score: 0,
    max_score: result.maxScore,
    status: "failed",
    output: clipUtf8(text, GRADESCOPE_OUTPUT_LIMIT),
    output_format: "md",
    visibility: "visible",
    tags: [],
    extra_data: { task: "", check: "", status: "errored" },
  };
}

// The summary counts only checks students may see now: hidden results must not leak through it, and
// Gradescope hides the total score whenever a test is hidden, so the summary does too.
function summary(result: SubmissionResult): string {
  const shown = (c: CheckResult) => c.visibility === "visible";
  const anyUnshown = result.tasks.some((t) => t.checks.some((c) => !shown(c)));
  const who = result.submission.student ? ` (${markdownText(result.submission.student)})` : "";
  const score = anyUnshown ? "" : `score ${scoreText(result.score, result.maxScore)}: `;
  const lines = [
    `socklab ${markdownText(result.socklab)} graded **${markdownText(result.submission.name)}**${who}: ${score}${summaryText(result, shown)}.` +
      (anyUnshown ? " Some checks are hidden or shown later, so they are not counted here." : ""),
    `Seed \`${result.seed}\` (every random choice; \`socklab check <your folder> --seed ${result.seed}\` repeats them).`,
  ];
  if (result.status === "errored" && !stoppedOnSubmission(result)) {
    lines.push(
      "**socklab could not grade every task. That is a grader fault, not yours:** those tasks score 0 until the course staff regrade them.",
    );
  }
  const notes = [
    ...result.tasks.flatMap((t) => timeoutNotes(t).map((n) => `${t.id}: ${n}`)),
    ...result.warnings,
  ];
  if (notes.length > 0) lines.push(notes.map((n) => `- ⚠ ${markdownText(n)}`).join("\n"));
  const advice = allAdvice(result);
  if (advice.length > 0) {
    lines.push(
      "**Advice** (good practice the handout does not require; no points at stake):",
      advice.map(({ task, advice: a }) => `- ${task.id}: ${markdownText(adviceText(a))}`).join("\n"),
    );
  }
  return clipUtf8(lines.join("\n\n"), GRADESCOPE_OUTPUT_LIMIT);
}

/** Gradescope's results.json for a submission (write it as JSON to /autograder/results/results.json). */
export function toGradescope(result: SubmissionResult): GradescopeResults {
  const tests: GradescopeTest[] = result.tasks.flatMap((task) =>
    task.status === "errored" && task.checks.length === 0
      ? [erroredTaskTest(task)]
      : task.checks.map((check, i) => checkTest(task, check, i)),
  );
  if (tests.length === 0 && result.status === "errored") tests.push(erroredSubmissionTest(result));
  return {
    score: result.score,
    execution_time: Math.round(result.durationMs / 10) / 100,
    output: summary(result),
    output_format: "md",
    test_output_format: "md",
    visibility: "visible",
    stdout_visibility: "hidden",
    tests,
    extra_data: { socklab: result.socklab, seed: result.seed, status: result.status },
  };
}
