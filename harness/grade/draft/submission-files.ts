// The source files `socklab init` reads from a submission folder: Python and C/C++ files down to three
// folders deep, leaving out hidden folders, virtual environments, __pycache__ and node_modules, and the
// folders that hold a Makefile.
import { readdir, readFile, stat } from "node:fs/promises";
import { join, posix } from "node:path";
import { C_EXTENSIONS } from "./c-source.ts";

/** A source file: its path inside the submission (forward slashes) and its text. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

export interface SubmissionSources {
  readonly sources: readonly SourceFile[];
  /** Folders (inside the submission, `.` for its root) with a Makefile. */
  readonly makefiles: readonly string[];
}

const MAX_DEPTH = 3;
const MAX_FILE_BYTES = 512 * 1024;
const SKIPPED = new Set(["__pycache__", "node_modules", "venv", "env", "site-packages", "build", "dist"]);
const MAKEFILES = new Set(["Makefile", "makefile", "GNUmakefile"]);

/** Reads the submission's Python and C/C++ sources. Throws when the folder cannot be read. */
export async function readSubmissionSources(dir: string): Promise<SubmissionSources> {
  const sources: SourceFile[] = [];
  const makefiles: string[] = [];
  const walk = async (relative: string, depth: number): Promise<void> => {
    const entries = await readdir(join(dir, relative), { withFileTypes: true });
    if (depth > 0 && entries.some((e) => e.name === "pyvenv.cfg")) return;
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith(".")) continue;
      const path = relative === "." ? entry.name : posix.join(relative, entry.name);
      if (entry.isDirectory()) {
        if (depth < MAX_DEPTH && !SKIPPED.has(entry.name)) await walk(path, depth + 1);
        continue;
      }
      if (!entry.isFile()) continue;
      if (MAKEFILES.has(entry.name)) makefiles.push(relative);
      if (!entry.name.endsWith(".py") && !C_EXTENSIONS.test(entry.name)) continue;
      const info = await stat(join(dir, path));
      if (info.size > MAX_FILE_BYTES) continue;
      sources.push({ path, text: await readFile(join(dir, path), "utf8") });
    }
  };
  await walk(".", 0);
  return { sources, makefiles };
}
