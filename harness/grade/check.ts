// A check: a small named function from a task's evidence to a verdict, with points, an optional dependency
// and a visibility (check50's model with points). Checks return verdicts; they never throw on purpose — an
// exception is a harness fault and becomes an `errored` result, never blamed on the student.
import { FaultError, SocklabError } from "../fault/index.ts";
import type { CheckResult, EvidenceRef, Failure, Visibility } from "./result.ts";

/** What a check function returns. `points` gives partial credit (default: all or nothing). */
export type Verdict =
  | {
      readonly pass: true;
      readonly message: string;
      readonly evidence?: readonly EvidenceRef[];
      readonly notes?: readonly string[];
    }
  | {
      readonly pass: false;
      readonly failure: Failure;
      readonly points?: number;
      readonly notes?: readonly string[];
    };

export interface CheckDefinition<E> {
  readonly id: string;
  readonly title: string;
  readonly points: number;
  /** The id of a check that must pass first; otherwise this one is skipped. */
  readonly dependsOn?: string;
  readonly visibility?: Visibility;
  readonly run: (evidence: E) => Verdict;
}

/** Declares a check (identity function, for types and readability). */
export function defineCheck<E>(definition: CheckDefinition<E>): CheckDefinition<E> {
  return definition;
}

/** A passing verdict. */
export function pass(
  message: string,
  evidence: readonly EvidenceRef[] = [],
  notes: readonly string[] = [],
): Verdict {
  return { pass: true, message, evidence, notes };
}

/** A failing verdict: the property, expected, seen, where and how to fix. */
export function fail(
  failure: Omit<Failure, "evidence"> & { evidence?: readonly EvidenceRef[] },
  notes: readonly string[] = [],
): Verdict {
  return { pass: false, failure: { ...failure, evidence: failure.evidence ?? [] }, notes };
}

/** Runs checks over the evidence — each after its dependency, results in declaration order — with points,
 * skips and errors as data. */
export function runChecks<E>(definitions: readonly CheckDefinition<E>[], evidence: E): CheckResult[] {
  const done = new Map<string, CheckResult>();
  const visiting = new Set<string>();
  const evaluate = (def: CheckDefinition<E>): CheckResult => {
    const known = done.get(def.id);
    if (known) return known;
    visiting.add(def.id);
    const parentDef =
      def.dependsOn === undefined ? undefined : definitions.find((d) => d.id === def.dependsOn);
    const parent = parentDef && !visiting.has(parentDef.id) ? evaluate(parentDef) : undefined;
    const result = runOne(def, evidence, def.dependsOn === undefined ? undefined : parent);
    visiting.delete(def.id);
    done.set(def.id, result);
    return result;
  };
  return definitions.map(evaluate);
}

function runOne<E>(def: CheckDefinition<E>, evidence: E, parent: CheckResult | undefined): CheckResult {
  const base = {
    id: def.id,
    title: def.title,
    maxPoints: def.points,
    visibility: def.visibility ?? "visible",
  };
  const started = performance.now();
  if (def.dependsOn !== undefined && parent?.status === "errored") {
    // What socklab could not test, it cannot judge what depends on it either: no points lost to its fault.
    return {
      ...base,
      status: "errored",
      points: 0,
      error: `not tested: socklab could not test '${parent.title}' first`,
      notes: [],
      durationMs: 0,
    };
  }
  if (def.dependsOn !== undefined && parent?.status !== "passed") {
    return {
      ...base,
      status: "skipped",
      points: 0,
      dependsOn: def.dependsOn,
      reason: `needs '${parent?.title ?? def.dependsOn}' to pass first`,
      notes: [],
      durationMs: 0,
    };
  }
  try {
    const verdict = def.run(evidence);
    const durationMs = Math.round(performance.now() - started);
    return verdict.pass
      ? {
          ...base,
          status: "passed",
          points: def.points,
          message: verdict.message,
          evidence: verdict.evidence ?? [],
          notes: boundedNotes(verdict.notes ?? []),
          durationMs,
        }
      : {
          ...base,
          status: "failed",
          points: Math.max(0, Math.min(def.points, verdict.points ?? 0)),
          failure: verdict.failure,
          notes: boundedNotes(verdict.notes ?? []),
          durationMs,
        };
  } catch (error) {
    if (error instanceof FaultError && error.fault.owner === "submission") {
      // The run cannot be judged because of what the submission did (its traffic went past the capture
      // budget): that is a failure, the student's, with the limit named.
      const { fault } = error;
      return {
        ...base,
        status: "failed",
        points: 0,
        failure: {
          message: fault.message,
          ...(fault.expected === undefined ? {} : { expected: fault.expected }),
          ...(fault.actual === undefined ? {} : { actual: fault.actual }),
          evidence: [],
          ...(fault.help === undefined ? {} : { help: fault.help }),
        },
        notes: [],
        durationMs: Math.round(performance.now() - started),
      };
    }
    return {
      ...base,
      status: "errored",
      points: 0,
      // A fault raised on purpose says all in its message; anything else is a bug of socklab's: keep the stack.
      error:
        error instanceof SocklabError
          ? error.message
          : error instanceof Error
            ? `${error.message}\n${error.stack ?? ""}`.trim()
            : String(error),
      notes: [],
      durationMs: Math.round(performance.now() - started),
    };
  }
}

/** The notes a check keeps: a program can make thousands (one per retransmission), a report shows a few. */
export const MAX_NOTES = 20;

/** The first MAX_NOTES notes, and one that counts the rest. */
export function boundedNotes(notes: readonly string[]): readonly string[] {
  if (notes.length <= MAX_NOTES) return notes;
  return [...notes.slice(0, MAX_NOTES), `… and ${notes.length - MAX_NOTES} more notes like these.`];
}
