// One sandboxed run of a task: a server (the student's or the reference), clients driven by the task, socket
// snapshots, the server's idle CPU, then teardown, the capture checked and analysed. Everything that happens
// is recorded as data (RunRecord) for the checks; nothing here decides a verdict.
import { mkdir, stat, truncate } from "node:fs/promises";
import { analyseCapture } from "../analyse/index.ts";
import type { CaptureAnalysis } from "../analyse/types.ts";
import {
  type CaptureFinding,
  type OfferedTraffic,
  offeredPastBudget,
  parseTcpdumpStats,
  trimPartialRecord,
  verifyCapture,
} from "../capture/index.ts";
import { type Fault, faultOf } from "../fault/index.ts";
import {
  type Outcome,
  type Program,
  type ProgramRole,
  type ProgramSource,
  runScript,
  type ScriptResult,
  type ScriptStep,
  type StepResult,
  sizeText,
  startProgram,
  waitForPort,
} from "../run/index.ts";
import {
  backoff,
  type CaptureBudget,
  openSandbox,
  type Sandbox,
  type SandboxMode,
  type SocketEntry,
  SocketWatch,
} from "../sandbox/index.ts";
import type { InteractiveReport } from "./interactive-report.ts";
import type { Limit } from "./limiter.ts";

export type { ProgramRole, ProgramSource } from "../run/index.ts";

/** Where the reference solutions and socklab's probes live on the host, shown read-only inside runs. */
export interface ProgramFolders {
  readonly reference: string;
  readonly probes: string;
}

export interface Snapshot {
  /** Taken by the driver while its clients ran, or by socklab once they had left. */
  readonly kind: "during" | "after";
  readonly label: string;
  /** Milliseconds since the run started. */
  readonly atMs: number;
  readonly sockets: readonly SocketEntry[];
  /** `ss -tanup` inside the run, for reports. */
  readonly ss: string;
}

export interface ProgramRecord {
  readonly role: ProgramRole;
  readonly outcome: Outcome;
  readonly script: ScriptResult | null;
}

/** What a task's driver can do inside a run. */
export interface RunContext {
  readonly sandbox: Sandbox;
  readonly server: Program;
  /** Milliseconds since the run started. */
  elapsed(): number;
  /** Starts a client program (recorded with the run). */
  start(role: ProgramRole): Promise<Program>;
  /** Starts a program, optionally plays a script on its stdin, and waits for it to end. */
  runClient(role: ProgramRole, script?: readonly ScriptStep[]): Promise<ProgramRecord>;
  /** Plays a script on a started program and records the result with it. */
  play(program: Program, script: readonly ScriptStep[]): Promise<ScriptResult>;
  /** Waits until `count` TCP connections to the server port are ESTABLISHED (server side), polling /proc. */
  waitForEstablished(count: number, timeoutMs: number): Promise<boolean>;
  /**
   * A socket snapshot inside the run. With `established`, up to three readings are taken until one shows that
   * many ESTABLISHED sockets on the port (the kernel's socket table is read in pieces and may miss a socket
   * that changes meanwhile); the fullest is kept.
   */
  snapshot(label: string, established?: number): Promise<Snapshot>;
  /** Records a fact for the checks (one of the kinds of RunNotes). */
  note<K extends keyof RunNotes>(key: K, value: NonNullable<RunNotes[K]>): void;
}

/** What a run's driver records for the checks, beside its programs, snapshots and capture. */
export interface RunNotes {
  /** The interactive-clients scenario: each client's typed line and whether its echo came back. */
  readonly interactive?: InteractiveReport;
  /** socklab's own lossy link did not start (its fault, said in the checks that read the run). */
  readonly linkError?: string;
}

