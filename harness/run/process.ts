// Student programs in a sandbox: start, watch output, feed standard input, stop, and collect one Outcome
// whatever happens. The only file that imports execa.
import { closeSync, openSync } from "node:fs";
import { execa } from "execa";
import {
  type LaunchPlan,
  type ProgramCgroup,
  runnableThreads,
  type Sandbox,
  signalProcesses,
} from "../sandbox/index.ts";
import { splitCommand } from "./command.ts";
import { RunError } from "./errors.ts";
import { isPythonWord, resolveInterpreter, substituteInterpreter } from "./interpreter.ts";
import type { LimitHit } from "./limit-hit.ts";
import { commandNotFound, decodeStatus, describeOutcome, type KilledBy, type Outcome } from "./outcome.ts";
import { OutputCollector, type OutputLine, type OutputMatch, type StreamName } from "./output.ts";
import { pollUntil, type StepResult, stepEnded, stepTimeout } from "./step.ts";

export interface ProgramSpec {
  /** A name for messages, e.g. "server" or "client 2". */
  readonly name: string;
  /** The command: a string is split like a shell would (no shell runs); a leading python3 is resolved. */
  readonly command: string | readonly string[];
  /** Working directory inside the sandbox, relative to /work (the submission's scratch copy) or absolute. */
  readonly cwd?: string;
  /** Wall-clock limit; the program is killed with SIGKILL when it is exceeded. */
  readonly timeoutMs: number;
  /** "pipe" to write to its standard input; default "ignore" (reads see end of file). */
  readonly stdin?: "pipe" | "ignore";
  /** Per-stream output limit, bytes (default 1 MiB); more is read and dropped. */
  readonly maxOutputBytes?: number;
  /** Grace period after SIGINT and after SIGTERM in stop() (default 500 ms each). */
  readonly stopGraceMs?: number;
  readonly env?: Readonly<Record<string, string>>;
  /** Host folders to show read-only, at the same path or at `at` (e.g. the reference solutions, for cross-testing). */
  readonly readOnlyBinds?: readonly (string | { readonly host: string; readonly at: string })[];
}

