// A lab task: its id and handout section, default host and port, its own manifest options (a zod schema),
// the runs it needs (student and reference programs in parallel sandboxes) and the checks over what they did.
import type { Protocol } from "../protocol/index.ts";
import type { CheckDefinition } from "./check.ts";
import type { TaskEntry, TaskSchemaInfo } from "./manifest.ts";
import type { Advice, EvidenceRef } from "./result.ts";
import type { RunRecord, RunSpec } from "./run-session.ts";
import type { z } from "./schema.ts";

/** What a task's runs and checks know: the student's entry, the reference's, and the seed. */
export interface TaskEnvironment<O> {
  readonly entry: TaskEntry<O>;
  /** The reference solution's commands for this task, with the student's host, port and options. */
  readonly reference: TaskEntry<O>;
  readonly seed: number;
  /** The student's application protocol for this task (its own `protocol` option, else the manifest's). */
  readonly protocol: Protocol | null;
}

/** What the checks of a task look at. */
export interface TaskEvidence<O> {
  readonly env: TaskEnvironment<O>;
  readonly runs: Readonly<Record<string, RunRecord>>;
}

export interface TaskDefinition<O = Record<string, unknown>> extends TaskSchemaInfo {
  readonly title: string;
  /** The handout section, e.g. "1.1". */
  readonly section: string;
  /** One paragraph for the report: what the task asks and what socklab checks. */
  readonly summary: string;
  readonly options: z.ZodObject;
  /** The runs, executed in parallel sandboxes. */
  runs(env: TaskEnvironment<O>): RunSpec[];
  readonly checks: readonly CheckDefinition<TaskEvidence<O>>[];
  /** Good practice looked for but not scored: each returns its advice, or null when there is nothing to say. */
  readonly advice?: readonly AdviceDefinition<TaskEvidence<O>>[];
  /** Task-specific Markdown sections for the report (e.g. an annotated hex dump). */
  sections?(evidence: TaskEvidence<O>): string[];
}

/** Declares a task (identity function, for types). */
export function defineTask<O>(definition: TaskDefinition<O>): TaskDefinition<O> {
  return definition;
}

/** Declares a check over a task's evidence (a task-specific check written inline in a task file). */
export function taskCheck(
  definition: CheckDefinition<TaskEvidence<unknown>>,
): CheckDefinition<TaskEvidence<unknown>> {
  return definition;
}

/** A piece of advice a task may give: looked for after the checks, never worth points. */
export interface AdviceDefinition<E> {
  readonly id: string;
  readonly run: (
    evidence: E,
  ) => (Omit<Advice, "id" | "evidence"> & { evidence?: readonly EvidenceRef[] }) | null;
}

/** Declares a piece of advice over a task's evidence. */
export function taskAdvice(
  definition: AdviceDefinition<TaskEvidence<unknown>>,
): AdviceDefinition<TaskEvidence<unknown>> {
  return definition;
}

/** Runs a task's advice definitions; one that throws is dropped (advice never decides anything). */
export function runAdvice<E>(definitions: readonly AdviceDefinition<E>[], evidence: E): Advice[] {
  const out: Advice[] = [];
  for (const def of definitions) {
    try {
      const found = def.run(evidence);
      if (found) out.push({ id: def.id, evidence: [], ...found });
    } catch {
      // Advice is a courtesy: a bug in one must not hide the verdicts.
    }
  }
  return out;
}
