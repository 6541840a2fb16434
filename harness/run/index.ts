// The run stage: student programs in a sandbox (start, output, stdin scenarios, readiness, stop, outcome).
export { formatCommand, splitCommand } from "./command.ts";
export { RunError, type RunErrorCode } from "./errors.ts";
export { type Interpreter, resolveInterpreter, substituteInterpreter } from "./interpreter.ts";
export { type LimitHit, limitText, sizeText } from "./limit-hit.ts";
export { decodeStatus, describeOutcome, type KilledBy, type Outcome, type OutcomeFacts } from "./outcome.ts";
export type { OutputLine, OutputMatch, StreamName } from "./output.ts";
export { type Program, type ProgramSpec, startProgram } from "./process.ts";
export type { ProgramRole, ProgramSource } from "./program-role.ts";
export { type PortWait, waitForPort } from "./readiness.ts";
export { runScript, type ScriptResult, type ScriptStep, type ScriptStepRecord } from "./script.ts";
export type { StepDone, StepEnded, StepFailure, StepResult, StepTimeout } from "./step.ts";
