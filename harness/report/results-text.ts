// Small pure pieces shared by the result renderers (Gradescope, JUnit, CSV, terminal, Markdown): points,
// a check's outcome as reports show it, evidence in words, the one-line summary, timeouts, clipping.
// Every string in a SubmissionResult is plain text; `markdownText` makes it safe inside Markdown.
import type { Advice, CheckResult, EvidenceRef, SubmissionResult, TaskResult } from "../grade/index.ts";
import { code, OwnMarkdown, visibleText } from "./markdown.ts";

/** Points for people: whole numbers as they are, fractions with at most two decimals ("1.5", "0.33"). */
export function pointsText(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return String(Math.round(n * 100) / 100);
}

/** "points/max", e.g. "2/2". */
export function scoreText(points: number, max: number): string {
  return `${pointsText(points)}/${pointsText(max)}`;
}

/** A check's outcome in reports: a not-submitted or errored task overrides what its checks say. */
export type CheckOutcome = CheckResult["status"] | "not-submitted" | "interrupted" | "task-errored";

/** The outcome reports show for `check` of `task`. */
export function checkOutcome(task: TaskResult, check: CheckResult): CheckOutcome {
  if (task.status === "not-submitted") return "not-submitted";
  if (task.status === "interrupted") return "interrupted";
  // A task that errored as a whole overrides its checks; one with errored checks shows each check's own status.
  if (task.status === "errored" && !task.checks.some((c) => c.status === "errored")) return "task-errored";
  return check.status;
}

/** The handout number of the `index`-th check (0-based) of a task: "1.1.3". */
export function checkNumber(task: TaskResult, index: number): string {
  return `${task.section}.${index + 1}`;
}

export { visibleText };