export interface RunSpec {
  /** "main", "reference-client", "probe", "reference-server". */
  readonly name: string;
  /** The task's own kind of run (e.g. the lossy links of reliable UDP), for checks that judge every run of a kind. */
  readonly group?: string;
  readonly title: string;
  readonly protocol: "tcp" | "udp";
  readonly port: number;
  readonly server: ProgramRole;
  readonly drive: (ctx: RunContext) => Promise<void>;
  /** After the driver: measure the server's CPU time over this window (ms), and whether it still listens. */
  readonly idleCpuWindowMs?: number;
  readonly readyTimeoutMs?: number;
  /** Take a socket snapshot after the clients left (TIME_WAIT, LISTEN); default: only for the "main" run. */
  readonly snapshotAfter?: boolean;
  /** nftables rules loaded inside the run before the capture starts (deterministic kernel drops). */
  readonly nftRules?: string;
  /** Analyse every conversation of the capture, not only those on `port` (e.g. both legs of a proxy). */
  readonly analyseAllPorts?: boolean;
  /** Ports besides `port` the run uses (host mode filters its capture to them). */
  readonly extraPorts?: readonly number[];
}

export interface RunRecord {
  readonly name: string;
  /** The spec's group, or null. */
  readonly group: string | null;
  readonly title: string;
  readonly protocol: "tcp" | "udp";
  readonly port: number;
  readonly mode: "namespace" | "host";
  readonly outDir: string;
  /** Null only when the run failed before the server could be started (see `faults`). */
  readonly serverReady: StepResult<SocketEntry> | null;
  readonly server: ProgramRecord | null;
  /** Clients and other programs, in start order. */
  readonly clients: readonly ProgramRecord[];
  readonly snapshots: readonly Snapshot[];
  /** The server's CPU time over an idle window after the clients left, how many of the window's samples found
   * one of its threads runnable, and how many lines it printed meanwhile. */
  readonly idleCpu: {
    readonly windowMs: number;
    readonly cpuMs: number;
    readonly samples: number;
    readonly runnableSamples: number;
    /** Lines the server printed during the window. */
    readonly lines: number;
  } | null;
  /** Whether the server still listened (TCP) or was bound (UDP) after the clients left; null if not looked at. */
  readonly listeningAfter: boolean | null;
  /** Whether the server was still running when the driver finished. */
  readonly serverRunningAtEnd: boolean;
  readonly captureFile: string | null;
  readonly analysis: CaptureAnalysis | null;
  readonly captureFindings: readonly CaptureFinding[];
  readonly notes: RunNotes;
  /**
   * socklab's own faults (never the student's): a program of its own, or the launcher of any program, that
   * could not start; a capture it could not read; a driver that threw; a sandbox that failed. Any fault makes
   * the checks that read this run errored.
   */
  readonly faults: readonly Fault[];
  readonly warnings: readonly string[];
  readonly wallMs: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** How often the idle window looks at the server's threads. */
const IDLE_SAMPLE_MS = 20;
/** A server's own limit when its role sets none: a safety net only, since socklab stops the server when the
 * run's driver is done, and every wait of a driver is bounded. Tasks whose clients run long set their own. */
const SERVER_TIMEOUT_MS = 120_000;

function bindsFor(role: ProgramRole, folders: ProgramFolders) {
  const own = bindsForSource(role, folders);
  if (!role.extraBinds?.length) return own;
  return { ...own, readOnlyBinds: [...(own.readOnlyBinds ?? []), ...role.extraBinds] };
}

function bindsForSource(
  role: ProgramRole,
  folders: ProgramFolders,
): { readOnlyBinds?: ({ host: string; at: string } | string)[]; cwd?: string } {
  if (role.source === "reference")
    return {
      readOnlyBinds: [{ host: folders.reference, at: "/opt/socklab/reference" }],
      cwd: "/opt/socklab/reference",
    };
  if (role.source === "probe")
    return {
      readOnlyBinds: [{ host: folders.probes, at: "/opt/socklab/probes" }],
      cwd: "/opt/socklab/probes",
    };
  return role.cwd === undefined ? {} : { cwd: role.cwd };
}

const unlimited: Limit = (job) => job();

/**
 * Fault injection for socklab's own tests (SOCKLAB_FAULT): `reference-start`, `probe-start` or
 * `student-start` makes the launcher of such programs fail (bubblewrap is given a folder that does not
 * exist); `capture` cuts the run's capture to 10 bytes before it is read; `capture-drops` reads tcpdump's
 * statistics as if the kernel had dropped packets. Unset in real gradings.
 */
export type InjectedFault = `${ProgramSource}-start` | "capture" | "capture-drops";

function injectedFault(): InjectedFault | undefined {
  const value = process.env.SOCKLAB_FAULT?.trim();
  return value === "reference-start" ||
    value === "probe-start" ||
    value === "student-start" ||
    value === "capture" ||
    value === "capture-drops"
    ? value
    : undefined;
}

const MISSING_FOLDER = "/nonexistent/socklab-injected-fault";

/** The fault of a program whose launcher failed, so the program never ran. */
function startFault(role: ProgramRole, startError: string): Fault {
  const whose = role.source === "student" ? "the student's" : `its own ${role.source}`;
  return {
    stage: "run",
    owner: "socklab",
    code: "program-not-started",
    message: `socklab could not start ${whose} program "${role.name}": ${startError}`,
  };
}

/**
 * Runs one spec in a fresh sandbox and records everything. Never throws for the student's behaviour.
 * `heavy` bounds the CPU-heavy phases (opening the sandbox and starting the server; closing and analysing the
 * capture), so that many runs that mostly wait on their programs' schedules can be open at once.
 */
export async function executeRun(
  spec: RunSpec,
  submission: string,
  outDir: string,
  folders: ProgramFolders,
  heavy: Limit = unlimited,
  mode: SandboxMode | "auto" = "auto",
): Promise<RunRecord> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  await mkdir(outDir, { recursive: true });
  const sandbox = await openSandbox({
    outDir,
    submission,
    mode,
    startSlot: heavy,
    ports: [spec.port, ...(spec.extraPorts ?? [])],
    ...(spec.nftRules === undefined ? {} : { nftRules: spec.nftRules }),
  });
  const clients: { role: ProgramRole; program: Program; script: ScriptResult | null }[] = [];
  const snapshots: Snapshot[] = [];
  const notes: { -readonly [K in keyof RunNotes]: RunNotes[K] } = {};
  const faults: Fault[] = [];
  const inject = injectedFault();
  const launch = (role: ProgramRole, timeoutMs: number) => {
    const binds = bindsFor(role, folders);
    const broken = inject === `${role.source}-start`;
    return startProgram(sandbox, {
      name: role.name,
      command: role.command,
      timeoutMs,
      stdin: role.stdin ?? "ignore",
      ...(role.env === undefined ? {} : { env: role.env }),
      ...binds,
      ...(broken ? { readOnlyBinds: [...(binds.readOnlyBinds ?? []), MISSING_FOLDER] } : {}),
    });
  };
  let server: Program | undefined;
  let serverReady: StepResult<SocketEntry> | undefined;
  let idleCpu: RunRecord["idleCpu"] = null;
  let listeningAfter: boolean | null = null;
  let serverRunningAtEnd = false;
  try {
    [server, serverReady] = await heavy(async () => {
      const started = await launch(spec.server, spec.server.timeoutMs ?? SERVER_TIMEOUT_MS);
      const ready = await waitForPort(sandbox, {
        protocol: spec.protocol,
        port: spec.port,
        program: started,
        timeoutMs: spec.readyTimeoutMs ?? 5000,
      });
      return [started, ready] as const;
    });
    if (serverReady.status === "done") {
      const srv = server;
      // Connections to the server are TCP's (a UDP spec's connected sockets are in the UDP tables).
      const established = new SocketWatch(
        sandbox,
        spec.protocol === "tcp" ? ["tcp", "tcp6"] : ["udp", "udp6"],
      );
      const ctx: RunContext = {
        sandbox,
        server: srv,
        elapsed,
        async start(role) {
          const program = await launch(role, role.timeoutMs ?? DEFAULT_TIMEOUT_MS);
          clients.push({ role, program, script: null });
          return program;
        },
        async runClient(role, script) {
          const program = await ctx.start(role);
          const entry = clients.find((c) => c.program === program)!;
          if (script) {
            entry.script = await runScript(program, script);
            if (entry.script.status === "failed") await program.stop();
          }
          return { role, outcome: await program.outcome, script: entry.script };
        },
        async play(program, script) {
          const result = await runScript(program, script);
          const entry = clients.find((c) => c.program === program);
          if (entry) entry.script = result;
          return result;
        },
        async waitForEstablished(count, timeoutMs) {
          const deadline = performance.now() + timeoutMs;
          let pause: number | undefined;
          // Looked at once at least, even with no time left; the last look reads the tables whatever the
          // counters say.
          for (;;) {
            const last = !srv.running || performance.now() >= deadline;
            const table = await established.sockets(last);
            const n = table.filter((e) => e.localPort === spec.port && e.state === "ESTABLISHED").length;
            if (n >= count) return true;
            if (last) return false;
            pause = backoff(pause);
            await new Promise((r) => setTimeout(r, pause));
          }
        },
        async snapshot(label, established) {
          const onPort = (sockets: readonly SocketEntry[]) =>
            sockets.filter((e) => e.localPort === spec.port && e.state === "ESTABLISHED").length;
          let best: Snapshot | null = null;
          for (let attempt = 0; attempt < (established === undefined ? 1 : 3); attempt++) {
            const shot: Snapshot = {
              kind: "during",
              label,
              atMs: elapsed(),
              sockets: await sandbox.socketTable(),
              ss: await sandbox.ss(),
            };
            if (best === null || onPort(shot.sockets) > onPort(best.sockets)) best = shot;
            if (established === undefined || onPort(best.sockets) >= established) break;
          }
          snapshots.push(best!);
          return best!;
        },
        note(key, value) {
          notes[key] = value;
        },
      };
      try {
        await spec.drive(ctx);
      } catch (error) {
        const fault = faultOf(error);
        faults.push({ ...fault, message: `the ${spec.name} run's driver failed: ${fault.message}` });
      }
      // Clients still running after the driver are stopped (their outcome says so).
      await Promise.all(clients.filter((c) => c.program.running).map((c) => c.program.stop()));
      serverRunningAtEnd = srv.running;
      if (spec.idleCpuWindowMs !== undefined && srv.running) {
        const before = srv.cpuTimeMs();
        const linesBefore = srv.lineCount();
        // A measurement window, not synchronisation: CPU used by a server that should be idle, and how often
        // one of its threads was runnable (a spinning thread is, however little CPU a loaded machine gives it).
        const samples = Math.max(1, Math.round(spec.idleCpuWindowMs / IDLE_SAMPLE_MS));
        let runnableSamples = 0;
        for (let i = 0; i < samples; i++) {
          await new Promise((r) => setTimeout(r, IDLE_SAMPLE_MS));
          if (srv.runnableThreads() > 0) runnableSamples++;
        }
        idleCpu = {
          windowMs: spec.idleCpuWindowMs,
          cpuMs: Math.max(0, srv.cpuTimeMs() - before),
          samples,
          runnableSamples,
          lines: srv.lineCount() - linesBefore,
        };
      }
      if (srv.running) {
        const bound = (e: SocketEntry) =>
          e.localPort === spec.port &&
          (spec.protocol === "tcp" ? e.state === "LISTEN" : e.stateCode === 0x07 && e.remotePort === 0);
        // The kernel's table is read in pieces and can miss a socket while other runs' sockets change: a
        // missing listener is looked for again before it counts as gone.
        let table = await sandbox.socketTable();
        for (let attempt = 1; attempt < 3 && !table.some(bound); attempt++)
          table = await sandbox.socketTable();
        listeningAfter = table.some(bound);
        if (spec.snapshotAfter ?? spec.name === "main") {
          snapshots.push({
            kind: "after",
            label: "after the clients left",
            atMs: elapsed(),
            sockets: table,
            ss: await sandbox.ss(),
          });
        }
      }
    }
  } catch (error) {
    const fault = faultOf(error, "run");
    faults.push({ ...fault, owner: "socklab", message: `the ${spec.name} run failed: ${fault.message}` });
  } finally {
    if (server?.running) await server.stop().catch(() => undefined);
  }
  return heavy(() =>
    finishRun(
      spec,
      sandbox,
      { server, serverReady, clients, snapshots, notes, faults, inject },
      {
        outDir,
        elapsed,
        idleCpu,
        listeningAfter,
        serverRunningAtEnd,
      },
    ),
  );
}

