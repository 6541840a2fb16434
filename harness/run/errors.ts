// The harness errors of the run stage: a manifest or caller asked for something that cannot be run. A
// student program that fails is an Outcome, never one of these.

import { SocklabError } from "../fault/index.ts";

export type RunErrorCode = "BAD_COMMAND" | "NO_PYTHON" | "NO_STDIN" | "LAUNCH_FAILED";

/** A harness error of the run stage, with a code and the underlying cause. */
export class RunError extends SocklabError<RunErrorCode> {
  override readonly name = "RunError";

  constructor(code: RunErrorCode, message: string, options?: { cause?: unknown }) {
    super("run", "socklab", code, message, options);
  }
}
