// What a stored grading was made from: the submission's files (paths and bytes), socklab's version, the seed
// and the tasks graded. `socklab grade` keeps it beside each result; a submission whose fingerprint has not
// changed is not graded again.
import { createHash } from "node:crypto";
import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import { join, relative } from "node:path";
import { REPORT_FOLDERS } from "../sandbox/index.ts";
import { MAX_SUBMISSION_BYTES, MAX_SUBMISSION_FILES } from "./submission-limits.ts";

/** The fingerprint of grading `dir` with this socklab, seed and task set (hex SHA-256). */
export async function gradingFingerprint(
  dir: string,
  context: { readonly version: string; readonly seed: number; readonly tasks: readonly string[] },
): Promise<string> {
  const hash = createHash("sha256");
  hash.update(
    JSON.stringify({ version: context.version, seed: context.seed, tasks: [...context.tasks].sort() }),
  );
  let files = 0;
  let bytes = 0;
  const walk = async (path: string): Promise<void> => {
    const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const full = join(path, entry.name);
      const name = relative(dir, full);
      if (path === dir && (REPORT_FOLDERS as readonly string[]).includes(entry.name)) continue;
      // A folder too large to grade is refused by the grading itself; its fingerprint stops counting here.
      if (++files > MAX_SUBMISSION_FILES || bytes > MAX_SUBMISSION_BYTES) return;
      if (entry.isDirectory()) {
        hash.update(`d ${name}\n`);
        await walk(full);
      } else if (entry.isSymbolicLink()) {
        hash.update(`l ${name} ${await readlink(full)}\n`);
      } else if (entry.isFile()) {
        const content = await readFile(full);
        bytes += content.length;
        hash.update(`f ${name} ${content.length}\n`);
        hash.update(content);
        hash.update(`\n${(await lstat(full)).mode & 0o111 ? "x" : "-"}\n`);
      }
    }
  };
  await walk(dir);
  return hash.digest("hex");
}
