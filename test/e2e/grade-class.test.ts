// `socklab grade` on a small class with real programs: two at a time, a gradebook with a reason for the rows
// that could not be graded, the class's index and histogram; the same verdicts as grading each alone; a second
// run grades nothing that has not changed; Ctrl+C midway keeps what was done.
import { spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../harness/cli/main.ts";
import { memoryOutput } from "../../harness/cli/output.ts";
import type { SubmissionResult } from "../../harness/grade/index.ts";
import { FIXTURES, REFERENCE, ROOT } from "./grader.ts";

const root = await mkdtemp(join(tmpdir(), "socklab-class-"));
afterAll(() => rm(root, { recursive: true, force: true }));

const echo =
  "tasks:\n  tcp-echo:\n    server: python3 server_echo.py {port}\n    client: python3 client_echo.py {host} {port}\n";

/** A class of five: correct, buggy, a broken manifest, no manifest, and a second correct one. */
async function makeClass(dir: string): Promise<void> {
  for (const name of ["ana", "eve"]) {
    await mkdir(join(dir, name), { recursive: true });
    await cp(join(REFERENCE, "server_echo.py"), join(dir, name, "server_echo.py"));
    await cp(join(REFERENCE, "client_echo.py"), join(dir, name, "client_echo.py"));
    await writeFile(join(dir, name, "socklab.yaml"), echo);
  }
  await cp(join(FIXTURES, "tcp-echo-crash"), join(dir, "bob"), { recursive: true });
  await mkdir(join(dir, "carol"), { recursive: true });
  await writeFile(join(dir, "carol", "socklab.yaml"), "tasks:\n  tcp-echo:\n    server: 3\n");
  await mkdir(join(dir, "dan"), { recursive: true });
}

const gradebook = async (out: string) => (await readFile(join(out, "gradebook.csv"), "utf8")).split("\r\n");
const stored = async (out: string, name: string) =>
  JSON.parse(await readFile(join(out, name, "socklab.json"), "utf8")) as SubmissionResult;

describe("socklab grade", () => {
  const klass = join(root, "class");
  const out = join(root, "grades");

  it("grades a class two at a time: gradebook with reasons, index, histogram", async () => {
    await makeClass(klass);
    const output = memoryOutput();
    const code = await main(["grade", klass, "--out", out, "--task", "tcp-echo", "--jobs", "2"], output);
    expect(code, output.stderr.join("\n")).toBe(1);
    const lines = output.stdout.join("\n");
    expect(lines).toMatch(/\[5\/5\]/);
    const rows = await gradebook(out);
    expect(rows[0]).toMatch(/^submission,student,score,max,status,reason,/);
    const row = (name: string) => rows.find((r) => r.startsWith(`${name},`)) ?? "";
    expect(row("ana")).toMatch(/^ana,,14,14,passed,,/);
    expect(row("bob")).toMatch(/^bob,[^,]*,\d+,14,failed,,/);
    expect(row("carol")).toMatch(/^carol,,0,\d+,failed,.*tasks\.tcp-echo\.server/);
    expect(row("dan")).toMatch(/^dan,,0,\d+,failed,.*no manifest/);
    const index = await readFile(join(out, "index.md"), "utf8");
    expect(index).toContain("![scores of the class](histogram.svg)");
    expect(index).toContain("[ana/index.md](ana/index.md)");
    expect(index).toMatch(
      /## Checks the class fails most[\s\S]*server-survives|## Checks the class fails most/,
    );
    expect(await readFile(join(out, "histogram.svg"), "utf8")).toMatch(/^<svg /);
  });

  it("gives the verdicts each submission gets graded alone", async () => {
    for (const name of ["ana", "bob"]) {
      const alone = join(root, `alone-${name}`);
      expect(
        await main(["check", join(klass, name), "--task", "tcp-echo", "--out", alone], memoryOutput()),
      ).toBeGreaterThanOrEqual(0);
      const statuses = (r: SubmissionResult) =>
        r.tasks.flatMap((t) => t.checks.map((c) => `${t.id}/${c.id}:${c.status}:${c.points}`));
      expect(statuses(await stored(out, name))).toEqual(statuses(await stored(root, `alone-${name}`)));
    }
  });

  it("grades nothing again when nothing changed, and what changed again", async () => {
    await writeFile(join(klass, "eve", "notes.txt"), "changed\n");
    const output = memoryOutput();
    await main(["grade", klass, "--out", out, "--task", "tcp-echo", "--jobs", "2"], output);
    const lines = output.stdout.join("\n");
    for (const name of ["ana", "bob"])
      expect(lines).toMatch(new RegExp(`${name} \\(unchanged, not graded again`));
    expect(lines).toMatch(/eve \(graded in/);
  });

  it("grades in shards on several machines and merges them into one gradebook", async () => {
    const shards = [join(root, "shard-1"), join(root, "shard-2")];
    for (const [k, dir] of shards.entries()) {
      const output = memoryOutput();
      await main(["grade", klass, "--out", dir, "--task", "tcp-echo", "--shard", `${k + 1}/2`], output);
      expect(output.stdout.join("\n")).toMatch(k === 0 ? /\[3\/3\]/ : /\[2\/2\]/);
    }
    const merged = join(root, "merged");
    const output = memoryOutput();
    expect(await main(["merge", ...shards, "--out", merged], output)).toBe(1);
    const rows = (await gradebook(merged)).filter((r) => r !== "");
    expect(rows.map((r) => r.split(",")[0])).toEqual(["submission", "ana", "bob", "carol", "dan", "eve"]);
    const index = await readFile(join(merged, "index.md"), "utf8");
    expect(index).toContain("(../shard-1/ana/index.md)");
    expect(await main(["merge", shards[0]!, shards[0]!, "--out", merged], memoryOutput())).toBe(2);
  });

  it("keeps what was done when stopped midway, the rest marked interrupted", async () => {
    const stopped = join(root, "stopped");
    const bin = join(ROOT, "bin", "socklab.js");
    const child = spawn(
      process.execPath,
      [bin, "grade", klass, "--out", stopped, "--task", "tcp-echo", "--jobs", "1"],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let sent = false;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      // After the first submission is graded, Ctrl+C, once (a second one would end socklab at once).
      if (!sent && /\[1\/5\]/.test(stdout)) {
        sent = true;
        child.kill("SIGINT");
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(130);
    const rows = await gradebook(stopped);
    expect(rows.filter((r) => r !== "")).toHaveLength(6);
    expect(rows.filter((r) => /,interrupted,/.test(r)).length).toBeGreaterThanOrEqual(1);
    expect(rows.find((r) => r.startsWith("ana,"))).toMatch(/,passed,/);
  });
});
