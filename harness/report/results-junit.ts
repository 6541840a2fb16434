// JUnit XML (Ant/Jenkins style, as GitLab and Jenkins read it) from socklab's result document: one
// <testsuite> per task, one <testcase> per check. GitLab ignores the `message` attribute, so the readable
// text goes in the element body; a harness fault is an <error>, never a <failure> blamed on the student.
import type { CheckResult, SubmissionResult, TaskResult } from "../grade/index.ts";
import {
  adviceText,
  checkOutcome,
  evidenceText,
  faultText,
  firstLine,
  oneLine,
  pointsText,
  scoreText,
} from "./results-text.ts";
import { xmlAttribute, xmlText } from "./xml.ts";

function attributes(attrs: Record<string, string | number>): string {
  return Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${xmlAttribute(String(v))}"`)
    .join("");
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function element(name: string, attrs: Record<string, string | number>, body: string): string {
  return `<${name}${attributes(attrs)}>${xmlText(body)}</${name}>`;
}

function failureBody(check: CheckResult & { status: "failed" }): string {
  const f = check.failure;
  const lines = [f.message];
  if (f.expected !== undefined) lines.push(`Expected: ${f.expected}`);
  if (f.actual !== undefined) lines.push(`Seen: ${f.actual}`);
  if (f.evidence.length > 0) lines.push("Where:", ...f.evidence.map((e) => `  - ${evidenceText(e, "text")}`));
  if (f.help !== undefined) lines.push(`How to fix: ${f.help}`);
  lines.push(`Points: ${scoreText(check.points, check.maxPoints)}`);
  return lines.join("\n");
}

function harnessError(what: string, error: string): string {
  return faultText(what, error);
}

const SHORT = 200;

// The element inside a testcase: <failure>, <error>, <skipped> or, for a pass, <system-out> with its message.
function verdict(task: TaskResult, check: CheckResult): string {
  const outcome = checkOutcome(task, check);
  if (outcome === "not-submitted" && task.status === "not-submitted") {
    return element("skipped", { message: "not submitted" }, `not submitted: ${task.reason}`);
  }
  if (outcome === "interrupted" && task.status === "interrupted") {
    return element("skipped", { message: "interrupted" }, `not graded: ${task.reason}`);
  }
  if (outcome === "task-errored" && task.status === "errored") {
    return element(
      "error",
      { message: oneLine(firstLine(task.error), SHORT), type: "socklab.harness" },
      harnessError("grade this task", task.error),
    );
  }
  switch (check.status) {
    case "passed":
      return element("system-out", {}, [check.message, ...check.notes].join("\n"));
    case "failed":
      return element(
        "failure",
        { message: oneLine(check.failure.message, SHORT), type: "socklab.check" },
        failureBody(check),
      );
    case "skipped":
      return element("skipped", { message: oneLine(check.reason, SHORT) }, `Not run: ${check.reason}`);
    case "errored":
      return element(
        "error",
        {
          message: oneLine(`socklab could not run this check: ${firstLine(check.error)}`, SHORT),
          type: "socklab.harness",
        },
        harnessError("run this check", check.error),
      );
  }
}

function notesOut(check: CheckResult): string {
  return check.status === "passed" || check.notes.length === 0
    ? ""
    : element("system-out", {}, check.notes.join("\n"));
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function testsuite(task: TaskResult, startedAt: string, counts: Counts): string {
  const classname = `socklab.${task.id}`;
  const cases: string[] = [];
  const mine: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  if (task.status === "errored" && task.checks.length === 0) {
    mine.tests++;
    mine.errors++;
    const error = element(
      "error",
      { message: oneLine(firstLine(task.error), SHORT), type: "socklab.harness" },
      harnessError("grade this task", task.error),
    );
    cases.push(
      `    <testcase${attributes({ classname, name: "task: socklab could not grade this task", time: seconds(task.durationMs) })}>\n      ${error}\n    </testcase>`,
    );
  }
  for (const check of task.checks) {
    mine.tests++;
    const outcome = checkOutcome(task, check);
    if (outcome === "failed") mine.failures++;
    else if (outcome === "errored" || outcome === "task-errored") mine.errors++;
    else if (outcome === "skipped" || outcome === "not-submitted" || outcome === "interrupted")
      mine.skipped++;
    const body = [verdict(task, check), notesOut(check)].filter((s) => s !== "");
    const attrs = { classname, name: `${check.id}: ${check.title}`, time: seconds(check.durationMs) };
    cases.push(
      `    <testcase${attributes(attrs)}>\n${body.map((b) => `      ${b}`).join("\n")}\n    </testcase>`,
    );
  }
  counts.tests += mine.tests;
  counts.failures += mine.failures;
  counts.errors += mine.errors;
  counts.skipped += mine.skipped;
  const properties = [
    ["section", task.section],
    ["status", task.status],
    ["score", pointsText(task.score)],
    ["max-score", pointsText(task.maxScore)],
  ]
    .map(([name, value]) => `      <property${attributes({ name: name!, value: value! })}/>`)
    .join("\n");
  const attrs = { name: task.id, ...mine, time: seconds(task.durationMs), timestamp: startedAt };
  const advice =
    task.advice.length === 0
      ? ""
      : `\n    ${element("system-out", {}, ["Advice (no points at stake):", ...task.advice.map((a) => `- ${adviceText(a)}`)].join("\n"))}`;
  return `  <testsuite${attributes(attrs)}>\n    <properties>\n${properties}\n    </properties>\n${cases.join("\n")}${advice}\n  </testsuite>`;
}

/** JUnit XML for a submission (for GitLab's `artifacts:reports:junit`, Jenkins, action-junit-report). */
export function toJUnit(result: SubmissionResult): string {
  const counts: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const suites = result.tasks.map((task) => testsuite(task, result.startedAt, counts));
  const attrs = { name: `socklab ${result.submission.name}`, ...counts, time: seconds(result.durationMs) };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<!-- socklab ${xmlText(result.socklab).replace(/--/g, "- -")}, seed ${result.seed}, score ${scoreText(result.score, result.maxScore)} -->`,
    `<testsuites${attributes(attrs)}>`,
    ...suites,
    "</testsuites>",
    "",
  ].join("\n");
}