/** A running (or finished) student program. */
export interface Program {
  readonly name: string;
  /** The launcher's pid on the host (the program's tree hangs below it). */
  readonly pid: number | undefined;
  /** The words run inside the sandbox. */
  readonly command: readonly string[];
  readonly running: boolean;
  /** Calls `listener` for each output line as it arrives; returns a function that unsubscribes. */
  onLine(listener: (line: OutputLine) => void): () => void;
  /** Waits until `pattern` appears in the output after the previous match (partial lines count). */
  waitForOutput(pattern: RegExp | string, timeoutMs: number, what?: string): Promise<StepResult<OutputMatch>>;
  /** Waits until `test` holds for the complete lines printed so far (both streams, in order). */
  waitForLines(
    test: (lines: readonly OutputLine[]) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<StepResult<readonly OutputLine[]>>;
  /** Writes to standard input; false when the program no longer reads it. */
  write(text: string): boolean;
  closeStdin(): void;
  waitForExit(timeoutMs: number): Promise<StepResult<Outcome>>;
  /** SIGINT, then SIGTERM, then SIGKILL of the whole tree, each after a grace period. Never hangs. */
  stop(): Promise<Outcome>;
  /** user+sys CPU time so far of the whole sandboxed tree, in ms. */
  cpuTimeMs(): number;
  /** How many threads of the sandboxed tree are running or ready to run right now (0 when all wait). */
  runnableThreads(): number;
  /** Both output streams so far, interleaved. */
  output(): string;
  /** How many complete lines it has printed so far (both streams). */
  lineCount(): number;
  /** How many bytes it has written so far on both streams, including what was cut. */
  outputBytes(): number;
  /** The resource limits it has run into so far (its control group's counters, MemoryError, output cut). */
  limitHits(): LimitHit[];
  /** Stops it (as stop()) because it ran into a limit, which its outcome then names as the cause. */
  stopForLimit(): Promise<Outcome>;
  readonly outcome: Promise<Outcome>;
}

const DEFAULT_MAX_OUTPUT = 1024 * 1024;
const DEFAULT_STOP_GRACE_MS = 500;
/** After the exit, how long to wait for output still in the pipes (a daemon may hold them open). */
const DRAIN_MS = 250;
/** At most this many drain windows (output still arriving, or reads held up by a busy loop). */
const MAX_DRAIN_ROUNDS = 40;
const POLL_MS = 10;
/**
 * stderr of a launcher that failed before the program ran (the tools prefix their messages with their name):
 * socklab's fault. `env` is left out: it runs the program's own command, and a command that is not there or not
 * executable is the program's.
 */
const LAUNCHER_ERROR = /^(nsenter|setpriv|prlimit|bwrap|cgroup|seccomp): /;

/** Starts a student program in the sandbox. A program that fails to start still gives an Outcome. */
export async function startProgram(sandbox: Sandbox, spec: ProgramSpec): Promise<Program> {
  const words = typeof spec.command === "string" ? splitCommand(spec.command) : [...spec.command];
  if (words.length === 0) throw new RunError("BAD_COMMAND", `the command of ${spec.name} is empty`);
  const interpreter = isPythonWord(words[0]!) ? await resolveInterpreter() : undefined;
  const argv = interpreter ? substituteInterpreter(words, interpreter) : words;
  const plan = sandbox.launchPlan({
    argv,
    ...(spec.cwd === undefined ? {} : { cwd: spec.cwd }),
    readOnlyBinds: [...(interpreter?.readOnlyBinds ?? []), ...(spec.readOnlyBinds ?? [])],
    ...(spec.env === undefined ? {} : { env: spec.env }),
  });
  const subprocess = spawnLauncher(plan, spec.stdin === "pipe", plan.cgroup === undefined);
  return new SandboxedProgram(sandbox, spec, argv, subprocess, plan.cgroup);
}

function spawnLauncher(plan: LaunchPlan, pipeStdin: boolean, reporter: boolean) {
  const stdin = pipeStdin ? "pipe" : "ignore";
  // Without a control group, fd 3 carries the reporter shell's `times` (the program tree's CPU time).
  const stdio: (string | number)[] = reporter ? [stdin, "pipe", "pipe", "pipe"] : [stdin, "pipe", "pipe"];
  // The plan's files, opened here at their descriptors (the launcher would otherwise need a shell to open
  // them); the parent's copies are closed once the launcher has them.
  const opened: number[] = [];
  try {
    for (const [fd, path] of Object.entries(plan.files ?? {})) {
      while (stdio.length < Number(fd)) stdio.push("ignore");
      const handle = openSync(path, "r");
      opened.push(handle);
      stdio[Number(fd)] = handle;
    }
  } catch (error) {
    for (const handle of opened) closeSync(handle);
    throw new RunError("LAUNCH_FAILED", `socklab could not open a file for the launcher: ${String(error)}`, {
      cause: error,
    });
  }
  try {
    return execa(plan.file, plan.args, {
      cwd: plan.cwd,
      env: plan.env,
      extendEnv: false,
      stdio: stdio as ["pipe" | "ignore", "pipe", "pipe"],
      buffer: false,
      reject: false,
      detached: plan.detached,
      forceKillAfterDelay: false,
      stripFinalNewline: false,
    });
  } finally {
    for (const handle of opened) closeSync(handle);
  }
}

type Launcher = ReturnType<typeof spawnLauncher>;
/** A readable pipe of the launcher (execa's types do not follow `buffer: false` through extra fds). */
type Pipe = NodeJS.ReadableStream & { destroy(): void };

class SandboxedProgram implements Program {
  readonly name: string;
  readonly pid: number | undefined;
  readonly command: readonly string[];
  readonly outcome: Promise<Outcome>;
  running = true;
  private readonly output_: OutputCollector;
  private readonly startedAt = performance.now();
  /** Whether the run's disk was already full when the program started (then it is not the one that filled it). */
  private diskFullAtStart: boolean | undefined;
  private killedBy: KilledBy | undefined;
  private readonly stopSignals: string[] = [];
  private endedWithRun = false;
  private lastCpuMs: number | null = null;
  private reporterText = "";
  private stopping: Promise<Outcome> | undefined;

