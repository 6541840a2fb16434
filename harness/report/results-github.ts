// GitHub Actions output for a result: one `::error` workflow command per failed check, pointing into the
// student's code where the failure quotes a traceback line (`File "/work/server.py", line 12`), and the
// Markdown for the job's step summary.
import type { CheckResult, SubmissionResult, TaskResult } from "../grade/index.ts";
import { oneLine } from "./results-text.ts";

/** A workflow command's data, escaped as GitHub reads it (% \r \n), and its properties (also , :). */
function escapeData(text: string): string {
  return text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}
function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(":", "%3A").replaceAll(",", "%2C");
}

/** The last frame of the student's own code in a traceback (`File "/work/server.py", line 12`). */
export function lastStudentFrame(text: string): { file: string; line: number } | null {
  let found: { file: string; line: number } | null = null;
  for (const m of text.matchAll(/File "([^"]+)", line (\d+)/g)) {
    // Inside a run the submission is /work (a copy) or /sub; Python's own files are elsewhere.
    const inRun = /^\/(?:work|sub)\/(.+)$/.exec(m[1]!);
    const file = inRun ? inRun[1]! : m[1]!.startsWith("/") ? null : m[1]!;
    if (file !== null) found = { file, line: Number(m[2]) };
  }
  return found;
}

/** The student's file and line a failure points at: the last frame of the student's code in the traceback of
 * a program its evidence quotes (that program's stderr), else in the failure's own text. */
export function failureLocation(task: TaskResult, check: CheckResult): { file: string; line: number } | null {
  if (check.status !== "failed") return null;
  for (const ref of check.failure.evidence) {
    if (ref.kind !== "output") continue;
    const program = task.runs
      .find((r) => r.name === ref.run)
      ?.programs.find((p) => p.name === ref.program && p.source === "student");
    const frame = program
      ? lastStudentFrame(ref.stream === "stderr" ? program.stderr : program.stdout)
      : null;
    if (frame) return frame;
  }
  return lastStudentFrame([check.failure.actual ?? "", check.failure.message].join("\n"));
}

/** One `::error` line per failed check (GitHub shows each as an annotation on the run and the file). */
export function githubAnnotations(
  result: SubmissionResult,
  cwdOf: (task: string) => string = () => "",
): string[] {
  const lines: string[] = [];
  for (const task of result.tasks) {
    for (const check of task.checks) {
      if (check.status !== "failed" && check.status !== "errored") continue;
      const title = escapeProperty(`${task.id}/${check.id}: ${check.title}`);
      if (check.status === "errored") {
        lines.push(`::warning title=${title}::${escapeData(`not your fault: ${oneLine(check.error, 300)}`)}`);
        continue;
      }
      const where = failureLocation(task, check);
      const cwd = cwdOf(task.id);
      const file = where ? (cwd === "" ? where.file : `${cwd}/${where.file}`) : null;
      const at = where && file ? `file=${escapeProperty(file)},line=${where.line},` : "";
      const fix = check.failure.help ? ` Fix: ${check.failure.help}` : "";
      lines.push(`::error ${at}title=${title}::${escapeData(oneLine(check.failure.message, 300) + fix)}`);
    }
  }
  for (const task of result.tasks) {
    if (task.status === "errored")
      lines.push(`::warning title=${escapeProperty(task.id)}::${escapeData(oneLine(task.error, 300))}`);
  }
  return lines;
}
