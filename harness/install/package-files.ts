// Where socklab's own files are (its reference programs, probes, the holder script, package.json): under the
// package root, the folder of socklab's package.json, found from this module's place — whether it runs from
// the TypeScript sources (harness/install/) or from the one-file build (dist/socklab.mjs).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function isSocklabRoot(dir: string): boolean {
  const file = join(dir, "package.json");
  if (!existsSync(file)) return false;
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as { name?: unknown }).name === "socklab";
  } catch {
    return false;
  }
}

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (isSocklabRoot(dir)) return dir;
    if (dirname(dir) === dir) throw new Error(`socklab's package.json is not above ${from}`);
  }
}

/** The package root: the folder holding socklab's package.json. */
export const PACKAGE_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A file or folder of socklab's own, by its path from the package root. */
export function packageFile(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}

/** socklab's version, from its package.json. */
export const VERSION = (() => {
  const parsed = JSON.parse(readFileSync(packageFile("package.json"), "utf8")) as { version?: unknown };
  return typeof parsed.version === "string" ? parsed.version : "0.0.0";
})();