  constructor(
    private readonly sandbox: Sandbox,
    private readonly spec: ProgramSpec,
    argv: readonly string[],
    private readonly subprocess: Launcher,
    private readonly cgroup: ProgramCgroup | undefined,
  ) {
    this.name = spec.name;
    this.command = argv;
    this.pid = subprocess.pid;
    this.output_ = new OutputCollector(spec.maxOutputBytes ?? DEFAULT_MAX_OUTPUT, this.startedAt);
    this.diskFullAtStart = sandbox.workDiskFull();
    for (const stream of ["stdout", "stderr"] as const satisfies StreamName[]) {
      const readable = subprocess[stream];
      readable?.on("data", (chunk: Buffer) => this.output_.push(stream, chunk));
      readable?.on("close", () => this.output_.end(stream));
      readable?.on("error", () => this.output_.end(stream));
    }
    const reporter = subprocess.stdio[3] as unknown as Pipe | null;
    if (reporter) {
      reporter.on("data", (chunk: Buffer) => {
        // Two short lines are all the reporter writes: more is not its, and is not kept.
        if (this.reporterText.length < 4096) this.reporterText += chunk.toString("latin1");
      });
      reporter.on("error", () => {});
    }
    subprocess.stdin?.on("error", () => {
      // EPIPE after the program exited: write() reports it.
    });
    const timer = setTimeout(() => {
      this.killedBy ??= "timeout";
      this.kill();
    }, spec.timeoutMs);
    sandbox.onClosing(() => {
      if (!this.running) return;
      this.endedWithRun = true;
      this.killedBy ??= "stop";
      this.sampleCpu();
    });
    this.outcome = this.finish().finally(() => clearTimeout(timer));
    // The outcome is always awaited by someone eventually; never let it be an unhandled rejection.
    this.outcome.catch(() => {});
  }

  onLine(listener: (line: OutputLine) => void): () => void {
    return this.output_.onLine(listener);
  }

  async waitForOutput(
    pattern: RegExp | string,
    timeoutMs: number,
    what?: string,
  ): Promise<StepResult<OutputMatch>> {
    const description =
      what ?? `${this.name} to print ${typeof pattern === "string" ? JSON.stringify(pattern) : pattern}`;
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const immediate = this.output_.consume(pattern);
    if (immediate) return { status: "done", what: description, elapsedMs: 0, value: immediate };
    return new Promise((resolve) => {
      const finish = (result: StepResult<OutputMatch>) => {
        clearTimeout(timer);
        unsubscribe();
        resolve(result);
      };
      const unsubscribe = this.output_.onChange(() => {
        const match = this.output_.consume(pattern);
        if (match) finish({ status: "done", what: description, elapsedMs: elapsed(), value: match });
      });
      const timer = setTimeout(
        () => finish(stepTimeout(description, timeoutMs, elapsed(), this.output_.transcript)),
        timeoutMs,
      );
      this.outcome.then((outcome) => {
        const match = this.output_.consume(pattern);
        finish(
          match
            ? { status: "done", what: description, elapsedMs: elapsed(), value: match }
            : stepEnded(description, elapsed(), outcome),
        );
      });
    });
  }

  async waitForLines(
    test: (lines: readonly OutputLine[]) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<StepResult<readonly OutputLine[]>> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const lines = this.output_.lines;
    if (test(lines)) return { status: "done", what, elapsedMs: 0, value: lines };
    return new Promise((resolve) => {
      const finish = (result: StepResult<readonly OutputLine[]>) => {
        clearTimeout(timer);
        unsubscribe();
        resolve(result);
      };
      const unsubscribe = this.output_.onLine(() => {
        if (test(lines)) finish({ status: "done", what, elapsedMs: elapsed(), value: lines });
      });
      const timer = setTimeout(
        () => finish(stepTimeout(what, timeoutMs, elapsed(), this.output_.transcript)),
        timeoutMs,
      );
      this.outcome.then((outcome) =>
        finish(
          test(lines)
            ? { status: "done", what, elapsedMs: elapsed(), value: lines }
            : stepEnded(what, elapsed(), outcome),
        ),
      );
    });
  }

  write(text: string): boolean {
    const stdin = this.subprocess.stdin;
    if (!stdin) throw new RunError("NO_STDIN", `${this.name} was started without stdin: "pipe"`);
    if (!this.running || stdin.destroyed || stdin.writableEnded) return false;
    stdin.write(text);
    return true;
  }

  closeStdin(): void {
    const stdin = this.subprocess.stdin;
    if (stdin && !stdin.destroyed && !stdin.writableEnded) stdin.end();
  }

