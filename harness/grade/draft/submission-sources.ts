// A submission's sources read into programs: every Python file that is run (not only imported by the
// others) and every C/C++ file with a main and a socket, each with what its code does.
import { C_EXTENSIONS, cFacts, isCSocketProgram } from "./c-source.ts";
import type { ProgramFacts } from "./program-facts.ts";
import { type PythonModule, readPythonModule } from "./python-module.ts";
import { pythonProgram, resolveImport } from "./python-program.ts";
import { pythonFacts } from "./python-source.ts";
import type { SourceFile } from "./submission-files.ts";

export interface SubmissionPrograms {
  readonly programs: readonly ProgramFacts[];
  /** Python files the programs import and that are not run by themselves (a shared protocol module). */
  readonly modules: readonly string[];
  /** C/C++ files that are not socket programs. */
  readonly skipped: readonly string[];
}

/** Reads every program of a submission. */
export function readPrograms(sources: readonly SourceFile[]): SubmissionPrograms {
  const modules = new Map<string, PythonModule>();
  for (const source of sources)
    if (source.path.endsWith(".py")) modules.set(source.path, readPythonModule(source.path, source.text));
  const imported = new Set<string>();
  for (const m of modules.values())
    for (const imp of m.imports) {
      const found = resolveImport(imp.module, m.path, modules);
      if (found && found !== m) imported.add(found.path);
    }
  const programs: ProgramFacts[] = [];
  const libraries: string[] = [];
  const skipped: string[] = [];
  for (const m of modules.values()) {
    if (m.path.endsWith("__init__.py") || (imported.has(m.path) && m.mainGuard.length === 0))
      libraries.push(m.path);
    else programs.push(pythonFacts(pythonProgram(m, modules)));
  }
  for (const source of sources) {
    if (!C_EXTENSIONS.test(source.path)) continue;
    if (isCSocketProgram(source.text)) programs.push(cFacts(source.path, source.text));
    else skipped.push(source.path);
  }
  return { programs, modules: libraries, skipped };
}
