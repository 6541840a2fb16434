// Seed plans: what a seeded policy will do to the first transmission of each logical datagram, known before
// the run (fates depend on identities, not timing). Grading picks seeds whose plan exercises every impairment a
// reliable-UDP client must survive, so a buggy client or server fails on every chosen seed, not on a lucky few.

import { messageKey } from "./datagram-identity.ts";
import { type Direction, type Fate, fateOf, type Policy } from "./fate.ts";
import { ImpairError } from "./impair-error.ts";

/** The identity of the `index`-th (0-based) logical datagram in a direction, e.g. `reading:3` or `reply:3`. */
export type IdentityOf = (direction: Direction, index: number) => string;

/** Readings go client to server, their replies come back: `reading:<i>` and `reply:<i>`. */
export const DEFAULT_IDENTITY_OF: IdentityOf = (direction, index) =>
  messageKey(direction === "c2s" ? "reading" : "reply", index);

/** The graded lossy link: frequent enough impairments that a short exchange meets each of them. */
export const DEFAULT_POLICY: Policy = { drop: 0.15, duplicate: 0.08, reorder: 0.1, delayMs: [0, 0] };

/** How many candidate seeds `chooseSeeds` tries before it gives up. */
export const MAX_SEED_CANDIDATES = 100_000;

/** The fates of the first transmission of datagrams 0..count-1, per direction. */
export interface LinkPlan {
  readonly seed: number;
  readonly c2s: readonly PlannedFate[];
  readonly s2c: readonly PlannedFate[];
}

/** One planned fate: which logical datagram, and what happens to its first transmission. */
export interface PlannedFate {
  readonly index: number;
  readonly identity: string;
  readonly fate: Fate;
}

/** What the seed's link will do to the first transmission of `count` datagrams each way. */
export function planOf(
  seed: number,
  policy: Policy,
  count: number,
  identities: IdentityOf = DEFAULT_IDENTITY_OF,
): LinkPlan {
  const fates = (direction: Direction) =>
    Array.from({ length: count }, (_, index) => {
      const identity = identities(direction, index);
      return { index, identity, fate: fateOf(seed, direction, identity, 1, policy) };
    });
  return { seed, c2s: fates("c2s"), s2c: fates("s2c") };
}

/**
 * The impairments a plan lacks to catch every usual reliable-UDP bug: a lost reading that is not the last, a
 * lost reply, a duplicated reading, a reading (not the last) delivered after its successor. Empty = usable.
 */
export function missingImpairments(plan: LinkPlan): string[] {
  const last = plan.c2s.length - 1;
  const has = (fates: readonly PlannedFate[], action: Fate["action"], notLast: boolean) =>
    fates.some((planned) => planned.fate.action === action && !(notLast && planned.index === last));
  const missing: string[] = [];
  if (!has(plan.c2s, "drop", true)) missing.push("a dropped reading before the last");
  if (!has(plan.s2c, "drop", false)) missing.push("a dropped reply");
  if (!has(plan.c2s, "duplicate", false)) missing.push("a duplicated reading");
  if (!has(plan.c2s, "reorder", true)) missing.push("a reordered reading before the last");
  return missing;
}

/**
 * The first `howMany` seeds (trying 1, 2, 3, … in order) whose plan for `count` datagrams misses nothing — under
 * every one of the given namings (e.g. readings numbered from 0 and from 1, when the numbering is not known).
 */
export function chooseSeeds(
  policy: Policy,
  count: number,
  howMany: number,
  identityOf: IdentityOf | readonly IdentityOf[] = DEFAULT_IDENTITY_OF,
): number[] {
  const namings = typeof identityOf === "function" ? [identityOf] : identityOf;
  const seeds: number[] = [];
  for (let seed = 1; seeds.length < howMany && seed <= MAX_SEED_CANDIDATES; seed++) {
    if (namings.every((naming) => missingImpairments(planOf(seed, policy, count, naming)).length === 0)) {
      seeds.push(seed);
    }
  }
  if (seeds.length < howMany) {
    throw new ImpairError(
      "bad-option",
      `impair: only ${seeds.length} of the first ${MAX_SEED_CANDIDATES} seeds give ${count} datagrams every ` +
        `impairment under this policy; ${howMany} were asked for`,
    );
  }
  return seeds;
}
