// A class gradebook as CSV (RFC 4180): one row per submission with its total, then each task's score and
// each check's points. Columns are the union over all submissions in first-seen order, so every row lines
// up; a task or check a submission was not graded on leaves its cell empty.
import type { SubmissionResult } from "../grade/index.ts";
import { gradingReason } from "./class-index.ts";
import { pointsText } from "./results-text.ts";

/** One column of the gradebook: its header and how a submission fills it. */
export interface CsvColumn {
  readonly header: string;
  readonly value: (result: SubmissionResult) => string | number | null;
}

// Spreadsheets run a cell starting with = + - @ (or a tab/return before one) as a formula; a student's name
// is theirs to choose, so such text cells get a leading apostrophe (OWASP's advice for CSV injection).
function defuse(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One RFC 4180 field: quoted when it holds a comma, a quote or a line break; numbers as plain decimals. */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  const text = typeof value === "number" ? pointsText(value) : defuse(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The gradebook's columns for these submissions (the union of their tasks and checks, first seen first). */
export function csvColumns(results: readonly SubmissionResult[]): CsvColumn[] {
  const tasks: string[] = [];
  const checks = new Map<string, string[]>();
  for (const result of results) {
    for (const task of result.tasks) {
      if (!checks.has(task.id)) {
        tasks.push(task.id);
        checks.set(task.id, []);
      }
      const ids = checks.get(task.id)!;
      for (const check of task.checks) if (!ids.includes(check.id)) ids.push(check.id);
    }
  }
  const taskOf = (r: SubmissionResult, id: string) => r.tasks.find((t) => t.id === id);
  return [
    { header: "submission", value: (r) => r.submission.name },
    { header: "student", value: (r) => r.submission.student ?? "" },
    { header: "score", value: (r) => r.score },
    { header: "max", value: (r) => r.maxScore },
    { header: "status", value: (r) => r.status },
    // Why a row has no ordinary verdict (errored, interrupted, a manifest or build that failed).
    { header: "reason", value: (r) => gradingReason(r) },
    ...tasks.map((id) => ({
      header: `${id} score`,
      value: (r: SubmissionResult) => taskOf(r, id)?.score ?? null,
    })),
    ...tasks.flatMap((id) =>
      checks.get(id)!.map((check) => ({
        header: `${id}/${check}`,
        value: (r: SubmissionResult) => taskOf(r, id)?.checks.find((c) => c.id === check)?.points ?? null,
      })),
    ),
  ];
}

/** The header record (with its CRLF) of the gradebook for these submissions. */
export function csvHeader(results: readonly SubmissionResult[]): string {
  return `${csvColumns(results)
    .map((c) => csvField(c.header))
    .join(",")}\r\n`;
}

/** The whole gradebook: the header record, then one record per submission, each ending in CRLF. */
export function toCsvRows(results: readonly SubmissionResult[]): string {
  const columns = csvColumns(results);
  const rows = results.map((r) => `${columns.map((c) => csvField(c.value(r))).join(",")}\r\n`);
  return csvHeader(results) + rows.join("");
}
