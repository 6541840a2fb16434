// SIGINT and SIGTERM while socklab grades: the first stops the grading in order (runs ended, results written
// and marked interrupted, staging removed) and the command exits 130 or 143; a second one exits at once
// (staging folders are still removed on the way out).
import type { Output } from "./output.ts";

export type StopSignal = "SIGINT" | "SIGTERM";

/** The exit code of a command stopped by `signal` (128 + its number). */
export const STOP_EXIT: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143 };

/** Runs `job` with an AbortSignal that fires on SIGINT or SIGTERM; says which signal stopped it, if any. */
export async function withStopSignals<T>(
  output: Output,
  job: (signal: AbortSignal) => Promise<T>,
): Promise<{ value: T; stoppedBy: StopSignal | undefined }> {
  const controller = new AbortController();
  let stoppedBy: StopSignal | undefined;
  const handlers = (["SIGINT", "SIGTERM"] as const).map((name) => {
    const handler = () => {
      if (stoppedBy !== undefined) process.exit(STOP_EXIT[name]);
      stoppedBy = name;
      output.err(`socklab: ${name} — stopping every run and writing the results graded so far …`);
      controller.abort();
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  try {
    const value = await job(controller.signal);
    return { value, stoppedBy };
  } finally {
    for (const [name, handler] of handlers) process.off(name, handler);
  }
}
