// Every wait of a run is a step: it ends done, timed out, or because the program ended first. All three are
// data; the messages name what was awaited and show the output so far.
import type { Outcome } from "./outcome.ts";

export interface StepDone<T> {
  readonly status: "done";
  readonly what: string;
  readonly elapsedMs: number;
  readonly value: T;
}

export interface StepTimeout {
  readonly status: "timeout";
  readonly what: string;
  readonly elapsedMs: number;
  readonly timeoutMs: number;
  readonly message: string;
  /** The end of the program's output at the time (both streams). */
  readonly output: string;
}

/** The program ended before the step could complete. */
export interface StepEnded {
  readonly status: "ended";
  readonly what: string;
  readonly elapsedMs: number;
  readonly message: string;
  readonly output: string;
  readonly outcome: Outcome;
}

export type StepResult<T> = StepDone<T> | StepTimeout | StepEnded;
export type StepFailure = StepTimeout | StepEnded;

/** How much of the output a failed step quotes. */
const OUTPUT_TAIL_CHARS = 2000;

/** The last part of `output`, for messages. */
export function outputTail(output: string, maxChars = OUTPUT_TAIL_CHARS): string {
  return output.length <= maxChars ? output : `…${output.slice(-maxChars)}`;
}

function quoted(output: string): string {
  const tail = outputTail(output).trimEnd();
  return tail === "" ? "(no output)" : `\n${tail}`;
}

export function stepTimeout(
  what: string,
  timeoutMs: number,
  elapsedMs: number,
  output: string,
  message?: string,
): StepTimeout {
  return {
    status: "timeout",
    what,
    elapsedMs,
    timeoutMs,
    output: outputTail(output),
    message: `${message ?? `timed out after ${timeoutMs} ms waiting for ${what}`}; output so far: ${quoted(output)}`,
  };
}

export function stepEnded(what: string, elapsedMs: number, outcome: Outcome, message?: string): StepEnded {
  const output = outcome.stdout + (outcome.stderr === "" ? "" : `\n${outcome.stderr}`);
  return {
    status: "ended",
    what,
    elapsedMs,
    outcome,
    output: outputTail(output),
    message: `${message ?? `${outcome.name} ended before ${what}: it ${outcome.description}`}; output: ${quoted(output)}`,
  };
}

/**
 * Polls `check` every `intervalMs` until it returns a value, `ended` resolves, or the timeout passes. `check`
 * runs once more after the deadline and after the end, so a late success still counts.
 */
export async function pollUntil<T, E>(options: {
  readonly check: () => T | undefined | Promise<T | undefined>;
  readonly ended: Promise<E>;
  readonly timeoutMs: number;
  readonly intervalMs: number;
}): Promise<{ value: T } | { ended: E } | { timedOut: true }> {
  const deadline = performance.now() + options.timeoutMs;
  let endedWith: { value: E } | undefined;
  options.ended.then((value) => {
    endedWith = { value };
  });
  for (;;) {
    const value = await options.check();
    if (value !== undefined) return { value };
    if (endedWith) return { ended: endedWith.value };
    const left = deadline - performance.now();
    if (left <= 0) return { timedOut: true };
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.intervalMs, left)));
  }
}
