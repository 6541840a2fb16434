// A Python program with the code it reaches: its own module-level code and main block, the module-level
// code of the submission's own modules it imports, and every function or class of those files that the
// code reached so far names (a call, a thread target, a class to instantiate) — so that facts found in a
// shared module (sensor_common.py's argparse and struct formats) count for the programs that use them.
import { posix } from "node:path";
import type { LogicalLine, Token } from "./python-lexer.ts";
import type { PythonModule } from "./python-module.ts";

export interface PythonProgram {
  readonly module: PythonModule;
  /** The submission's modules it imports, directly or through another one. */
  readonly imported: readonly PythonModule[];
  /** Every line it reaches, its own first. */
  readonly lines: readonly LogicalLine[];
  /** The value of a module- or class-level constant visible to it (its own first), or null. */
  constant(name: string): readonly Token[] | null;
}

/** The submission's module an import names, seen from the file at `from`, or null (a library module). */
export function resolveImport(
  module: string,
  from: string,
  modules: ReadonlyMap<string, PythonModule>,
): PythonModule | null {
  const dir = posix.dirname(from);
  const dots = /^\.+/.exec(module)?.[0].length ?? 0;
  const parts = module.slice(dots).split(".").filter(Boolean);
  const bases =
    dots > 0 ? [posix.join(dir, ...Array(dots - 1).fill(".."))] : [dir, ...(dir === "." ? [] : ["."])];
  for (const base of bases) {
    const path = posix.normalize(posix.join(base, ...parts));
    const found = modules.get(`${path}.py`) ?? modules.get(`${path}/__init__.py`);
    if (found) return found;
  }
  return null;
}

function localImports(module: PythonModule, modules: ReadonlyMap<string, PythonModule>): PythonModule[] {
  const out: PythonModule[] = [];
  for (const imp of module.imports) {
    const found = resolveImport(imp.module, module.path, modules);
    if (found && found !== module) out.push(found);
    if (Array.isArray(imp.names)) {
      // `from pkg import mod`: mod may be a file of the package
      for (const { name } of imp.names) {
        const sub = resolveImport(`${imp.module}.${name}`, module.path, modules);
        if (sub && sub !== module) out.push(sub);
      }
    }
  }
  return out;
}

/** The program that `module` is when run, with everything it reaches among `modules`. */
export function pythonProgram(
  module: PythonModule,
  modules: ReadonlyMap<string, PythonModule>,
): PythonProgram {
  const imported: PythonModule[] = [];
  const queue = localImports(module, modules);
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (next === module || imported.includes(next)) continue;
    imported.push(next);
    queue.push(...localImports(next, modules));
  }
  const scope = [module, ...imported];
  const aliases = new Map<string, string>();
  for (const m of scope)
    for (const imp of m.imports)
      if (Array.isArray(imp.names))
        for (const { name, as } of imp.names) if (name !== as) aliases.set(as, name);
  const lines: LogicalLine[] = [...module.body, ...module.mainGuard, ...imported.flatMap((m) => m.body)];
  const reached = new Set<string>();
  for (let k = 0; k < lines.length; k++) {
    for (const token of lines[k]!.tokens) {
      if (token.kind !== "name") continue;
      const name = aliases.get(token.text) ?? token.text;
      for (const m of scope) {
        const key = `${m.path}:${name}`;
        const def = m.defs.get(name);
        if (!def || reached.has(key)) continue;
        reached.add(key);
        lines.push(...def);
        break;
      }
    }
  }
  return {
    module,
    imported,
    lines,
    constant(name) {
      const real = aliases.get(name) ?? name;
      for (const m of scope) {
        const found = m.constants.get(real);
        if (found) return found;
      }
      return null;
    },
  };
}
