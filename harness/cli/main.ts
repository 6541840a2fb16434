// socklab's command table and entry point: maps a command name to its module and turns harness errors
// into one clear line on stderr and exit code 2.

import { SocklabError } from "../fault/index.ts";
import { VERSION } from "../install/index.ts";
import { analyseCommand } from "./analyse.ts";
import { checkCommand } from "./check.ts";
import { ciCommand } from "./ci.ts";
import { type Command, EXIT } from "./command.ts";
import { doctorCommand } from "./doctor.ts";
import { gradeCommand } from "./grade.ts";
import { gradescopeCommand } from "./gradescope.ts";
import { UsageError } from "./harness-error.ts";
import { initCommand } from "./init.ts";
import { mergeCommand } from "./merge.ts";
import { type Output, processOutput } from "./output.ts";
import { startCommand } from "./start.ts";
import { tasksCommand } from "./tasks.ts";

const commands: readonly Command[] = [
  checkCommand,
  gradeCommand,
  initCommand,
  tasksCommand,
  analyseCommand,
  startCommand,
  doctorCommand,
  ciCommand,
  gradescopeCommand,
  mergeCommand,
];

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const rows = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    "socklab — test harness and grader for the Python socket-programming lab",
    "",
    "Usage: socklab <command> [options]",
    "",
    "Commands:",
    ...rows,
    "",
    "Run `socklab <command> --help` for a command's options; `socklab --version` prints the version.",
  ].join("\n");
}

/** Runs the CLI with the given arguments and returns the process exit code. */
export async function main(argv: string[], output: Output = processOutput()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    output.out(helpText());
    return name === undefined ? EXIT.harness : EXIT.ok;
  }
  if (name === "--version" || name === "-V" || name === "version") {
    output.out(`socklab ${VERSION}`);
    return EXIT.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    output.err(`socklab: unknown command '${name}'. Commands: ${commands.map((c) => c.name).join(", ")}`);
    return EXIT.harness;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    output.out(command.usage);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, output);
  } catch (error) {
    return reportFailure(error, command, output);
  }
}

function reportFailure(error: unknown, command: Command, output: Output): number {
  if (error instanceof UsageError) {
    output.err(`socklab ${command.name}: ${error.message}\n\n${command.usage}`);
  } else if (error instanceof SocklabError || isCodedError(error)) {
    output.err(`socklab ${command.name}: ${(error as Error).message}`);
  } else {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    output.err(`socklab ${command.name}: internal error — please report it with this text:\n${detail}`);
  }
  return EXIT.harness;
}

// Errors from other stages (e.g. CaptureError) carry a string `code`: they are harness errors with a clear message.
function isCodedError(error: unknown): boolean {
  return error instanceof Error && typeof (error as { code?: unknown }).code === "string";
}
