// How much of a submission socklab copies into every run: a folder beyond these limits is refused before
// anything runs, with one line naming the limit (a class's odd submission must not fill the disk run by run).
import { lstat, readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { SocklabError } from "../fault/index.ts";
import { REPORT_FOLDERS } from "../sandbox/index.ts";

/** At most this many files and folders are copied into a run. */
export const MAX_SUBMISSION_FILES = 5000;
/** At most this many bytes are copied into a run. */
export const MAX_SUBMISSION_BYTES = 50 * 1024 * 1024;

/** A submission folder that is too large to grade: the student's to fix (exit 2, one line). */
export class SubmissionTooLargeError extends SocklabError<"submission-too-large"> {
  override readonly name = "SubmissionTooLargeError";

  constructor(message: string) {
    super("grade", "submission", "submission-too-large", message);
  }
}

/** Walks the submission (symbolic links are not followed) and throws as soon as a limit is passed. */
export async function checkSubmissionSize(
  dir: string,
  limits = { files: MAX_SUBMISSION_FILES, bytes: MAX_SUBMISSION_BYTES },
): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  let largest = { path: "", size: -1 };
  const walk = async (path: string): Promise<void> => {
    for (const entry of await readdir(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      // socklab's own reports written inside the submission are not copied into runs.
      if (path === dir && (REPORT_FOLDERS as readonly string[]).includes(entry.name)) continue;
      files++;
      if (files > limits.files) {
        throw new SubmissionTooLargeError(
          `${dir}: the submission holds more than ${limits.files.toLocaleString("en")} files and folders; socklab copies at most that many into a run (remove build outputs, virtual environments, captures)`,
        );
      }
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) {
        // The apparent size: a sparse file would be copied whole into every run.
        const size = (await lstat(full)).size;
        bytes += size;
        if (size > largest.size) largest = { path: relative(dir, full), size };
        if (bytes > limits.bytes) {
          throw new SubmissionTooLargeError(
            `${dir}: the submission holds more than ${limits.bytes / 1024 / 1024} MiB (the largest file: ${largest.path}, ${(largest.size / 1024 / 1024).toFixed(1)} MiB); socklab copies at most that much into a run (remove large files such as captures or virtual environments)`,
          );
        }
      }
    }
  };
  await walk(dir);
  return { files, bytes };
}
