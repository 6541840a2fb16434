// A class's index.md (`socklab grade`): how the class did (counts, mean and median, a score histogram drawn to
// its own SVG file so that GitHub shows it as an image), one row per submission with its status, the reason
// when it was not graded, and a link to its report, and the checks the class fails most.
import type { SubmissionResult } from "../grade/index.ts";
import { code, table } from "./markdown.ts";
import { fileLink, markdownText, oneLine, scoreText } from "./results-text.ts";
import { xmlAttribute } from "./xml.ts";

/** Why a submission has no ordinary verdict: socklab's fault, a stop, or a submission that could not run. */
export function gradingReason(result: SubmissionResult): string {
  if (result.status === "interrupted") return "socklab was stopped before every task was graded";
  if (result.status === "errored") {
    const task = result.tasks.find((t) => t.status === "errored");
    return oneLine(
      task?.status === "errored" ? task.error : (result.warnings[0] ?? "socklab could not grade it"),
      200,
    );
  }
  if (result.tasks.length === 0 && result.warnings.length > 0) return oneLine(result.warnings[0]!, 200);
  if (result.build !== undefined && result.build.status === "failed")
    return `the build failed: ${oneLine(result.build.description, 120)}`;
  return "";
}

/** The class's index.md; `reportOf` gives each submission's report (relative to the index). */
export function renderClassIndex(
  results: readonly SubmissionResult[],
  options: { readonly reportOf: (result: SubmissionResult) => string; readonly histogram: string | null },
): string {
  const scores = results.map((r) => r.score);
  const sorted = [...scores].sort((a, b) => a - b);
  const median = sorted.length === 0 ? 0 : sorted[Math.floor((sorted.length - 1) / 2)]!;
  const mean = scores.length === 0 ? 0 : scores.reduce((a, b) => a + b, 0) / scores.length;
  const count = (status: SubmissionResult["status"]) => results.filter((r) => r.status === status).length;
  const parts = [
    "# socklab: class gradebook",
    `${results.length} submission(s): ${count("passed")} passed every check of the tasks they handed in, ${count("failed")} failed some, ` +
      `${count("errored")} errored (socklab's fault, not the student's), ${count("interrupted")} not finished. ` +
      `Mean score ${mean.toFixed(1)}, median ${median}.`,
  ];
  if (options.histogram !== null) parts.push(`![scores of the class](${options.histogram})`);
  parts.push(
    "## Submissions",
    table(
      ["submission", "student", "score", "status", "reason", "report"],
      results.map((r) => [
        code(r.submission.name),
        markdownText(r.submission.student ?? ""),
        scoreText(r.score, r.maxScore),
        r.status,
        markdownText(gradingReason(r)),
        fileLink(options.reportOf(r)),
      ]),
    ),
  );
  const failing = mostFailed(results);
  if (failing.length > 0) {
    parts.push(
      "## Checks the class fails most",
      table(
        ["task", "check", "failed by", "of"],
        failing.slice(0, 15).map((f) => [code(f.task), markdownText(f.title), f.failed, f.submitted]),
      ),
    );
  }
  return `${parts.join("\n\n")}\n`;
}

/** Each check failed by at least one submission: how many failed it, of how many that were graded on it. */
export function mostFailed(
  results: readonly SubmissionResult[],
): { task: string; check: string; title: string; failed: number; submitted: number }[] {
  const counts = new Map<
    string,
    { task: string; check: string; title: string; failed: number; submitted: number }
  >();
  for (const result of results) {
    for (const task of result.tasks) {
      if (task.status === "not-submitted") continue;
      for (const check of task.checks) {
        const key = `${task.id}/${check.id}`;
        const entry = counts.get(key) ?? {
          task: task.id,
          check: check.id,
          title: check.title,
          failed: 0,
          submitted: 0,
        };
        entry.submitted++;
        if (check.status === "failed") entry.failed++;
        counts.set(key, entry);
      }
    }
  }
  return [...counts.values()]
    .filter((c) => c.failed > 0)
    .sort((a, b) => b.failed - a.failed || (a.task + a.check < b.task + b.check ? -1 : 1));
}

/** The class's scores as a histogram in ten bins of the maximum score: a self-contained SVG. */
export function scoreHistogramSvg(results: readonly SubmissionResult[]): string {
  const max = Math.max(1, ...results.map((r) => r.maxScore));
  const bins = Array.from({ length: 10 }, () => 0);
  for (const r of results) bins[Math.min(9, Math.floor((r.score / max) * 10))]!++;
  const top = Math.max(1, ...bins);
  const width = 420;
  const height = 200;
  const barWidth = 36;
  const bars = bins.map((n, i) => {
    const h = Math.round((n / top) * 140);
    const x = 30 + i * (barWidth + 2);
    const from = Math.round((i / 10) * max);
    const to = i === 9 ? max : Math.round(((i + 1) / 10) * max) - 1;
    return (
      `<rect x="${x}" y="${160 - h}" width="${barWidth}" height="${h}" fill="#4878a8">` +
      `<title>${xmlAttribute(`${from}–${to}: ${n}`)}</title></rect>` +
      (n > 0
        ? `<text x="${x + barWidth / 2}" y="${155 - h}" font-size="11" text-anchor="middle">${n}</text>`
        : "") +
      `<text x="${x + barWidth / 2}" y="175" font-size="9" text-anchor="middle">${from}</text>`
    );
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<line x1="28" y1="160" x2="${30 + 10 * (barWidth + 2)}" y2="160" stroke="#333"/>`,
    ...bars,
    `<text x="${width / 2}" y="195" font-size="11" text-anchor="middle">score (of ${max}), ${results.length} submission(s)</text>`,
    "</svg>",
    "",
  ].join("\n");
}
