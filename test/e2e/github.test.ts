// GitHub Classroom: the workflow `socklab ci github` writes, and what `socklab check` adds inside a GitHub
// Actions job — an annotation on the student's line where a failure quotes a traceback, the report in the
// job's summary, and a failing exit code.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../harness/cli/main.ts";
import { memoryOutput } from "../../harness/cli/output.ts";
import { parseYaml } from "../../harness/grade/index.ts";
import { FIXTURES } from "./grader.ts";

const root = await mkdtemp(join(tmpdir(), "socklab-github-"));
afterAll(() => rm(root, { recursive: true, force: true }));

describe("socklab ci github", () => {
  it("writes a workflow that installs socklab and its tools, grades, keeps the reports", async () => {
    const repo = join(root, "repo");
    await mkdir(repo);
    const args = [
      "ci",
      "github",
      repo,
      "--from",
      "git+https://example.org/course/socklab.git",
      "--task",
      "tcp-echo",
    ];
    expect(await main(args, memoryOutput())).toBe(0);
    const text = await readFile(join(repo, ".github", "workflows", "socklab.yml"), "utf8");
    const parsed = parseYaml(text);
    if (!parsed.ok) throw new Error(parsed.message);
    const steps = (parsed.value as { jobs: { socklab: { steps: { run?: string; uses?: string }[] } } }).jobs
      .socklab.steps;
    const runs = steps.flatMap((s) => (s.run ? [s.run] : []));
    expect(runs[0]).toBe('npm install -g "git+https://example.org/course/socklab.git"');
    expect(runs[1]).toMatch(/socklab doctor --install$/);
    expect(runs[2]).toMatch(/socklab check \. --out socklab-report --task tcp-echo$/);
    expect(runs[2]).toMatch(/--preserve-env=GITHUB_ACTIONS,GITHUB_STEP_SUMMARY,GITHUB_WORKSPACE/);
    expect(steps.some((s) => s.uses === "actions/upload-artifact@v4")).toBe(true);
    const again = memoryOutput();
    expect(await main(args, again)).toBe(2);
    expect(again.stderr.join("")).toMatch(/already exists \(use --force/);
    expect(await main([...args, "--force"], memoryOutput())).toBe(0);
    expect(await main(["ci", "github", repo], memoryOutput())).toBe(2);
  });
});

describe("socklab check in a GitHub Actions job", () => {
  it("annotates the student's line, writes the summary and fails the job", async () => {
    const repo = join(root, "student");
    await cp(join(FIXTURES, "tcp-echo-crash"), repo, { recursive: true });
    const summary = join(root, "summary.md");
    await writeFile(summary, "");
    const saved = { ...process.env };
    Object.assign(process.env, {
      GITHUB_ACTIONS: "true",
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_WORKSPACE: repo,
    });
    try {
      const output = memoryOutput();
      const code = await main(["check", repo, "--task", "tcp-echo", "--out", join(root, "out")], output);
      expect(code).toBe(1);
      const errors = output.stdout.filter((l) => l.startsWith("::error "));
      expect(
        errors.some((l) => /^::error file=[\w.]+\.py,line=\d+,title=tcp-echo\/server-survives/.test(l)),
      ).toBe(true);
      expect(await readFile(summary, "utf8")).toMatch(/^# socklab report/);
    } finally {
      process.env = saved;
    }
  });
});
