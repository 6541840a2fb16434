// A short host command run to completion (preflight, interpreter queries, ss). Student programs go through
// harness/run/process.ts instead.
import { execFile } from "node:child_process";

export interface HostCommandResult {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the command could not be started at all (e.g. ENOENT). */
  readonly spawnError?: string;
}

/** Runs `file args` with a time limit and returns what happened; never throws. */
export function runHostCommand(
  file: string,
  args: readonly string[],
  options: { readonly timeoutMs: number; readonly env?: NodeJS.ProcessEnv },
): Promise<HostCommandResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { timeout: options.timeoutMs, killSignal: "SIGKILL", env: options.env, maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const failure = error as (NodeJS.ErrnoException & { killed?: boolean; signal?: string }) | null;
        const spawnError = typeof failure?.code === "string" ? failure.message : undefined;
        resolve({
          exitCode: failure === null ? 0 : typeof failure.code === "number" ? failure.code : null,
          signal: failure?.signal ?? null,
          timedOut: failure?.killed === true && failure.signal === "SIGKILL",
          stdout: String(stdout),
          stderr: String(stderr),
          ...(spawnError === undefined ? {} : { spawnError }),
        });
      },
    );
  });
}
