// The CLI end to end on real programs: `check` writes every report and exits 0/1/2 as documented; `init`
// drafts a manifest that `check` accepts.
import { access, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import MarkdownIt from "markdown-it";
import { describe, it } from "vitest";
import { main } from "../../harness/cli/main.ts";
import { memoryOutput } from "../../harness/cli/output.ts";
import { loadManifest } from "../../harness/grade/index.ts";
import { TASKS } from "../../tasks/index.ts";

const ROOT = join(import.meta.dirname, "..", "..");

async function temp(onFinished: (fn: () => Promise<void>) => void): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "socklab-cli-"));
  onFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe.concurrent("socklab check", () => {
  it("grades the reference's tcp-echo: exit 0, every report and format written", async ({
    expect,
    onTestFinished,
  }) => {
    const out = await temp(onTestFinished);
    const output = memoryOutput();
    const code = await main(["check", join(ROOT, "reference"), "--task", "tcp-echo", "--out", out], output);
    expect(code, output.stderr.join("")).toBe(0);
    for (const file of [
      "index.md",
      "tcp-echo.md",
      "results.json",
      "socklab.json",
      "junit.xml",
      "tcp-echo/main/capture.pcap",
    ]) {
      expect(await exists(join(out, file)), file).toBe(true);
    }
    const gradescope = JSON.parse(await readFile(join(out, "results.json"), "utf8"));
    expect(
      gradescope.tests.filter((t: { extra_data: { task: string } }) => t.extra_data.task === "tcp-echo"),
    ).toHaveLength(11);
    expect(output.stdout.join("\n")).toMatch(/Score 14\/14/);
    const report = await readFile(join(out, "tcp-echo.md"), "utf8");
    expect(report).toContain("```mermaid");
    expect(report).toContain("Socket states");
    // As GitHub renders it: the runs' traffic folded, tables as tables, no inline <svg> (GitHub strips it).
    const html = new MarkdownIt({ html: true }).render(report);
    expect(html).toMatch(/<details><summary>Traffic of run main: \d+ packets/);
    expect(html).toContain("<table>");
    expect(html).not.toContain("<svg");
    expect(report).toContain("`!(udp.port == 9)`");
  });

  it("exits 1 for a failing submission and explains the failure with evidence", async ({
    expect,
    onTestFinished,
  }) => {
    const out = await temp(onTestFinished);
    const output = memoryOutput();
    const code = await main(
      ["check", join(ROOT, "fixtures/submissions/tcp-echo-crash"), "--task", "tcp-echo", "--out", out],
      output,
    );
    expect(code).toBe(1);
    const doc = JSON.parse(await readFile(join(out, "socklab.json"), "utf8"));
    const check = doc.tasks[0].checks.find((c: { id: string }) => c.id === "server-survives");
    expect(check.status).toBe("failed");
    expect(check.failure.actual).toMatch(/Error/);
    expect(await readFile(join(out, "junit.xml"), "utf8")).toContain("<failure");
  });

  it("exits 1 (the submission's failure) with one line naming the file and key for a broken manifest, and still writes results.json", async ({
    expect,
    onTestFinished,
  }) => {
    const dir = await temp(onTestFinished);
    await writeFile(
      join(dir, "socklab.yaml"),
      "tasks:\n  tcp-echo:\n    server: python3 s.py\n    client: python3 c.py\n    port: high\n",
    );
    const output = memoryOutput();
    expect(await main(["check", dir, "--out", join(dir, "out")], output)).toBe(1);
    expect(output.stderr.at(-1)).toMatch(/socklab\.yaml: tasks\.tcp-echo\.port \(line 5, column 11\): /);
    const gradescope = JSON.parse(await readFile(join(dir, "out", "results.json"), "utf8"));
    expect(gradescope.score).toBe(0);
    const doc = JSON.parse(await readFile(join(dir, "out", "socklab.json"), "utf8"));
    expect(doc.status).toBe("failed");
    expect(doc.warnings[0]).toMatch(/tasks\.tcp-echo\.port/);
  });

  it("exits 1 when the manifest leaves tasks out, even if every listed one passes (0 with --task)", async ({
    expect,
    onTestFinished,
  }) => {
    const dir = await temp(onTestFinished);
    await mkdir(dir, { recursive: true });
    await copyFile(join(ROOT, "reference/server_echo.py"), join(dir, "server_echo.py"));
    await copyFile(join(ROOT, "reference/client_echo.py"), join(dir, "client_echo.py"));
    await writeFile(
      join(dir, "socklab.yaml"),
      "tasks:\n  tcp-echo:\n    server: python3 server_echo.py {port}\n    client: python3 client_echo.py {host} {port}\n",
    );
    const output = memoryOutput();
    expect(await main(["check", dir, "--out", join(dir, "out")], output)).toBe(1);
    expect(output.stdout.join("\n")).toMatch(/Score 14\/\d+ .*8 tasks not submitted/);
    // With extra credit, the optional tasks' points are not in the maximum.
    const full = JSON.parse(await readFile(join(dir, "out", "socklab.json"), "utf8"));
    await main(["check", dir, "--out", join(dir, "extra"), "--extra-credit"], memoryOutput());
    const extra = JSON.parse(await readFile(join(dir, "extra", "socklab.json"), "utf8"));
    expect(extra.extraCredit).toEqual(["sensor-tcp-threaded", "sensor-udp-reliable"]);
    expect(extra.maxScore).toBe(full.maxScore - 9 - 12);
  });
});

describe("socklab init", () => {
  it("drafts a manifest from the handout's file names that the grader accepts", async ({
    expect,
    onTestFinished,
  }) => {
    const dir = await temp(onTestFinished);
    await mkdir(dir, { recursive: true });
    await copyFile(join(ROOT, "reference/server_echo.py"), join(dir, "servidor_echo.py"));
    await copyFile(join(ROOT, "reference/client_echo.py"), join(dir, "cliente_echo.py"));
    await writeFile(join(dir, "notes.py"), "");
    const output = memoryOutput();
    expect(await main(["init", dir], output)).toBe(0);
    expect(output.stdout.join("\n")).toMatch(/notes\.py: not placed/);
    const manifest = await loadManifest(dir, TASKS);
    expect(manifest.tasks.get("tcp-echo")).toMatchObject({
      server: "python3 servidor_echo.py {port}",
      client: "python3 cliente_echo.py {host} {port}",
    });
    expect(await main(["init", dir], memoryOutput())).toBe(2);
  });
});
