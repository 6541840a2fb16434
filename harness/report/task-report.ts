// The head of a task's Markdown report: title, status and score, a verdict per check, what each failure
// expected and saw and where (packets, output lines) with how to fix it, skipped and errored checks, notes,
// the runs; then the task's own sections (traffic analysis and the like, rendered elsewhere) in order.
import { posix } from "node:path";
import type { CheckResult, RunSummary, TaskResult } from "../grade/index.ts";
import { code, fenced, table } from "./markdown.ts";
import {
  adviceText,
  checkNumber,
  checkOutcome,
  evidenceText,
  fileLink,
  markdownText,
  SYMBOLS,
  scoreText,
  taskStatusText,
} from "./results-text.ts";

function statusCell(task: TaskResult, check: CheckResult): string {
  switch (checkOutcome(task, check)) {
    case "passed":
      return `${SYMBOLS.passed} passed`;
    case "failed":
      return `${SYMBOLS.failed} failed`;
    case "skipped":
      return `${SYMBOLS.skipped} skipped`;
    case "not-submitted":
      return `${SYMBOLS.skipped} not submitted`;
    case "interrupted":
      return `${SYMBOLS.skipped} not graded (interrupted)`;
    case "errored":
    case "task-errored":
      return `${SYMBOLS.errored} socklab error (not the student's fault)`;
  }
}

// A labelled value: inline when it is one line, a fenced block when it spans several.
function labelled(label: string, text: string): string {
  return text.includes("\n")
    ? `**${label}:**\n\n${fenced(text, "text")}`
    : `**${label}:** ${markdownText(text)}`;
}

function failureSection(task: TaskResult, check: CheckResult & { status: "failed" }, index: number): string {
  const f = check.failure;
  const parts = [
    `### ${SYMBOLS.failed} ${checkNumber(task, index)} ${markdownText(check.title)} (${scoreText(check.points, check.maxPoints)})`,
    markdownText(f.message),
  ];
  if (f.expected !== undefined) parts.push(labelled("Expected", f.expected));
  if (f.actual !== undefined) parts.push(labelled("Seen", f.actual));
  if (f.evidence.length > 0) {
    parts.push(`**Where:**\n\n${f.evidence.map((e) => `- ${evidenceText(e, "markdown")}`).join("\n")}`);
  }
  if (f.help !== undefined) parts.push(labelled("How to fix", f.help));
  return parts.join("\n\n");
}

function erroredSection(task: TaskResult, check: CheckResult & { status: "errored" }, index: number): string {
  return [
    `### ${SYMBOLS.errored} ${checkNumber(task, index)} ${markdownText(check.title)}`,
    "socklab could not run this check. That is a fault of the grader, not of the submission; the check " +
      "scores 0 until it is graded again.",
    fenced(check.error, "text"),
  ].join("\n\n");
}

/** A link from the report to a run's capture, or null when the capture cannot be placed beside it. */
export function captureLink(task: TaskResult, run: RunSummary): string | null {
  if (run.capture === null) return null;
  let inResults = run.capture.replace(/\\/g, "/");
  if (posix.isAbsolute(inResults)) {
    // Captures are kept at <results>/<task>/<run>/capture.pcap; an absolute path is placed by that layout.
    const marker = `/${task.id}/${run.name}/`;
    const at = inResults.lastIndexOf(marker);
    if (at < 0) return null;
    inResults = inResults.slice(at + 1);
  }
  const from = posix.dirname(task.report ?? "index.md");
  return posix.relative(from, inResults) || inResults;
}