  async waitForExit(timeoutMs: number): Promise<StepResult<Outcome>> {
    const what = `${this.name} to exit`;
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    const outcome = await Promise.race([this.outcome, timedOut]);
    clearTimeout(timer);
    const elapsedMs = Math.round(performance.now() - started);
    if (outcome) return { status: "done", what, elapsedMs, value: outcome };
    return stepTimeout(what, timeoutMs, elapsedMs, this.output_.transcript);
  }

  stop(): Promise<Outcome> {
    this.stopping ??= this.stopSequence();
    return this.stopping;
  }

  cpuTimeMs(): number {
    return this.cgroup?.cpuMs() ?? this.sampleCpu() ?? this.lastCpuMs ?? 0;
  }

  runnableThreads(): number {
    if (this.pid === undefined) return 0;
    return runnableThreads(this.sandbox.programProcesses(this.pid, "all").map((p) => p.pid));
  }

  output(): string {
    return this.output_.transcript;
  }

  lineCount(): number {
    return this.output_.lines.length;
  }

  outputBytes(): number {
    return this.output_.seenBytes;
  }

  limitHits(): LimitHit[] {
    const limits = this.sandbox.limits;
    const hits: LimitHit[] = [];
    const usage = this.cgroup?.usage();
    if (usage && usage.forksRefused > 0)
      hits.push({ kind: "processes", limit: limits.processes, refused: usage.forksRefused });
    if (usage && (usage.oomKills > 0 || usage.memoryLimitHits > 0)) {
      hits.push({
        kind: "memory",
        limitBytes: limits.memoryBytes,
        how: usage.oomKills > 0 ? "oom-kill" : "limit-reached",
      });
    } else if (/^MemoryError\b/m.test(this.output_.text("stderr"))) {
      // Without a control group the address-space limit is the one it met.
      hits.push({ kind: "memory", limitBytes: limits.addressSpaceBytes, how: "memory-error" });
    }
    for (const cut of this.output_.cuts()) hits.push({ kind: "output", ...cut });
    // The disk limits show only in what the program says of its own writes: EFBIG (the file-size limit) and
    // ENOSPC (a full /work or /tmp).
    const stderr = this.output_.transcript;
    if (/\[Errno 27\]|File too large/.test(stderr))
      hits.push({ kind: "disk", what: "file-size", limitBytes: limits.fileSizeBytes });
    // The run's disk seen from outside: full now (bytes or files) and not when this program started, so this
    // program filled it, whatever it printed.
    const filled = this.diskFullAtStart === false && this.sandbox.workDiskFull() === true;
    if (filled || /\[Errno 28\]|No space left on device/.test(stderr))
      hits.push({ kind: "disk", what: "space", limitBytes: limits.tmpBytes });
    return hits;
  }

  private async stopSequence(): Promise<Outcome> {
    if (!this.running) return this.outcome;
    this.killedBy ??= "stop";
    const grace = this.spec.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      const pids =
        this.pid === undefined ? [] : this.sandbox.programProcesses(this.pid, "student").map((p) => p.pid);
      if (pids.length === 0) break;
      this.stopSignals.push(signal);
      signalProcesses(pids, signal);
      if (await this.exitsWithin(grace)) return this.outcome;
    }
    this.kill();
    return this.outcome;
  }

  /** Stops the program because it ran into a limit (the outcome says which). */
  stopForLimit(): Promise<Outcome> {
    this.killedBy ??= "limit";
    return this.stop();
  }

  /** SIGKILLs the whole tree, launcher included (bwrap dies with its parent as well). */
  private kill(): void {
    if (!this.running || this.pid === undefined) return;
    this.sampleCpu();
    this.stopSignals.push("SIGKILL");
    const pids = this.sandbox.programProcesses(this.pid, "all").map((p) => p.pid);
    signalProcesses([...pids, this.pid], "SIGKILL");
  }

  private async exitsWithin(ms: number): Promise<boolean> {
    const result = await pollUntil({
      check: () => (this.running ? undefined : true),
      ended: this.outcome,
      timeoutMs: ms,
      intervalMs: POLL_MS,
    });
    return !("timedOut" in result);
  }

