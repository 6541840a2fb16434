// The one base type of every error socklab raises on purpose. Each stage narrows `code` to its own union;
// `stage` says where it happened and `owner` whose problem it is, so that a grader never turns socklab's own
// fault into a student's failure. A Fault is the same facts as plain data, for results and reports.

/** The pipeline stage an error comes from. */
export type FaultStage = "sandbox" | "run" | "capture" | "impair" | "grade" | "cli";

/**
 * Whose problem it is: `socklab` (a program of its own would not start, its capture is unreadable, the sandbox
 * failed — never the student's fault), `submission` (the manifest or the files handed in), `user` (how socklab
 * was called, or a file the user named).
 */
export type FaultOwner = "socklab" | "submission" | "user";

/** An error socklab raises on purpose: a stable code, the stage, whose problem, and the underlying cause. */
export class SocklabError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly stage: FaultStage;
  readonly owner: FaultOwner;

  constructor(
    stage: FaultStage,
    owner: FaultOwner,
    code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "SocklabError";
    this.stage = stage;
    this.owner = owner;
    this.code = code;
  }
}

/** A fault as data: what results, reports and checks carry. */
export interface Fault {
  readonly stage: FaultStage;
  readonly owner: FaultOwner;
  readonly code: string;
  readonly message: string;
  /** For a submission's fault that fails a check: what was expected, what was seen, what to do about it. */
  readonly expected?: string;
  readonly actual?: string;
  readonly help?: string;
}

/** The fault an error stands for. Anything not raised on purpose is a fault of socklab's own. */
export function faultOf(error: unknown, stage: FaultStage = "grade"): Fault {
  if (error instanceof SocklabError) {
    return { stage: error.stage, owner: error.owner, code: error.code, message: error.message };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { stage, owner: "socklab", code: "internal", message };
}

/** The error that carries a fault found as data (e.g. in a run's record) to the code that must stop on it. */
export class FaultError extends SocklabError {
  readonly fault: Fault;

  constructor(fault: Fault) {
    super(fault.stage, fault.owner, fault.code, fault.message);
    this.name = "FaultError";
    this.fault = fault;
  }
}