function runsSection(task: TaskResult): string[] {
  if (task.runs.length === 0) return [];
  const runs = table(
    ["run", "what ran", "sandbox", "packets", "wall ms", "capture"],
    task.runs.map((run) => {
      const link = captureLink(task, run);
      return [
        code(run.name),
        run.title,
        run.mode === "namespace" ? "own network namespace" : "host loopback",
        run.packets,
        run.wallMs,
        link ? fileLink(link, posix.basename(link)) : run.capture ? code(run.capture) : "none",
      ];
    }),
  );
  const programs = table(
    ["run", "program", "whose", "command", "how it ended", "wall ms", "CPU ms"],
    task.runs.flatMap((run) =>
      run.programs.map((p) => [
        code(run.name),
        p.name,
        p.source,
        code(p.command),
        p.description,
        p.wallMs,
        p.cpuMs ?? "–",
      ]),
    ),
  );
  const warnings = task.runs.flatMap((run) =>
    run.warnings.map((w) => `- ${SYMBOLS.warning} run ${code(run.name)}: ${markdownText(w)}`),
  );
  return ["## Runs", runs, programs, ...(warnings.length > 0 ? [warnings.join("\n")] : [])];
}

/** A task's Markdown report: its head rendered here, then `sections` (rendered elsewhere) in order. */
export function renderTaskReport(task: TaskResult, sections: readonly string[]): string {
  const parts: string[] = [`# ${task.section} ${markdownText(task.title)} (${code(task.id)})`];
  const took =
    task.status === "not-submitted" || task.status === "interrupted"
      ? ""
      : ` · graded in ${(task.durationMs / 1000).toFixed(1)} s`;
  parts.push(
    `**Status:** ${taskStatusText(task)} · **Score:** ${scoreText(task.score, task.maxScore)}${took}`,
  );
  if (task.status === "not-submitted") {
    parts.push(`> Not submitted: ${markdownText(task.reason)}. Its checks score 0.`);
  } else if (task.status === "interrupted") {
    parts.push(`> Not graded: ${markdownText(task.reason)}. Grade the submission again for its verdicts.`);
  } else if (task.status === "errored") {
    parts.push(
      "> socklab could not grade this task. That is a fault of the grader or the machine it ran on, not of the " +
        "submission: it scores 0 until it is graded again.",
      fenced(task.error, "text"),
    );
  }
  if (task.checks.length > 0) {
    parts.push(
      "## Verdicts",
      table(
        ["#", "check", "status", "points"],
        task.checks.map((c, i) => [
          checkNumber(task, i),
          `${c.title} (${code(c.id)})`,
          statusCell(task, c),
          scoreText(c.points, c.maxPoints),
        ]),
      ),
    );
  }
  const graded = task.status === "passed" || task.status === "failed";
  const failed = task.checks.flatMap((c, i) =>
    graded && c.status === "failed" ? [failureSection(task, c, i)] : [],
  );
  if (failed.length > 0) parts.push("## What failed", ...failed);
  const errored = task.checks.flatMap((c, i) => (c.status === "errored" ? [erroredSection(task, c, i)] : []));
  if (errored.length > 0) parts.push("## Checks socklab could not run", ...errored);
  const skipped = task.checks.flatMap((c) =>
    graded && c.status === "skipped"
      ? [`- ${markdownText(c.title)}: not run, ${markdownText(c.reason)}`]
      : [],
  );
  if (skipped.length > 0) parts.push("## Skipped", skipped.join("\n"));
  const notes = task.checks.flatMap((c) =>
    c.notes.map((n) => `- ${markdownText(c.title)}: ${markdownText(n)}`),
  );
  if (notes.length > 0) parts.push("## Notes", notes.join("\n"));
  if (task.advice.length > 0) {
    parts.push(
      "## Advice",
      "Good practice the handout does not ask for. No points depend on it.",
      task.advice
        .map((a) => {
          const where = a.evidence.map((e) => `  - ${evidenceText(e, "markdown")}`);
          return [`- ${markdownText(adviceText(a))}`, ...where].join("\n");
        })
        .join("\n"),
    );
  }
  parts.push(...runsSection(task));
  parts.push(...sections.map((s) => s.trim()).filter((s) => s !== ""));
  return `${parts.join("\n\n")}\n`;
}
