// The terminal view of a result: a line per task, a line per check with a status symbol and its points, a
// short expected/seen line under a failure, every timeout, and a closing summary with the seed and where the
// reports are. ANSI colour only when asked (the CLI asks on a TTY without NO_COLOR).
import type { CheckResult, SubmissionResult, TaskResult } from "../grade/index.ts";
import {
  adviceText,
  checkOutcome,
  faultText,
  firstLine,
  oneLine,
  SYMBOLS,
  scoreText,
  summaryText,
  timeoutNotes,
} from "./results-text.ts";

export interface TerminalOptions {
  readonly colour: boolean;
  /** Where the index report is, as shown to the user (default `reports/<submission name>/index.md`). */
  readonly reports?: string;
}

const ANSI = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;
type Paint = (style: keyof typeof ANSI, text: string) => string;

function painter(colour: boolean): Paint {
  return (style, text) => (colour ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text);
}

function checkLines(task: TaskResult, check: CheckResult, paint: Paint): string[] {
  const points = `(${scoreText(check.points, check.maxPoints)})`;
  const outcome = checkOutcome(task, check);
  if (outcome === "task-errored") {
    return [`  ${paint("yellow", SYMBOLS.errored)} ${check.title} ${points}`];
  }
  switch (check.status) {
    case "passed":
      return [`  ${paint("green", SYMBOLS.passed)} ${check.title} ${points}`];
    case "failed": {
      const f = check.failure;
      const facts = [
        ...(f.expected !== undefined ? [`expected ${oneLine(f.expected, 70)}`] : []),
        ...(f.actual !== undefined ? [`seen ${oneLine(f.actual, 70)}`] : []),
      ];
      const detail = facts.length > 0 ? facts.join("; ") : oneLine(f.message, 140);
      return [`  ${paint("red", SYMBOLS.failed)} ${check.title} ${points}`, paint("dim", `      ${detail}`)];
    }
    case "skipped":
      return [
        `  ${paint("dim", SYMBOLS.skipped)} ${check.title} ${points} ${paint("dim", `not run: ${oneLine(check.reason, 100)}`)}`,
      ];
    case "errored":
      return [
        `  ${paint("yellow", SYMBOLS.errored)} ${check.title} ${points}`,
        paint("yellow", `      ${oneLine(faultText("run this check", firstLine(check.error)), 140)}`),
      ];
  }
}

function taskLines(task: TaskResult, paint: Paint): string[] {
  const head = paint("bold", `${task.id} (${task.section}) ${scoreText(task.score, task.maxScore)}`);
  switch (task.status) {
    case "not-submitted":
      return [`${head} ${paint("dim", `— not submitted: ${oneLine(task.reason, 100)}`)}`];
    case "interrupted":
      return [`${head} ${paint("yellow", `— not graded: ${oneLine(task.reason, 100)}`)}`];
    case "errored":
      return [
        `${head} ${paint("yellow", `— ${oneLine(faultText("grade this task", firstLine(task.error)), 140)}`)}`,
        ...task.checks.flatMap((c) => checkLines(task, c, paint)),
      ];
    default:
      return [
        head,
        ...task.checks.flatMap((c) => checkLines(task, c, paint)),
        ...timeoutNotes(task).map((n) => paint("yellow", `  ${SYMBOLS.warning} ${oneLine(n, 140)}`)),
        ...task.advice.map((a) => paint("dim", `  advice (no points): ${oneLine(adviceText(a), 160)}`)),
      ];
  }
}

/** The terminal lines for a result (without line ends), closing with a one-line summary. */
export function renderTerminal(result: SubmissionResult, options: TerminalOptions): string[] {
  const paint = painter(options.colour);
  const lines: string[] = [];
  if (result.build !== undefined && result.build.status !== "passed") {
    const b = result.build;
    lines.push(
      paint(b.status === "failed" ? "red" : "yellow", `build: ${b.command} ${oneLine(b.description, 100)}`),
    );
    for (const line of b.output.trim().split("\n").slice(-12)) lines.push(`  ${oneLine(line, 200)}`);
  }
  lines.push(...result.tasks.flatMap((task) => taskLines(task, paint)));
  for (const w of result.warnings) lines.push(paint("yellow", `${SYMBOLS.warning} ${oneLine(w, 200)}`));
  const reports = options.reports ?? `reports/${result.submission.name}/index.md`;
  const score = `Score ${scoreText(result.score, result.maxScore)}`;
  const colour = result.status === "passed" ? "green" : result.status === "failed" ? "red" : "yellow";
  lines.push(
    `${paint("bold", paint(colour, score))} — ${summaryText(result)}. Seed ${result.seed}. Reports: ${reports}`,
  );
  return lines;
}
