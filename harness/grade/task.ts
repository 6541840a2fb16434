// A lab task: its id and handout section, default host and port, its own manifest options (a zod schema),
// the runs it needs (student and reference programs in parallel sandboxes) and the checks over what they did.
// A task file writes a `TaskDefinition` typed by its options schema; `defineTask` seals that type in and
// gives the grader a `Task`, which reads its options from the manifest with the same schema.
import type { Protocol } from "../protocol/index.ts";
import type { z } from "../schema/index.ts";
import type { RunRecord, RunSpec } from "../session/index.ts";
import type { CheckDefinition } from "./check.ts";
import type { AnyOptions, TaskEntry, TaskSchemaInfo } from "./manifest.ts";
import type { Advice, EvidenceRef } from "./result.ts";

/** What a task's runs and checks know: the student's entry, the reference's, and the seed. */
export interface TaskEnvironment<O = AnyOptions> {
  readonly entry: TaskEntry<O>;
  /** The reference solution's commands for this task, with the student's host, port and options. */
  readonly reference: TaskEntry<O>;
  readonly seed: number;
  /** The student's application protocol for this task (its own `protocol` option, else the manifest's). */
  readonly protocol: Protocol | null;
}

/** What the checks of a task look at. */
export interface TaskEvidence<O = AnyOptions> {
  readonly env: TaskEnvironment<O>;
  readonly runs: Readonly<Record<string, RunRecord>>;
}

/** How `socklab init` recognises a task's programs by their file names when it drafts a manifest. */
export interface InitHints {
  /**
   * Word patterns: a file whose name holds every word of one pattern (lower case, in any order) belongs to
   * the task, e.g. [["udp", "echo"], ["udp", "eco"]]. Whether it is the server or the client is told by
   * words every task shares (server, servidor, client, cliente…).
   */
  readonly match: readonly (readonly string[])[];
  /**
   * Tasks are tried from the highest rank down, so that a specific one (a threaded echo server) claims a file
   * before a general one (any echo server) does.
   */
  readonly rank: number;
  /** A task whose client this one uses when it has a server of its own but no client (e.g. a threaded
   * server graded with the plain task's client). */
  readonly clientFrom?: string;
}

/** What a task file declares: everything typed by its options schema `S`. */
export interface TaskDefinition<S extends z.ZodObject> extends TaskSchemaInfo {
  readonly title: string;
  /** The handout section, e.g. "1.1". */
  readonly section: string;
  /** One paragraph for the report: what the task asks and what socklab checks. */
  readonly summary: string;
  readonly options: S;
  /** The runs, executed in parallel sandboxes. */
  runs(env: TaskEnvironment<z.output<S>>): RunSpec[];
  readonly checks: readonly CheckDefinition<TaskEvidence<z.output<S>>>[];
  /** Good practice looked for but not scored: each returns its advice, or null when there is nothing to say. */
  readonly advice?: readonly AdviceDefinition<TaskEvidence<z.output<S>>>[];
  /** Task-specific Markdown sections for the report (e.g. an annotated hex dump). */
  sections?(evidence: TaskEvidence<z.output<S>>): string[];
  /** How `socklab init` recognises the task's programs in a project (none: init leaves the task out). */
  readonly init?: InitHints;
  /** An optional task of the handout: with extra credit on, its points are not counted in the maximum. */
  readonly optional?: boolean;
  /** Placeholders derived from the options, for commands (e.g. {duration} = count × interval). */
  placeholders?(options: z.output<S>): Readonly<Record<string, string | number>>;
}

/** A task as the grader holds it: the same parts, over options it has not read as their own type yet. */
export interface Task extends TaskSchemaInfo {
  readonly title: string;
  readonly section: string;
  readonly summary: string;
  runs(env: TaskEnvironment): RunSpec[];
  readonly checks: readonly CheckDefinition<TaskEvidence>[];
  readonly advice: readonly AdviceDefinition<TaskEvidence>[];
  sections(evidence: TaskEvidence): string[];
  readonly init: InitHints | null;
  readonly optional: boolean;
}

/**
 * Declares a task. Its runs, checks, advice and sections receive the entry's options as the schema's output
 * type: parsed here from the manifest's own value for the task, with the schema the manifest was validated
 * with (so the parse cannot fail; if it did, that is socklab's error, and the task is errored).
 */
export function defineTask<S extends z.ZodObject>(definition: TaskDefinition<S>): Task {
  const typed = new WeakMap<TaskEnvironment, TaskEnvironment<z.output<S>>>();
  const envOf = (env: TaskEnvironment): TaskEnvironment<z.output<S>> => {
    let found = typed.get(env);
    if (!found) {
      const options = definition.options.parse(env.entry.input);
      found = { ...env, entry: { ...env.entry, options }, reference: { ...env.reference, options } };
      typed.set(env, found);
    }
    return found;
  };
  const evidenceOf = (evidence: TaskEvidence): TaskEvidence<z.output<S>> => ({
    env: envOf(evidence.env),
    runs: evidence.runs,
  });
  return {
    id: definition.id,
    title: definition.title,
    section: definition.section,
    summary: definition.summary,
    defaults: definition.defaults,
    options: definition.options,
    ...(definition.placeholders === undefined
      ? {}
      : { derived: (input: unknown) => definition.placeholders!(definition.options.parse(input)) }),
    runs: (env) => definition.runs(envOf(env)),
    checks: definition.checks.map((check) => ({
      ...check,
      run: (evidence) => check.run(evidenceOf(evidence)),
    })),
    advice: (definition.advice ?? []).map((advice) => ({
      ...advice,
      run: (evidence) => advice.run(evidenceOf(evidence)),
    })),
    sections: (evidence) => definition.sections?.(evidenceOf(evidence)) ?? [],
    init: definition.init ?? null,
    optional: definition.optional ?? false,
  };
}

/** Declares a check over a task's evidence (a task-specific check written inline in a task file). */
export function taskCheck<O = AnyOptions>(
  definition: CheckDefinition<TaskEvidence<O>>,
): CheckDefinition<TaskEvidence<O>> {
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
export function taskAdvice<O = AnyOptions>(
  definition: AdviceDefinition<TaskEvidence<O>>,
): AdviceDefinition<TaskEvidence<O>> {
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
