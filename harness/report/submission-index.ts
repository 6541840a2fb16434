// A submission's index.md: who and what was graded, the score, a table of tasks linking to their reports,
// warnings and timeouts, and how to repeat the grading with the same seed.
import type { SubmissionResult, TaskResult } from "../grade/index.ts";
import { code, fenced, table } from "./markdown.ts";
import {
  faultText,
  fileLink,
  markdownText,
  oneLine,
  scoreText,
  summaryText,
  taskStatusText,
  timeoutNotes,
} from "./results-text.ts";

// A POSIX shell word: bare when it is only safe characters, otherwise single-quoted.
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

function statusCell(task: TaskResult): string {
  switch (task.status) {
    case "not-submitted":
      return `not submitted (${task.reason})`;
    case "interrupted":
      return `not graded (${task.reason})`;
    case "errored":
      return oneLine(faultText("grade this task", task.error), 200);
    default:
      return taskStatusText(task);
  }
}

/** The Markdown index of a submission's reports (`index.md` in the results folder). */
export function renderSubmissionIndex(result: SubmissionResult, extra: readonly string[] = []): string {
  const { name, student, path } = result.submission;
  const parts: string[] = [
    `# socklab report: ${markdownText(name)}${student ? ` (${markdownText(student)})` : ""}`,
  ];
  parts.push(
    `**Score ${scoreText(result.score, result.maxScore)}**: ${summaryText(result)}.\n\n` +
      `Graded ${result.startedAt} in ${(result.durationMs / 1000).toFixed(1)} s by socklab ${markdownText(result.socklab)}; ` +
      `submission folder ${code(path)}.`,
  );
  if (result.status === "errored") {
    parts.push(
      "> **socklab could not grade every task.** That is a fault of the grader or the machine it ran on, not of " +
        "the submission: those tasks score 0 until they are graded again.",
    );
  }
  parts.push(
    "## Tasks",
    table(
      ["section", "task", "title", "status", "score", "report"],
      result.tasks.map((t) => [
        t.section,
        code(t.id),
        t.title,
        statusCell(t),
        scoreText(t.score, t.maxScore),
        t.report ? fileLink(t.report) : "–",
      ]),
    ),
  );
  if (result.build !== undefined) {
    const b = result.build;
    const how =
      b.status === "passed"
        ? "built the programs"
        : b.status === "failed"
          ? "failed"
          : "could not be run by socklab (not the student's fault)";
    parts.push(
      "## Build",
      `${code(b.command)} ${how}: ${markdownText(b.description)}, in ${(b.durationMs / 1000).toFixed(1)} s.`,
      ...(b.output.trim() === "" ? [] : [fenced(b.output, "text")]),
    );
  }
  parts.push(...extra);
  const warnings = [
    ...result.tasks.flatMap((t) => timeoutNotes(t).map((n) => `${t.id}: ${n}`)),
    ...result.warnings,
  ];
  if (warnings.length > 0) {
    parts.push("## Warnings", warnings.map((w) => `- ⚠ ${markdownText(w)}`).join("\n"));
  }
  const command = [
    "socklab",
    "check",
    shellWord(path),
    "--seed",
    String(result.seed),
    "--task",
    shellWord(result.tasks.map((t) => t.id).join(",")),
  ].join(" ");
  parts.push(
    "## Reproduce",
    `Seed ${code(String(result.seed))}: every random choice socklab made comes from it, so grading again with ` +
      "the same seed repeats them:",
    fenced(command, "sh"),
    `The whole result is in ${fileLink("socklab.json")} (see docs/results-json.md); Gradescope's in ` +
      `${fileLink("results.json")} and JUnit XML in ${fileLink("junit.xml")}.`,
  );
  return `${parts.join("\n\n")}\n`;
}
