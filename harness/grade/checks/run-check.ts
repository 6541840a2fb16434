// The one way a shared check over a run is made: the options every such check takes (its points, and an id,
// title, run and prerequisite when the task wants other than the check's own), and the factory that fills in
// the defaults and hands the judgement the run it reads.
import { FaultError } from "../../fault/index.ts";
import type { RunRecord } from "../../session/index.ts";
import { type CheckDefinition, defineCheck, type Verdict } from "../check.ts";
import type { AnyOptions } from "../manifest.ts";
import type { TaskEvidence } from "../task.ts";

/**
 * The run, or a thrown error: a task wired to a run it does not have is a harness bug, and a run with a fault
 * of socklab's own (a program of its own that would not start, an unreadable capture) cannot be judged, so
 * every check that reads it is errored, never failed. A run whose capture the submission spoiled (its traffic
 * went past the capture budget) fails every check that reads its traffic, with the limit named.
 */
export function runOf(evidence: TaskEvidence<unknown>, name: string): RunRecord {
  const run = evidence.runs[name];
  if (!run) throw new Error(`no run named '${name}'`);
  // socklab's own fault first: what it could not record it cannot blame on the student.
  const ours = run.faults.find((f) => f.owner === "socklab");
  if (ours) throw new FaultError(ours);
  const theirs = run.faults.find((f) => f.owner === "submission");
  if (!theirs) return run;
  // The submission's fault (its traffic went past the capture budget) spoils the capture only: a check of
  // the programs (ready, exit, output) still judges them; one that reads the traffic fails, with the limit.
  const spoiled = { ...run };
  Object.defineProperty(spoiled, "analysis", {
    enumerable: true,
    get: () => {
      throw new FaultError(theirs);
    },
  });
  return spoiled;
}

/** What a task sets on a shared check. */
export interface RunCheckOptions {
  readonly id?: string;
  readonly title?: string;
  readonly points: number;
  /** The run the check reads (default "main"). */
  readonly run?: string;
  /** The check that must pass first (default: the check's own, usually "server-ready"). */
  readonly dependsOn?: string;
}

/** A check's own id, title, prerequisite and run, for what the task leaves unset. */
export interface RunCheckDefaults {
  readonly id: string;
  readonly title: string;
  readonly dependsOn?: string;
  readonly run?: string;
}

/** A check over one run: `judge` gets that run (found by name; a missing run is socklab's error). */
export function runCheck<O = AnyOptions>(
  options: RunCheckOptions,
  defaults: RunCheckDefaults,
  judge: (run: RunRecord, evidence: TaskEvidence<O>) => Verdict,
): CheckDefinition<TaskEvidence<O>> {
  const dependsOn = options.dependsOn ?? defaults.dependsOn;
  return defineCheck<TaskEvidence<O>>({
    id: options.id ?? defaults.id,
    title: options.title ?? defaults.title,
    points: options.points,
    ...(dependsOn === undefined ? {} : { dependsOn }),
    run: (evidence) => judge(runOf(evidence, options.run ?? defaults.run ?? "main"), evidence),
  });
}
