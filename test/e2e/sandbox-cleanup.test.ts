// Nothing of a run survives it: stubborn servers, daemons, programs left running, time limits, and a grader
// that is itself SIGKILLed mid-run.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { describe, it } from "vitest";
import { startProgram, waitForPort } from "../../harness/run/index.ts";
import { openSandbox, type Sandbox, type SandboxOptions } from "../../harness/sandbox/index.ts";
import {
  FIXTURES,
  leftovers,
  type OnFinished,
  PROGRAMS,
  type RunMarks,
  runPidNamespace,
  tempOutDir,
} from "./sandbox-helpers.ts";

async function open(
  onFinished: OnFinished,
  options: Partial<SandboxOptions> = {},
): Promise<{ sandbox: Sandbox; marks: RunMarks }> {
  const sandbox = await openSandbox({
    outDir: await tempOutDir(onFinished),
    submission: PROGRAMS,
    ...options,
  });
  onFinished(async () => {
    await sandbox.close();
  });
  const marks: RunMarks = {
    pids: [sandbox.holderPid],
    text: [sandbox.outDir],
    ...(sandbox.mode === "namespace" ? { pidNamespace: runPidNamespace(sandbox.holderPid) } : {}),
  };
  return { sandbox, marks };
}

describe.concurrent("sandbox cleanup", () => {
  it("stops a server that ignores SIGINT and SIGTERM with SIGKILL, without hanging", async ({
    expect,
    onTestFinished,
  }) => {
    const { sandbox, marks } = await open(onTestFinished);
    const server = await startProgram(sandbox, {
      name: "server",
      command: "python3 stubborn-server.py",
      timeoutMs: 30_000,
      stopGraceMs: 200,
    });
    const ready = await waitForPort(sandbox, {
      protocol: "tcp",
      port: 65432,
      program: server,
      timeoutMs: 5000,
    });
    expect(ready.status).toBe("done");
    const started = performance.now();
    const outcome = await server.stop();
    // Without hanging: SIGKILL follows the 200 ms grace, long before the server's 30 s limit.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(outcome).toMatchObject({
      signal: "SIGKILL",
      killedBy: "stop",
      description: "killed by SIGKILL after ignoring SIGINT and SIGTERM",
    });
    expect(await leftovers({ pids: server.pid === undefined ? [] : [server.pid] }, 2000)).toEqual([]);
    expect(
      (await sandbox.socketTable()).filter((e) => e.localPort === 65432 && e.state === "LISTEN"),
    ).toEqual([]);
    expect((await sandbox.close()).warnings).toEqual([]);
    expect(await leftovers(marks)).toEqual([]);
  });

  it("stops a server that handles Ctrl-C with SIGINT alone", async ({ expect, onTestFinished }) => {
    const { sandbox } = await open(onTestFinished);
    const program = await startProgram(sandbox, {
      name: "server",
      command: "python3 graceful.py",
      timeoutMs: 10_000,
    });
    // Wait for the whole line: print() writes the text and the newline separately.
    expect((await program.waitForOutput("running\n", 5000)).status).toBe("done");
    const outcome = await program.stop();
    expect(outcome).toMatchObject({ exitCode: 0, killedBy: "stop", stdout: "running\nbye\n" });
    expect(outcome.description).toBe("exited with code 0 after the grader sent SIGINT");
  });

  it("kills a daemonizing server at once, and leaves nothing after close", async ({
    expect,
    onTestFinished,
  }) => {
    const { sandbox, marks } = await open(onTestFinished);
    const daemon = await startProgram(sandbox, {
      name: "daemon",
      command: "python3 daemon-server.py",
      timeoutMs: 10_000,
    });
    const outcome = await daemon.outcome;
    expect(outcome.exitCode).toBe(0);
    // bwrap's init ends with the main process and takes the daemon with it.
    const table = await sandbox.socketTable();
    expect(table.filter((e) => e.localPort === 10002 && e.state === "LISTEN")).toEqual([]);
    await sandbox.close();
    expect(await leftovers(marks)).toEqual([]);
  });

  it("kills programs still running when the run ends and says so", async ({ expect, onTestFinished }) => {
    const { sandbox, marks } = await open(onTestFinished);
    const forever = await startProgram(sandbox, {
      name: "server",
      command: "python3 forever.py",
      timeoutMs: 30_000,
    });
    expect((await forever.waitForOutput("started", 5000)).status).toBe("done");
    const closed = await sandbox.close();
    expect(closed.warnings).toEqual([]);
    const outcome = await forever.outcome;
    expect(outcome).toMatchObject({ killedBy: "stop", signal: "SIGKILL" });
    expect(outcome.description).toBe("was still running when the run ended, and was killed by SIGKILL");
    expect(await leftovers(marks)).toEqual([]);
  });

  it("kills a program at its time limit and says so", async ({ expect, onTestFinished }) => {
    const { sandbox } = await open(onTestFinished);
    const program = await startProgram(sandbox, {
      name: "client",
      command: "python3 forever.py",
      timeoutMs: 700,
    });
    const outcome = await program.outcome;
    expect(outcome).toMatchObject({
      timedOut: true,
      killedBy: "timeout",
      signal: "SIGKILL",
      stdout: "started\n",
    });
    expect(outcome.description).toBe("killed by SIGKILL after exceeding its 700 ms time limit");
    expect(outcome.wallMs).toBeGreaterThanOrEqual(700);
    expect(outcome.wallMs).toBeLessThan(700 + 5000); // killed at its limit, not left to run
  });

  it("leaves nothing when the grader itself is SIGKILLed mid-run", async ({ expect, onTestFinished }) => {
    const outDir = await tempOutDir(onTestFinished);
    const child = spawn(
      process.execPath,
      ["--import", "tsx", `${FIXTURES}/grader-child.ts`, outDir, PROGRAMS],
      { cwd: `${FIXTURES}/../../..`, stdio: ["ignore", "pipe", "inherit"] },
    );
    onTestFinished(() => {
      child.kill("SIGKILL");
    });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once("line", resolve);
      child.once("exit", (code) => reject(new Error(`grader child exited early (code ${code})`)));
    });
    const report = JSON.parse(line) as { holderPid: number; launcherPid: number; ready: string };
    expect(report.ready).toBe("done");
    const marks: RunMarks = {
      pids: [child.pid ?? -1, report.holderPid, report.launcherPid],
      pidNamespace: runPidNamespace(report.holderPid),
      text: [outDir],
    };
    expect((await leftovers(marks, 0)).length).toBeGreaterThanOrEqual(6);
    child.kill("SIGKILL");
    expect(await leftovers(marks, 5000)).toEqual([]);
  });

  it("kills a host-mode daemon at close through the run's environment mark", async ({
    expect,
    onTestFinished,
  }) => {
    const { sandbox, marks } = await open(onTestFinished, { mode: "host", ports: [10002], capture: false });
    const daemon = await startProgram(sandbox, {
      name: "daemon",
      command: "python3 daemon-server.py",
      timeoutMs: 10_000,
    });
    expect((await daemon.outcome).exitCode).toBe(0);
    const listening = () =>
      sandbox.socketTable().then((t) => t.some((e) => e.localPort === 10002 && e.state === "LISTEN"));
    await expect.poll(listening, { timeout: 3000 }).toBe(true);
    const closed = await sandbox.close();
    expect(closed.warnings.join("\n")).toMatch(/killed processes left at the end of the run: python3/);
    expect(await listening()).toBe(false);
    expect(await leftovers(marks)).toEqual([]);
  });
});
