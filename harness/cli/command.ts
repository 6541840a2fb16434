// What a CLI command is: a name, one line of help, its usage text and a function from arguments to an exit code.
import type { Output } from "./output.ts";

/** Exit codes: 0 all passed / done, 1 some check failed, 2 socklab itself could not run. */
export const EXIT = { ok: 0, failed: 1, harness: 2 } as const;

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(args: string[], output: Output): Promise<number>;
}
