// What a student program can and cannot do in a sandbox, and what the grader learns about it: isolation,
// limits, scripted standard input, output caps and CPU time.
import { readFile } from "node:fs/promises";
import { describe, it } from "vitest";
import { runScript, startProgram } from "../../harness/run/index.ts";
import { cgroupLayout, openSandbox, type Sandbox, type SandboxOptions } from "../../harness/sandbox/index.ts";
import { type OnFinished, PROGRAMS, tempOutDir } from "./sandbox-helpers.ts";

async function open(onFinished: OnFinished, options: Partial<SandboxOptions> = {}): Promise<Sandbox> {
  const sandbox = await openSandbox({
    outDir: await tempOutDir(onFinished),
    submission: PROGRAMS,
    ...options,
  });
  onFinished(async () => {
    await sandbox.close();
  });
  return sandbox;
}

describe.concurrent("sandboxed programs", () => {
  it("cannot take lo down, sniff, write its submission, or see the host; can write /work", async ({
    expect,
    onTestFinished,
  }) => {
    const sandbox = await open(onTestFinished);
    const program = await startProgram(sandbox, {
      name: "hostile",
      command: "python3 hostile.py",
      timeoutMs: 8000,
    });
    const outcome = await program.outcome;
    expect(outcome.exitCode).toBe(0);
    const report = JSON.parse(outcome.stdout);
    expect(report).toMatchObject({
      lo_down_rc: 2,
      lo_down_err: "RTNETLINK answers: Operation not permitted",
      af_packet: "OSError", // EAFNOSUPPORT from the system-call filter
      CapEff: "0000000000000000",
      CapBnd: "0000000000000000",
      CapAmb: "0000000000000000",
      NoNewPrivs: "1",
      write_sub: 30,
      root: ["bin", "dev", "etc", "lib", "lib64", "proc", "sbin", "sub", "tmp", "usr", "work"],
    });
    // bwrap's init, python and its `ip` child (already reaped) are all it can see: with a control group to
    // measure it, nothing of socklab's stays between the program and bwrap's init.
    expect(report.pids).toEqual(cgroupLayout() ? [1, 2] : [1, 2, 3]);
    expect(report.env).toEqual([
      "HOME",
      "LANG",
      "MALLOC_ARENA_MAX",
      "PATH",
      "PYTHONDONTWRITEBYTECODE",
      "PYTHONUNBUFFERED",
    ]);
    // The file it wrote is in the run's tmpfs, readable from outside until the run ends.
    expect(await readFile(sandbox.workPath("result.txt"), "utf8")).toBe("from-student");
    // lo is still up: a later program reaches its own socket.
    const echo = await startProgram(sandbox, {
      name: "probe",
      command: [
        "python3",
        "-c",
        "import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.0.0.1', 0)); s.sendto(b'x', s.getsockname()); print(s.recv(9))",
      ],
      timeoutMs: 5000,
    });
    expect((await echo.outcome).stdout).toBe("b'x'\n");
  });

  it("refuses vsock, packet sockets, ptrace, pidfd_getfd, process_vm_readv, io_uring and new user namespaces; allows the rest", async ({
    expect,
    onTestFinished,
  }) => {
    const sandbox = await open(onTestFinished);
    const program = await startProgram(sandbox, {
      name: "syscalls",
      command: "python3 syscalls.py",
      timeoutMs: 8000,
    });
    const outcome = await program.outcome;
    expect(outcome.stderr).toBe("");
    expect(JSON.parse(outcome.stdout)).toEqual({
      vsock: "EAFNOSUPPORT",
      packet: "EAFNOSUPPORT",
      ptrace: "EPERM",
      pidfd_open: "ok",
      pidfd_getfd: "EPERM",
      process_vm_readv: "EPERM",
      io_uring_setup: "EPERM",
      unshare_user: "EPERM",
      inet: "created",
      unix: "created",
      thread: "ok",
      fork: "ok",
    });
  });

  it("names the full disk a program filled with empty files, silently; not for a program started after", async ({
    expect,
    onTestFinished,
  }) => {
    const sandbox = await open(onTestFinished);
    const filler = await startProgram(sandbox, {
      name: "filler",
      command: [
        "python3",
        "-c",
        "import os\nos.mkdir('f')\ntry:\n  for i in range(30000): open('f/'+'x'*200+str(i),'w').close()\nexcept OSError: pass",
      ],
      timeoutMs: 20_000,
    });
    const filled = await filler.outcome;
    expect(filled.exitCode).toBe(0);
    expect(filled.description).toMatch(/disk full \(\/work and \/tmp share 32 MiB and 16,384 files\)/);
    const next = await startProgram(sandbox, { name: "next", command: "python3 -c pass", timeoutMs: 5000 });
    expect((await next.outcome).limits).toEqual([]);
  });

  it("lets a threaded server start 60 threads under the limits", async ({ expect, onTestFinished }) => {
    const sandbox = await open(onTestFinished);
    const program = await startProgram(sandbox, {
      name: "server",
      command: "python3 threads.py",
      timeoutMs: 8000,
    });
    expect((await program.outcome).stdout).toBe("threads 60\n");
  });

  it("stops a CPU hog at its CPU limit and blames the limit", async ({ expect, onTestFinished }) => {
    const sandbox = await open(onTestFinished, { limits: { cpuSeconds: 1 } });
    const program = await startProgram(sandbox, {
      name: "client",
      command: "python3 cpu-burn.py",
      timeoutMs: 10_000,
    });
    const outcome = await program.outcome;
    expect(outcome).toMatchObject({ signal: "SIGXCPU", killedBy: "limit", timedOut: false });
    expect(outcome.description).toBe("killed by SIGXCPU after using up its 1 s CPU-time limit");
    // The limit counts CPU ticks; `times` reports scheduler time, which reads lower on a busy machine.
    expect(outcome.cpuMs).toBeGreaterThanOrEqual(700);
  });

  it("starts a program with descriptors 0-2 only, whatever socklab inherited", async ({
    expect,
    onTestFinished,
  }) => {
    const sandbox = await open(onTestFinished);
    const program = await startProgram(sandbox, {
      name: "fds",
      command: ["python3", "-c", "import os; print(sorted(int(f) for f in os.listdir('/proc/self/fd')))"],
      timeoutMs: 8000,
    });
    const outcome = await program.outcome;
    // The listing's own descriptor is the fourth.
    expect(outcome.stdout.trim()).toBe("[0, 1, 2, 3]");
  });

  it("reports a crash as an outcome with the traceback", async ({ expect, onTestFinished }) => {
    const sandbox = await open(onTestFinished);
    const program = await startProgram(sandbox, {
      name: "server",
      command: "python3 crash.py",
      timeoutMs: 8000,
    });
    const outcome = await program.outcome;
    expect(outcome).toMatchObject({ exitCode: 1, signal: null, description: "exited with code 1" });
    expect(outcome.stderr).toMatch(/ValueError: invalid literal for int\(\) with base 10: 'not a number'\n$/);
    const missing = await startProgram(sandbox, {
      name: "server",
      command: "python3 nowhere.py",
      timeoutMs: 8000,
    });
    expect((await missing.outcome).stderr).toMatch(/can't open file '\/work\/nowhere.py'/);
  });

  it("drives an interactive client with a script of inputs, pauses and expectations", async ({
    expect,
    onTestFinished,
  }) => {
    const sandbox = await open(onTestFinished);
    const chat = await startProgram(sandbox, {
      name: "client",
      command: "python3 chat.py",
      timeoutMs: 8000,
      stdin: "pipe",
    });
    const result = await runScript(chat, [
      { expect: "Name: ", timeoutMs: 3000 },
      { send: "Ada" },
      { expect: "Hello, Ada!", timeoutMs: 3000 },
      { expect: "> ", timeoutMs: 3000 },
      { pauseMs: 100 },
      { send: "ping" },
      { expect: /you said '(\w+)'/, timeoutMs: 3000 },
      { send: "quit" },
      { expect: "goodbye", timeoutMs: 3000 },
    ]);
    expect(result.status).toBe("done");
    expect(result.steps[6]?.match?.groups).toEqual(["ping"]);
    expect(result.steps[4]?.elapsedMs).toBeGreaterThanOrEqual(95);
    expect((await chat.outcome).exitCode).toBe(0);
  });

  it("ends a script step with a named timeout, or with the program's end, and the output so far", async ({
    expect,
    onTestFinished,
  }) => {
    const sandbox = await open(onTestFinished);
    const chat = await startProgram(sandbox, {
      name: "client",
      command: "python3 chat.py",
      timeoutMs: 8000,
      stdin: "pipe",
    });
    // The prompt first (however loaded the machine), then a line that never comes.
    const stuck = await runScript(chat, [
      { send: "Ada" },
      { expect: ">", timeoutMs: 20_000, what: "the prompt" },
      { expect: "Welcome", timeoutMs: 300, what: "the welcome line" },
    ]);
    expect(stuck).toMatchObject({
      status: "failed",
      failedStep: 2,
      failure: { status: "timeout", timeoutMs: 300 },
    });
    expect(stuck.status === "failed" && stuck.failure.message).toBe(
      "timed out after 300 ms waiting for the welcome line; output so far: \nName: Hello, Ada!\n>",
    );
    const ended = await runScript(chat, [{ closeStdin: true }, { expect: "goodbye", timeoutMs: 3000 }]);
    expect(ended).toMatchObject({ status: "failed", failedStep: 1, failure: { status: "ended" } });
    expect(ended.status === "failed" && ended.failure.message).toMatch(
      /^client ended before client to print "goodbye": it exited with code 1; output: \nName: Hello, Ada!\n> \nTraceback/,
    );
    expect(chat.write("too late\n")).toBe(false);
  });

  it("resolves the run's own host name to the loopback, as gethostbyname(gethostname()) expects", async ({
    expect,
    onTestFinished,
  }) => {
    const sandbox = await open(onTestFinished);
    const program = await startProgram(sandbox, {
      name: "client",
      command: [
        "python3",
        "-c",
        "import socket; n = socket.gethostname(); print(n, socket.gethostbyname(n), socket.gethostbyname('localhost'))",
      ],
      timeoutMs: 10_000,
    });
    const outcome = await program.outcome;
    expect(outcome.stdout.trim(), outcome.stderr).toBe("socklab 127.0.0.1 127.0.0.1");
  });

  it("caps a flood of output and says so", async ({ expect, onTestFinished }) => {
    const sandbox = await open(onTestFinished);
    const flood = await startProgram(sandbox, {
      name: "client",
      command: "python3 flood.py",
      timeoutMs: 8000,
      maxOutputBytes: 64 * 1024,
    });
    const outcome = await flood.outcome;
    expect(outcome).toMatchObject({ exitCode: 0, truncated: true });
    expect(outcome.stdout.length).toBeLessThan(64 * 1024 + 100);
    expect(outcome.stdout).toMatch(/\[socklab: stdout cut after 65536 bytes\]\n$/);
    expect(outcome.description).toBe(
      "exited normally (code 0); its stdout was cut at 64 KiB of 3.0 MiB (the output limit)",
    );
  });

  it("measures CPU time: an idle server stays near zero, a busy one does not", async ({
    expect,
    onTestFinished,
  }) => {
    const sandbox = await open(onTestFinished, { limits: { cpuSeconds: 5 } });
    const idle = await startProgram(sandbox, {
      name: "idle",
      command: "python3 forever.py",
      timeoutMs: 10_000,
    });
    const busy = await startProgram(sandbox, {
      name: "busy",
      command: "python3 cpu-burn.py",
      timeoutMs: 10_000,
    });
    await Promise.all([idle.waitForOutput("started", 5000), busy.waitForOutput("burning", 5000)]);
    const [idleBefore, busyBefore] = [idle.cpuTimeMs(), busy.cpuTimeMs()];
    // Wait for the event (the hog has used 300 ms of CPU), not for a time: on a loaded machine the hog gets
    // what the scheduler gives it, and the idle server must still show next to nothing over the same span.
    const deadline = Date.now() + 7000;
    while (busy.cpuTimeMs() - busyBefore < 300 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(busy.cpuTimeMs() - busyBefore).toBeGreaterThanOrEqual(300);
    expect(idle.cpuTimeMs() - idleBefore).toBeLessThanOrEqual(20);
    const [idleOutcome, busyOutcome] = await Promise.all([idle.stop(), busy.stop()]);
    expect(idleOutcome.cpuMs).toBeLessThan(200);
    expect(busyOutcome.cpuMs).toBeGreaterThanOrEqual(100);
  });
});