interface RunState {
  readonly server: Program | undefined;
  readonly serverReady: StepResult<SocketEntry> | undefined;
  readonly clients: readonly { role: ProgramRole; program: Program; script: ScriptResult | null }[];
  readonly snapshots: Snapshot[];
  readonly notes: RunNotes;
  readonly faults: Fault[];
  readonly inject: InjectedFault | undefined;
}

// Closes the sandbox, reads and analyses its capture, and assembles the record.
async function finishRun(
  spec: RunSpec,
  sandbox: Sandbox,
  state: RunState,
  more: {
    outDir: string;
    elapsed: () => number;
    idleCpu: RunRecord["idleCpu"];
    listeningAfter: boolean | null;
    serverRunningAtEnd: boolean;
  },
): Promise<RunRecord> {
  const { server, serverReady, clients, snapshots, notes, faults } = state;
  const { outDir, elapsed, idleCpu, listeningAfter, serverRunningAtEnd } = more;
  const closed = await sandbox.close();
  let analysis: CaptureAnalysis | null = null;
  let captureFindings: CaptureFinding[] = [];
  const captureNotes: string[] = [];
  const stats = parseTcpdumpStats(closed.tcpdumpStderr);
  const seen = state.inject === "capture-drops" ? { ...stats, droppedByKernel: 22 } : stats;
  const offered =
    closed.budgetExceeded === null && closed.captureFile
      ? offeredPastBudget(seen, await fileSize(closed.captureFile), closed.captureBudget)
      : null;
  const exceeded = closed.budgetExceeded ?? offered?.exceeded ?? null;
  const budget = exceeded === null ? null : budgetFault(spec, closed.captureBudget, exceeded, offered);
  if (budget) faults.push(budget);
  else if (closed.captureEnded) {
    faults.push({
      stage: "capture",
      owner: "socklab",
      code: "capture-ended",
      message: `socklab's capture of the ${spec.name} run stopped before the run ended (tcpdump exited with code ${closed.tcpdumpExitCode}: ${closed.tcpdumpStderr.trim().split("\n").slice(-2).join(" ")})`,
    });
  }
  if (closed.captureFile) {
    try {
      if (state.inject === "capture") await truncate(closed.captureFile, 10);
      // Past the budget the run's traffic checks fail whatever the capture holds: keep its beginning (whole
      // records) for the report, so that a class of floods neither fills the out dir nor the grader's memory.
      if (budget) {
        const kept = await trimPartialRecord(closed.captureFile, KEPT_OVER_BUDGET);
        if (kept && kept.droppedBytes > 0) {
          captureNotes.push(
            `the run's traffic went past the capture budget: the capture beside the report keeps its first ${sizeText(KEPT_OVER_BUDGET)} (${kept.records.toLocaleString("en-US")} packets)`,
          );
        }
      }
      analysis = await analyseCapture(closed.captureFile, spec.analyseAllPorts ? {} : { port: spec.port });
      captureFindings = verifyCapture(seen, analysis.capture.packets);
      // A capture that misses packets (the kernel dropped them for tcpdump, or the file holds fewer than
      // tcpdump wrote) cannot show what the programs did: the run is socklab's to redo, never the student's.
      // Past the budget the capture was cut on purpose, and drops during the flood change nothing.
      for (const finding of captureFindings.filter((f) => f.severity === "error" && !budget)) {
        faults.push({
          stage: "capture",
          owner: "socklab",
          code: finding.code,
          message: `socklab's capture of the ${spec.name} run is incomplete: ${finding.message}`,
        });
      }
    } catch (error) {
      const fault = faultOf(error, "capture");
      faults.push({
        ...fault,
        owner: "socklab",
        message: `socklab could not read its own capture: ${fault.message}`,
      });
    }
  }
  const serverOutcome = server ? await server.outcome : undefined;
  const programs = await Promise.all(
    clients.map(async (c) => ({ role: c.role, outcome: await c.program.outcome, script: c.script })),
  );
  for (const p of [...(serverOutcome ? [{ role: spec.server, outcome: serverOutcome }] : []), ...programs]) {
    if (p.outcome.startError !== undefined) faults.push(startFault(p.role, p.outcome.startError));
  }
  return {
    name: spec.name,
    group: spec.group ?? null,
    title: spec.title,
    protocol: spec.protocol,
    port: spec.port,
    mode: sandbox.mode,
    outDir,
    serverReady: serverReady ?? null,
    server: serverOutcome ? { role: spec.server, outcome: serverOutcome, script: null } : null,
    clients: programs,
    snapshots,
    idleCpu,
    listeningAfter,
    serverRunningAtEnd,
    captureFile: closed.captureFile,
    analysis,
    captureFindings,
    notes,
    faults,
    warnings: [...sandbox.warnings, ...closed.warnings, ...captureNotes],
    wallMs: elapsed(),
  };
}

