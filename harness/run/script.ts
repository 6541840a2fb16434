// Scripted standard input: a scenario of lines to send, output to expect, and pauses between user inputs.
import type { OutputMatch } from "./output.ts";
import type { Program } from "./process.ts";
import { type StepFailure, stepEnded } from "./step.ts";

/**
 * One step of a scenario: send a line (a newline is added unless it ends with one), expect output (after the
 * previous match), pause, or close standard input. A pause is part of the scenario (a user thinking between
 * inputs), never a way to synchronise.
 */
export type ScriptStep =
  | { readonly send: string }
  | { readonly expect: RegExp | string; readonly timeoutMs: number; readonly what?: string }
  | { readonly pauseMs: number }
  | { readonly closeStdin: true };

/** What one step did. */
export interface ScriptStepRecord {
  readonly index: number;
  readonly step: ScriptStep;
  readonly elapsedMs: number;
  readonly match?: OutputMatch;
}

export type ScriptResult =
  | { readonly status: "done"; readonly steps: readonly ScriptStepRecord[]; readonly elapsedMs: number }
  | {
      readonly status: "failed";
      readonly steps: readonly ScriptStepRecord[];
      readonly elapsedMs: number;
      /** The index of the step that failed. */
      readonly failedStep: number;
      readonly failure: StepFailure;
    };

/** Runs `steps` against `program` in order and stops at the first step that cannot complete. */
export async function runScript(program: Program, steps: readonly ScriptStep[]): Promise<ScriptResult> {
  const started = performance.now();
  const records: ScriptStepRecord[] = [];
  const since = (t: number) => Math.round(performance.now() - t);
  for (const [index, step] of steps.entries()) {
    const stepStarted = performance.now();
    if ("send" in step) {
      const text = step.send.endsWith("\n") ? step.send : `${step.send}\n`;
      if (!program.write(text)) {
        const what = `sending ${JSON.stringify(step.send)} to its standard input`;
        const failure = stepEnded(what, since(stepStarted), await program.outcome);
        return { status: "failed", steps: records, elapsedMs: since(started), failedStep: index, failure };
      }
      records.push({ index, step, elapsedMs: since(stepStarted) });
    } else if ("expect" in step) {
      const result = await program.waitForOutput(step.expect, step.timeoutMs, step.what);
      if (result.status !== "done") {
        return {
          status: "failed",
          steps: records,
          elapsedMs: since(started),
          failedStep: index,
          failure: result,
        };
      }
      records.push({ index, step, elapsedMs: result.elapsedMs, match: result.value });
    } else if ("pauseMs" in step) {
      await new Promise((resolve) => setTimeout(resolve, step.pauseMs));
      records.push({ index, step, elapsedMs: since(stepStarted) });
    } else {
      program.closeStdin();
      records.push({ index, step, elapsedMs: 0 });
    }
  }
  return { status: "done", steps: records, elapsedMs: since(started) };
}