/** Escapes plain text for Markdown prose (so `b'x'`, `*`, `_`, `<` and `\n` show as written). */
export function markdownText(text: string): string {
  const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };
  return visibleText(text).replace(/[\\`*_[\]<>&]/g, (c) => entities[c] ?? `\\${c}`);
}

/** Collapses text to one line of at most `max` characters, with "…" when cut. */
export function oneLine(text: string, max = 160): string {
  const flat = visibleText(text)
    .replace(/\s*\r?\n\s*/g, " ⏎ ")
    .trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** The first line of a text (an error's message without its stack). */
export function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0] ?? "";
}

/** Cuts text to at most `maxBytes` UTF-8 bytes (never inside a character), ending with `tail` when cut. */
export function clipUtf8(text: string, maxBytes: number, tail = "\n\n… (cut)"): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const room = Math.max(0, maxBytes - Buffer.byteLength(tail));
  let cut = Buffer.from(text).subarray(0, room).toString("utf8");
  // A character split by the byte cut decodes as U+FFFD; drop it.
  if (cut.endsWith("\uFFFD") && !text.startsWith(cut)) cut = cut.slice(0, -1);
  return `${cut}${tail}`;
}

function whose(program: string, stream: string): string {
  return `the ${program}'s ${stream}`;
}

/** A piece of evidence in words, as Markdown ("packet 7 of run `main`: `…`") or plain text. */
export function evidenceText(ref: EvidenceRef, style: "markdown" | "text"): string {
  const md = style === "markdown";
  const literal = (t: string) => (md ? code(t) : t);
  switch (ref.kind) {
    case "packet": {
      const head = `packet ${ref.packet} of run ${literal(ref.run)}`;
      return ref.summary ? `${head}: ${literal(ref.summary)}` : head;
    }
    case "output": {
      const where = `line ${ref.line} of ${whose(ref.program, ref.stream)} (run ${literal(ref.run)})`;
      return `${where}: ${md ? code(ref.text) : JSON.stringify(ref.text)}`;
    }
    case "file":
      return `file ${literal(ref.path)}`;
    case "note":
      return md ? markdownText(ref.text) : ref.text;
  }
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

const TOO_LARGE = "the submission holds more than";

/** Whether socklab stopped before grading any task because of the submission itself (its socklab.yaml, its
 * size): the student's to fix, not a grader fault. */
export function stoppedOnSubmission(result: SubmissionResult): boolean {
  return (
    result.tasks.length === 0 &&
    result.warnings.some((w) => w.includes("socklab.yaml") || w.includes(TOO_LARGE))
  );
}

/** Counts of what did not pass, in words: "3 checks failed, 1 skipped", or "every check passed". */
export function summaryText(
  result: SubmissionResult,
  include: (check: CheckResult) => boolean = () => true,
): string {
  const count = { failed: 0, skipped: 0, errored: 0 };
  let notSubmitted = 0;
  let tasksErrored = 0;
  let interrupted = 0;
  for (const task of result.tasks) {
    if (task.status === "not-submitted") notSubmitted++;
    else if (task.status === "interrupted") interrupted++;
    else if (task.status === "errored") tasksErrored++;
    else
      for (const check of task.checks) {
        if (!include(check)) continue;
        if (check.status === "failed") count.failed++;
        else if (check.status === "skipped") count.skipped++;
        else if (check.status === "errored") count.errored++;
      }
  }
  const parts: string[] = [];
  // Only the first count names its noun: "3 checks failed, 1 skipped".
  const checkCount = (n: number, what: string) =>
    parts.push(parts.length === 0 ? `${plural(n, "check")} ${what}` : `${n} ${what}`);
  if (count.failed) checkCount(count.failed, "failed");
  if (count.skipped) checkCount(count.skipped, "skipped");
  if (count.errored) checkCount(count.errored, "errored (a socklab fault, not yours)");
  if (interrupted) parts.push(`${plural(interrupted, "task")} not graded: socklab was interrupted`);
  if (notSubmitted) parts.push(`${plural(notSubmitted, "task")} not submitted`);
  if (tasksErrored) parts.push(`${plural(tasksErrored, "task")} not graded (a socklab fault, not yours)`);
  if (parts.length > 0) return parts.join(", ");
  // A document with nothing graded (a manifest socklab could not read) must not read as a success.
  if (result.status === "errored") {
    if (result.warnings.some((w) => w.includes(TOO_LARGE)))
      return "socklab could not grade the submission: it is too large to copy into a run (make it smaller and hand in again)";
    return stoppedOnSubmission(result)
      ? "socklab could not grade the submission: its socklab.yaml cannot be used (fix it and hand in again)"
      : "socklab could not grade the submission (a socklab fault, not yours)";
  }
  return result.tasks.length === 0 ? "no task was graded" : "every check passed";
}

const TIMEOUT = /timed out|time limit|timeout/i;

/** Every timeout of a task's runs in words (programs killed at a time limit, steps that timed out). */
export function timeoutNotes(task: TaskResult): string[] {
  const notes: string[] = [];
  for (const run of task.runs) {
    for (const p of run.programs) {
      if (TIMEOUT.test(p.description)) notes.push(`run ${run.name}, ${p.name}: ${p.description}`);
    }
    for (const w of run.warnings) if (TIMEOUT.test(w)) notes.push(`run ${run.name}: ${w}`);
  }
  return notes;
}

/** The words for a task's status. */
export function taskStatusText(task: TaskResult): string {
  switch (task.status) {
    case "passed":
      return "passed";
    case "failed":
      return "failed";
    case "not-submitted":
      return "not submitted";
    case "interrupted":
      return "not graded: socklab was interrupted";
    case "errored":
      return "could not be graded (socklab error)";
  }
}

/** A harness fault in words that say whose fault it is, without saying so twice. */
export function faultText(what: string, error: string): string {
  return /^socklab could not/i.test(error) ? error : `socklab could not ${what} (not your fault): ${error}`;
}

/** The status symbols of the terminal view and the Markdown reports. */
export const SYMBOLS = { passed: "✓", failed: "✗", skipped: "–", errored: "!", warning: "⚠" } as const;

/** A Markdown link to a file beside the report (path segments URL-encoded). */
export function fileLink(path: string, text = path): OwnMarkdown {
  const href = path.split("/").map(encodeURIComponent).join("/");
  return new OwnMarkdown(`[${markdownText(text)}](${href})`);
}

/** A piece of advice as one plain line: what was seen, then what to do ("no points at stake"). */
export function adviceText(advice: Advice): string {
  return advice.help ? `${advice.message} — ${advice.help}` : advice.message;
}

/** Every piece of advice of a submission, with its task. */
export function allAdvice(result: SubmissionResult): { task: TaskResult; advice: Advice }[] {
  return result.tasks.flatMap((task) => task.advice.map((advice) => ({ task, advice })));
}
