// A command's arguments read with node:util's parseArgs (strict, positionals allowed); a mistake in them is
// the user's, reported as a UsageError (one line, exit 2).
import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "./harness-error.ts";

/** Parses `args` against `options`; unknown options and missing values throw UsageError. */
export function parseCommandArgs<const O extends NonNullable<ParseArgsConfig["options"]>>(
  args: string[],
  options: O,
) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