  /**
   * Waits for the output still in the pipes after the exit: until they close, or until a whole DRAIN_MS
   * window brings no byte (a daemon that kept them open does not get to hold us). Each window ends with one
   * turn of the event loop for pending reads, so a loop that was busy (a loaded machine) loses no output:
   * its timers would otherwise run before the reads that were waiting.
   */
  private async drain(): Promise<void> {
    let closed = false;
    const ended = this.subprocess.then(
      () => {
        closed = true;
      },
      () => {
        closed = true;
      },
    );
    let seen = -1;
    for (let round = 0; round < MAX_DRAIN_ROUNDS && !closed; round++) {
      await Promise.race([ended, new Promise((r) => setTimeout(r, DRAIN_MS))]);
      await new Promise((r) => setImmediate(r));
      if (closed || this.output_.seenBytes === seen) return;
      seen = this.output_.seenBytes;
    }
  }

  private sampleCpu(): number | null {
    if (this.pid === undefined) return null;
    const tree = this.sandbox.programProcesses(this.pid, "all");
    if (tree.length === 0) return null;
    const total = tree.reduce((sum, p) => sum + p.cpuMs, 0);
    this.lastCpuMs = Math.max(this.lastCpuMs ?? 0, total);
    return total;
  }

  private async finish(): Promise<Outcome> {
    const { subprocess } = this;
    const exit = await new Promise<{ code: number | null; signal: string | null; error?: Error }>(
      (resolve) => {
        subprocess.once("exit", (code, signal) => resolve({ code, signal }));
        subprocess.once("error", (error) => resolve({ code: null, signal: null, error }));
      },
    );
    this.running = false;
    const wallMs = Math.round(performance.now() - this.startedAt);
    await this.drain();
    for (const stream of [
      subprocess.stdout,
      subprocess.stderr,
      subprocess.stdio[3] as unknown as Pipe | null,
    ]) {
      stream?.destroy();
    }
    this.output_.end("stdout");
    this.output_.end("stderr");
    const stderr = this.output_.text("stderr");
    const launcherFailure = exit.code !== 0 && LAUNCHER_ERROR.test(stderr) ? stderr.trim() : undefined;
    const startError = exit.error?.message ?? launcherFailure;
    const status = decodeStatus(exit.code, exit.signal);
    const cpuMs = this.cgroup?.cpuMs() ?? parseReporter(this.reporterText) ?? this.lastCpuMs;
    const limits = this.sandbox.limits;
    const hits = this.limitHits();
    if (this.killedBy === undefined && hits.some((h) => h.kind === "memory" && h.how === "oom-kill")) {
      this.killedBy = "limit";
    }
    if (this.killedBy === undefined && (status.signal === "SIGXCPU" || status.signal === "SIGXFSZ")) {
      this.killedBy = "limit";
    }
    if (
      this.killedBy === undefined &&
      status.signal === "SIGKILL" &&
      (cpuMs ?? 0) >= limits.cpuSeconds * 1000
    ) {
      this.killedBy = "limit";
    }
    const notFound = commandNotFound(status.exitCode, stderr);
    const facts = {
      ...status,
      ...(this.killedBy === undefined ? {} : { killedBy: this.killedBy }),
      stopSignals: this.stopSignals,
      timeoutMs: this.spec.timeoutMs,
      cpuLimitSeconds: limits.cpuSeconds,
      endedWithRun: this.endedWithRun,
      truncated: this.output_.truncated,
      ...(startError === undefined ? {} : { startError }),
      limits: hits,
      ...(notFound === undefined ? {} : { notFound }),
    };
    return {
      name: this.name,
      command: this.command,
      ...status,
      timedOut: this.killedBy === "timeout",
      ...(this.killedBy === undefined ? {} : { killedBy: this.killedBy }),
      stdout: this.output_.text("stdout"),
      stderr,
      lines: this.output_.lines,
      wallMs,
      cpuMs,
      truncated: this.output_.truncated,
      ...(startError === undefined ? {} : { startError }),
      limits: hits,
      description: describeOutcome(facts),
    };
  }
}

/** The children's CPU time from the reporter shell's `times` output ("0m0.120s 0m0.030s" on its second line). */
export function parseReporter(text: string): number | null {
  const line = text.trim().split("\n")[1];
  const found = line?.match(/^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/);
  if (!found) return null;
  const [, um = "0", us = "0", sm = "0", ss = "0"] = found;
  return Math.round((Number(um) * 60 + Number(us) + Number(sm) * 60 + Number(ss)) * 1000);
}
