// SIGINT or SIGTERM at any moment of `socklab check`: every run stops, the results say which tasks were
// interrupted (never passed, never "not submitted"), the exit code is 130 or 143, and no staging folder of
// that socklab is left. After a SIGKILL, the partial results already say interrupted, and the next start
// removes what the killed socklab left.
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SubmissionResult } from "../../harness/grade/index.ts";
import { removeStaleStages } from "../../harness/sandbox/index.ts";
import { ROOT } from "./grader.ts";

/** Staging folders whose owner file names `pid`. */
async function stagesOf(pid: number): Promise<string[]> {
  const names = (await readdir(tmpdir())).filter((n) => n.startsWith("socklab-run-"));
  const mine: string[] = [];
  for (const name of names) {
    const owner = await readFile(join(tmpdir(), name, "owner"), "utf8").catch(() => "");
    if (owner.split(" ")[0] === String(pid)) mine.push(name);
  }
  return mine;
}

/** Starts `socklab check reference`, sends `signal` after `afterMs`, and waits for its exit. */
async function stopAfter(out: string, signal: NodeJS.Signals, afterMs: number) {
  const child = spawn("node", ["bin/socklab.js", "check", "reference", "--out", out], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  child.stdout.resume();
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise((r) => setTimeout(r, afterMs));
  child.kill(signal);
  const code = await exited;
  return { code, pid: child.pid!, stderr };
}

async function results(out: string): Promise<SubmissionResult> {
  return JSON.parse(await readFile(join(out, "socklab.json"), "utf8")) as SubmissionResult;
}

describe("a stopped socklab", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "socklab-interrupt-"));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it.each([
    ["SIGINT", 700, 130],
    ["SIGINT", 3000, 130],
    ["SIGTERM", 6000, 143],
  ] as const)(
    "%s after %i ms: results say interrupted, exit %i, nothing staged left",
    async (signal, ms, exit) => {
      const out = join(root, `${signal}-${ms}`);
      const { code, pid, stderr } = await stopAfter(out, signal, ms);
      expect(code, stderr).toBe(exit);
      const doc = await results(out).catch(() => null);
      if (doc !== null) {
        expect(doc.status).toBe("interrupted");
        expect(doc.tasks.some((t) => t.status === "interrupted")).toBe(true);
        expect(doc.tasks.some((t) => t.status === "not-submitted")).toBe(false);
      } else {
        // Stopped before the manifest was read: nothing was graded, and the stop is said.
        expect(stderr).toMatch(new RegExp(signal));
      }
      expect(await stagesOf(pid)).toEqual([]);
    },
    60_000,
  );

  it("after SIGKILL, the partial results say interrupted and the next start removes the staging", async () => {
    const out = join(root, "kill");
    const { pid } = await stopAfter(out, "SIGKILL", 4000);
    const doc = await results(out).catch(() => null);
    if (doc !== null) {
      expect(doc.status).toBe("interrupted");
      expect(doc.tasks.filter((t) => t.status === "passed").length).toBeLessThan(doc.tasks.length);
    }
    await removeStaleStages();
    expect(await stagesOf(pid)).toEqual([]);
  }, 60_000);
});
