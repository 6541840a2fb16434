// A task that could not run because the submission's `build:` did not build its programs: failed with the
// compiler's own words when the command failed (the submission's fault), errored when socklab could not run
// the build at all (not the student's).
import type { BuildSummary } from "../session/index.ts";
import { maxScore, notSubmitted } from "./grade-task.ts";
import type { CheckResult, TaskResult } from "./result.ts";
import type { Task } from "./task.ts";

/** The compiler's first error line (`server.c:12:5: error: …`), else the last line it printed. */
export function firstError(output: string): string | null {
  const lines = output.split("\n").filter((line) => line.trim() !== "");
  return (
    lines.find((line) => /\berror\b|Error \d|No such file|not found/i.test(line)) ?? lines.at(-1) ?? null
  );
}

/** The task's result when the build did not pass. */
export function buildTaskResult(def: Task, build: BuildSummary): TaskResult {
  const base = notSubmitted(def);
  if (build.status === "errored") {
    return {
      ...base,
      status: "errored",
      error: `socklab could not build the programs (not the student's fault): ${build.description}`,
      checks: [],
    };
  }
  const first = firstError(build.output);
  const checks: CheckResult[] = def.checks.map((check, i) =>
    i === 0
      ? {
          id: check.id,
          title: check.title,
          maxPoints: check.points,
          visibility: check.visibility ?? "visible",
          status: "failed",
          points: 0,
          notes: [],
          durationMs: 0,
          failure: {
            message: `the build failed: \`${build.command}\` ${build.description}${first ? `: ${first}` : ""}`,
            expected: `\`${build.command}\` builds the programs (exit code 0)`,
            actual: first ?? build.description,
            evidence: [{ kind: "note", text: "the build's output is in the report, under Build" }],
            help: "Fix what the compiler reports, then run the same command in your folder until it exits without error.",
          },
        }
      : {
          id: check.id,
          title: check.title,
          maxPoints: check.points,
          visibility: check.visibility ?? "visible",
          status: "skipped",
          points: 0,
          reason: "the build failed, so no program could run",
          dependsOn: "build",
          notes: [],
          durationMs: 0,
        },
  );
  return { ...base, status: "failed", score: 0, maxScore: maxScore(def), checks };
}
