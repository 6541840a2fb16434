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
  /** Columns to wrap a failure's lines to (default 100: the terminal's width when the CLI knows it). */
  readonly width?: number;
  /** Where the index report is, as shown to the user (default `reports/<submission name>/index.md`). */
  readonly reports?: string;
}

const ANSI = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;
type Paint = (style: keyof typeof ANSI, text: string) => string;

function painter(colour: boolean): Paint {
  return (style, text) => (colour ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text);
}

/**
 * `text` on lines of at most `width` columns after `indent`, broken between words (a word longer than a line is
 * cut), at most `max` lines (the last ends with "…" when text was left out).
 */
export function wrap(text: string, width: number, indent: string, max = 3): string[] {
  const room = Math.max(20, width - indent.length);
  const lines: string[] = [];
  let line = "";
  for (const word of oneLine(text, 2000).split(" ")) {
    for (let rest = word; rest.length > 0; ) {
      const piece = rest.length > room ? rest.slice(0, room) : rest;
      rest = rest.slice(piece.length);
      if (line === "") line = piece;
      else if (line.length + 1 + piece.length <= room) line += ` ${piece}`;
      else {
        lines.push(line);
        line = piece;
      }
    }
  }
  if (line !== "") lines.push(line);
  if (lines.length > max) {
    const kept = lines.slice(0, max);
    const last = kept[max - 1]!;
    kept[max - 1] = last.length + 2 > room ? `${last.slice(0, room - 2)} …` : `${last} …`;
    return kept.map((l) => indent + l);
  }
  return lines.map((l) => indent + l);
}

function checkLines(task: TaskResult, check: CheckResult, paint: Paint, width: number): string[] {
  const points = `(${scoreText(check.points, check.maxPoints)})`;
  const outcome = checkOutcome(task, check);
  if (outcome === "task-errored") {
    return [`  ${paint("yellow", SYMBOLS.errored)} ${check.title} ${points}`];
  }
  switch (check.status) {
    case "passed":
      return [`  ${paint("green", SYMBOLS.passed)} ${check.title} ${points}`];
    case "failed": {
      // What went wrong, what was expected and seen, and the fix, each wrapped between words.
      const f = check.failure;
      const indent = "      ";
      const part = (label: string, text: string | undefined, max = 3) =>
        text === undefined ? [] : wrap(`${label}${text}`, width, indent, max);
      return [
        `  ${paint("red", SYMBOLS.failed)} ${check.title} ${points}`,
        ...part("", f.message, 2).map((l) => paint("red", l)),
        ...[...part("expected: ", f.expected), ...part("seen: ", f.actual)].map((l) => paint("dim", l)),
        ...part("fix: ", f.help),
      ];
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

function taskLines(task: TaskResult, paint: Paint, width: number): string[] {
  const head = paint("bold", `${task.id} (${task.section}) ${scoreText(task.score, task.maxScore)}`);
  switch (task.status) {
    case "not-submitted":
      return [`${head} ${paint("dim", `— not submitted: ${oneLine(task.reason, 100)}`)}`];
    case "interrupted":
      return [`${head} ${paint("yellow", `— not graded: ${oneLine(task.reason, 100)}`)}`];
    case "errored":
      return [
        `${head} ${paint("yellow", `— ${oneLine(faultText("grade this task", firstLine(task.error)), 140)}`)}`,
        ...task.checks.flatMap((c) => checkLines(task, c, paint, width)),
      ];
    default:
      return [
        head,
        ...task.checks.flatMap((c) => checkLines(task, c, paint, width)),
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
    const printed = b.output.split("\n").filter((line) => line.trim() !== "");
    for (const line of printed.slice(-12)) lines.push(`  ${oneLine(line, 200)}`);
  }
  const width = options.width ?? 100;
  lines.push(...result.tasks.flatMap((task) => taskLines(task, paint, width)));
  for (const w of result.warnings) lines.push(paint("yellow", `${SYMBOLS.warning} ${oneLine(w, 200)}`));
  const reports = options.reports ?? `reports/${result.submission.name}/index.md`;
  const score = `Score ${scoreText(result.score, result.maxScore)}`;
  const colour = result.status === "passed" ? "green" : result.status === "failed" ? "red" : "yellow";
  lines.push(
    `${paint("bold", paint(colour, score))} — ${summaryText(result)}. Seed ${result.seed}. Reports: ${reports}`,
  );
  return lines;
}
