// Inside a GitHub Actions job (GITHUB_ACTIONS=true): `socklab check` also annotates the student's code where a
// failure points into it (a traceback line), and writes the report's index to the job's step summary.
import { appendFile, readFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { TASKS } from "../../tasks/index.ts";
import { loadManifest, type SubmissionResult } from "../grade/index.ts";
import { githubAnnotations } from "../report/index.ts";
import type { Output } from "./output.ts";

/** Annotations on stdout, the report's index in $GITHUB_STEP_SUMMARY (when set). */
export async function githubOutput(
  dir: string,
  result: SubmissionResult,
  outDir: string,
  output: Output,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const workspace = resolve(env.GITHUB_WORKSPACE ?? process.cwd());
  // Each task's programs may sit in a folder of their own (`cwd:`): paths are from the repository's root.
  const manifest = await loadManifest(dir, TASKS).catch(() => null);
  const cwdOf = (task: string) =>
    relative(workspace, join(resolve(dir), manifest?.tasks.get(task)?.cwd ?? "")) || "";
  for (const line of githubAnnotations(result, cwdOf)) output.out(line);
  const summary = env.GITHUB_STEP_SUMMARY;
  if (summary) {
    const index = await readFile(join(outDir, "index.md"), "utf8").catch(() => null);
    if (index !== null) await appendFile(summary, `${index}\n`);
  }
}
