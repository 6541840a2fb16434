// The manifest's `build:` step: one shell command (make, cc …), run once per grading in a sandbox like the
// tasks' runs — the submission copied as /work, no network but the loopback, the programs' limits with the
// build's own time limit — before any task. What it leaves in /work (binaries) becomes the folder every run
// starts from. Its output is kept for the report; a command that fails is the submission's, a sandbox that
// cannot be opened or read back is socklab's.

import { cp, mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { startProgram } from "../run/index.ts";
import { createStage, openSandbox, removeStage, type SandboxMode } from "../sandbox/index.ts";

/** What the build did, as the results and the report show it. */
export interface BuildSummary {
  readonly command: string;
  /** passed: exit 0; failed: the command failed (the submission's); errored: socklab could not run it. */
  readonly status: "passed" | "failed" | "errored";
  readonly exitCode: number | null;
  /** How the command ended, in words ("exited with code 1", "was stopped after its 60 s limit"). */
  readonly description: string;
  readonly durationMs: number;
  /** The last 8 KiB of what it printed (stdout and stderr, in order). */
  readonly output: string;
}

export interface BuildOptions {
  readonly command: string;
  readonly timeoutSeconds: number;
  /** Where the build's (empty) capture goes. */
  readonly outDir: string;
  readonly mode: SandboxMode | "auto";
}

/** The build's summary and, when it passed, the folder with what it built (the caller releases it). */
export interface Built {
  readonly summary: BuildSummary;
  readonly folder: string | null;
  release(): Promise<void>;
}

const OUTPUT_KEPT = 8 * 1024;

/**
 * The compiler or make a build could not find (the shell's "not found", exit code 127), or null: socklab's
 * set-up installs those, so their absence is the machine's lack, not the submission's fault. Any other
 * missing command is the submission's.
 */
export function missingTool(exitCode: number | null, output: string): string | null {
  if (exitCode !== 127) return null;
  return /\b(cc|gcc|g\+\+|c\+\+|clang|make): (?:command )?not found/.exec(output)?.[1] ?? null;
}

/** Runs the build of the submission in `dir`. Never throws for the submission's behaviour. */
export async function buildSubmission(dir: string, options: BuildOptions): Promise<Built> {
  const started = performance.now();
  const summary = (fields: Omit<BuildSummary, "command" | "durationMs">): BuildSummary => ({
    command: options.command,
    durationMs: Math.round(performance.now() - started),
    ...fields,
  });
  const none = async () => {};
  let sandbox: Awaited<ReturnType<typeof openSandbox>> | undefined;
  try {
    await mkdir(options.outDir, { recursive: true });
    sandbox = await openSandbox({
      outDir: options.outDir,
      submission: dir,
      mode: options.mode,
      capture: false,
      workDirBytes: 256 * 1024 * 1024,
      limits: { cpuSeconds: options.timeoutSeconds, fileSizeBytes: 128 * 1024 * 1024 },
    });
    const program = await startProgram(sandbox, {
      name: "build",
      command: ["sh", "-c", options.command],
      timeoutMs: options.timeoutSeconds * 1000,
    });
    const outcome = await program.outcome;
    const output = outcome.lines.map((l) => l.text).join("\n");
    const kept = output.length > OUTPUT_KEPT ? `…\n${output.slice(-OUTPUT_KEPT)}` : output;
    if (outcome.startError !== undefined) {
      return {
        summary: summary({
          status: "errored",
          exitCode: null,
          description: outcome.startError,
          output: kept,
        }),
        folder: null,
        release: none,
      };
    }
    const missing = missingTool(outcome.exitCode, output);
    if (missing !== null) {
      const description = `the machine that runs socklab has no ${missing} (socklab doctor --install installs it)`;
      return {
        summary: summary({ status: "errored", exitCode: 127, description, output: kept }),
        folder: null,
        release: none,
      };
    }
    if (outcome.exitCode !== 0) {
      return {
        summary: summary({
          status: "failed",
          exitCode: outcome.exitCode,
          description: outcome.description,
          output: kept,
        }),
        folder: null,
        release: none,
      };
    }
    // What the build left in /work is where every run starts: copied out before the sandbox goes.
    const stage = await createStage("built-");
    const folder = join(stage, "submission");
    const work = sandbox.workPath("");
    await mkdir(folder);
    for (const name of await readdir(work)) {
      if (name === ".tmp") continue; // the programs' private /tmp folders
      await cp(join(work, name), join(folder, name), { recursive: true, verbatimSymlinks: true });
    }
    return {
      summary: summary({ status: "passed", exitCode: 0, description: outcome.description, output: kept }),
      folder,
      release: () => removeStage(stage),
    };
  } catch (error) {
    return {
      summary: summary({
        status: "errored",
        exitCode: null,
        description: `socklab could not run the build: ${(error as Error).message}`,
        output: "",
      }),
      folder: null,
      release: none,
    };
  } finally {
    await sandbox?.close().catch(() => undefined);
  }
}