/** What is kept of the capture of a run whose traffic went past the capture budget. */
const KEPT_OVER_BUDGET = 1024 * 1024;

/** The size of a file, 0 when it cannot be read (the capture's reading then says why). */
async function fileSize(path: string): Promise<number> {
  return (await stat(path).catch(() => null))?.size ?? 0;
}

/**
 * The submission's fault of a run whose traffic went past the capture budget (the capture stops there), or
 * came faster than it could be recorded and amounted to more than the budget (`offered`, estimated).
 */
function budgetFault(
  spec: RunSpec,
  budget: CaptureBudget,
  exceeded: "bytes" | "packets",
  offered: OfferedTraffic | null,
): Fault {
  const limit =
    exceeded === "bytes"
      ? `${sizeText(budget.bytes)} of capture`
      : `${budget.packets.toLocaleString("en-US")} packets`;
  const seen = offered
    ? `about ${offered.packets.toLocaleString("en-US")} packets (${sizeText(offered.bytes)}), came so fast that the kernel dropped ${offered.dropped.toLocaleString("en-US")} of them before socklab could record them`
    : "";
  return {
    stage: "capture",
    owner: "submission",
    code: "capture-budget",
    message: offered
      ? `the ${spec.name} run's traffic came faster than socklab can record it and amounted to more than ${limit}, socklab's capture budget per run, so what the programs did cannot be checked`
      : `the ${spec.name} run's traffic exceeded ${limit}, socklab's capture budget per run, so its capture ` +
        "stopped there and what the programs did after it cannot be checked",
    expected: `at most ${sizeText(budget.bytes)} and ${budget.packets.toLocaleString("en-US")} packets in one run (the handout's exchanges take a few kilobytes)`,
    actual: offered ? seen : `traffic past ${limit}: the capture stopped there`,
    help:
      "Look for a loop that sends without end or sends one byte per send() call, and for a client or server " +
      "that keeps talking after the exchange the task asks for.",
  };
}
