// The pipeline runs one way: sandbox → run → capture → decode → analyse → protocol → impair → session → grade →
// report → tasks → cli. A stage imports only from stages before it (and `fault`, which every stage shares), never from
// a later one: this test reads every production file's imports and names any that runs back up.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");

/**
 * Each stage folder and its place along the pipeline: a file may import from its own stage or an earlier one.
 * No two stages share a place (but the three every stage may use, fault, schema and install, which import
 * nothing of socklab's), so no two stages can import each other: there are no cycles between them.
 */
const STAGES: Readonly<Record<string, number>> = {
  "harness/fault": 0,
  "harness/schema": 0,
  "harness/install": 0,
  "harness/sandbox": 1,
  "harness/run": 2,
  "harness/capture": 3,
  "harness/decode": 4,
  "harness/analyse": 5,
  "harness/protocol": 6,
  "harness/impair": 7,
  "harness/session": 8,
  "harness/grade": 9,
  "harness/report": 10,
  tasks: 11,
  "harness/cli": 12,
};

function stageOf(path: string): string | undefined {
  return Object.keys(STAGES).find((stage) => path === stage || path.startsWith(`${stage}/`));
}

function productionFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return productionFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("stage order", () => {
  const files = [...productionFiles("harness"), ...productionFiles("tasks")];

  it("knows the stage of every production file", () => {
    expect(files.filter((f) => stageOf(f) === undefined)).toEqual([]);
  });

  it("has no import from a later stage into an earlier one", () => {
    const backwards: string[] = [];
    for (const file of files) {
      const from = stageOf(file)!;
      const text = readFileSync(join(ROOT, file), "utf8");
      for (const match of text.matchAll(/^(?:import|export)[^;]*?from\s+"(\.[^"]+)"/gm)) {
        const target = relative(ROOT, resolve(ROOT, dirname(file), match[1]!));
        const to = stageOf(target);
        if (to !== undefined && to !== from && STAGES[to]! > STAGES[from]!) {
          backwards.push(`${file} imports ${target} (${to} comes after ${from})`);
        }
      }
    }
    expect(backwards).toEqual([]);
  });

  it("says each stage's public surface by name: no `export *` barrels", () => {
    const barrels = files.filter((file) => /^export \*/m.test(readFileSync(join(ROOT, file), "utf8")));
    expect(barrels).toEqual([]);
  });
});
