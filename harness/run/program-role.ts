// What a run starts: a program's role in it (its name, whose program it is, the command, how it is fed).
// The run stage's vocabulary, shared by everything above that plans runs (the link, the grader's drivers).

/** Whose program: the student's, socklab's reference solution, or one of socklab's probes. */
export type ProgramSource = "student" | "reference" | "probe";

/** A program to start: its role name, whose it is, and the command (placeholders already substituted). */
export interface ProgramRole {
  readonly name: string;
  readonly source: ProgramSource;
  readonly command: string;
  readonly stdin?: "pipe" | "ignore";
  readonly timeoutMs?: number;
  /** Extra host paths shown read-only at the same place (e.g. the Node binary of socklab's link proxy). */
  readonly extraBinds?: readonly string[];
  /** The student's program's working directory, relative to the submission's root (default: the root). */
  readonly cwd?: string;
  /** Environment variables for the program, on top of socklab's own few. */
  readonly env?: Readonly<Record<string, string>>;
}
