// What the lossy link does to one datagram. A fate depends on the seed and on the datagram's identity
// (direction, an identity string such as `reading:3` or the payload's SHA-1, how often that identity was
// seen), never on the clock, so a run replays exactly from its seed however fast or slow the student's
// retransmission timer is, and whatever random values the student's readings carry.

import { createHash } from "node:crypto";
import { z } from "../schema/index.ts";

/** Which way a datagram travels: client to server, or server to client. */
export type Direction = "c2s" | "s2c";

/**
 * What happens to one datagram. `reorder` holds it until the datagram numbered `after` in the same direction
 * (by default the next one) has been dispatched, or until the proxy's hold cap expires.
 */
export type Fate =
  | { action: "forward" }
  | { action: "drop" }
  | { action: "duplicate" }
  | { action: "reorder"; after?: number }
  | { action: "delay"; delayMs: number };

/** Every fate's action, in a fixed order (for counting). */
export const ACTIONS = ["forward", "drop", "duplicate", "reorder", "delay"] as const;
export type Action = (typeof ACTIONS)[number];

/** The identity of one datagram as the proxy saw it arrive. */
export interface Datagram {
  direction: Direction;
  /** 1-based arrival number within its direction. */
  k: number;
  payload: Uint8Array;
  /** What the fate is keyed on: a logical name such as `reading:3`, or by default the payload's SHA-1. */
  identity: string;
  /** 1-based count of arrivals, in this direction, of this identity (1 = first transmission). */
  occurrence: number;
}

/** Decides the fate of each arriving datagram; must be a pure function of its argument. */
export type FateFunction = (datagram: Datagram) => Fate;

/**
 * Probabilities of each impairment, checked in this order: drop, duplicate, reorder, delay. A datagram that is
 * none of these is forwarded at once. `delayMs` is an inclusive range; `delay` (default 1) is the chance that a
 * remaining datagram is delayed when the range is above zero. Its numbers are checked by startProxy.
 */
export const policySchema = z.object({
  drop: z.number(),
  duplicate: z.number(),
  reorder: z.number(),
  delayMs: z.tuple([z.number(), z.number()]).readonly(),
  delay: z.number().optional(),
});
export type Policy = z.output<typeof policySchema>;

/** Fates chosen by hand for targeted tests, packetdrill style; k counts arrivals, so retransmissions pass. */
export const scriptSchema = z.object({
  /** A black-hole link: every datagram, both ways, is dropped (the other fields are ignored). */
  dropAll: z.boolean().optional(),
  /** Drop the first datagram in this direction (the first request, or the first ACK). */
  dropFirst: z.enum(["c2s", "s2c"]).optional(),
  /** Duplicate the nth client-to-server datagram. */
  duplicate: z.number().int().optional(),
  /** Deliver client-to-server datagram a after datagram b (a < b). */
  swap: z.tuple([z.number().int(), z.number().int()]).readonly().optional(),
});
export type Script = z.output<typeof scriptSchema>;

/** The first occurrence that is never dropped: losing a datagram twice is enough to test a retransmission. */
export const NEVER_DROP_FROM_OCCURRENCE = 3;

/** The fate of one datagram under a random policy, reproducible from the seed alone. */
export function fateOf(
  seed: number,
  direction: Direction,
  identity: string,
  occurrence: number,
  policy: Policy,
): Fate {
  const next = mulberry32(fnv1a32(`${seed}|${direction}|${identity}|${occurrence}`));
  // Draw every number whatever the outcome, so one probability never shifts the others' draws.
  const [uDrop, uDuplicate, uReorder, uDelay, uAmount] = [next(), next(), next(), next(), next()];
  if (uDrop < policy.drop && occurrence < NEVER_DROP_FROM_OCCURRENCE) return { action: "drop" };
  if (uDuplicate < policy.duplicate) return { action: "duplicate" };
  if (uReorder < policy.reorder) return { action: "reorder" };
  const [min, max] = policy.delayMs;
  if (max > 0 && uDelay < (policy.delay ?? 1)) {
    return { action: "delay", delayMs: min + Math.floor(uAmount * (max - min + 1)) };
  }
  return { action: "forward" };
}

/** `fateOf` with its seed and policy fixed, as the proxy calls it. */
export function policyFates(seed: number, policy: Policy): FateFunction {
  return ({ direction, identity, occurrence }) => fateOf(seed, direction, identity, occurrence, policy);
}

/** The fates of a scripted case; every datagram the script does not name is forwarded. */
export function scriptedFates(script: Script): FateFunction {
  return ({ direction, k }) => {
    if (script.dropAll === true) return { action: "drop" };
    if (script.dropFirst === direction && k === 1) return { action: "drop" };
    if (direction !== "c2s") return { action: "forward" };
    if (script.duplicate === k) return { action: "duplicate" };
    if (script.swap !== undefined && script.swap[0] === k)
      return { action: "reorder", after: script.swap[1] };
    return { action: "forward" };
  };
}

/** Hex SHA-1 of a payload: the datagram's default identity in fates, and its content in logs. */
export function sha1Hex(payload: Uint8Array): string {
  return createHash("sha1").update(payload).digest("hex");
}

// 32-bit FNV-1a over the UTF-16 code units of a key (identities may be any text; each unit is mixed in).
function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

// mulberry32: a small, fast PRNG with a 32-bit state, returning floats in [0, 1).
function mulberry32(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
