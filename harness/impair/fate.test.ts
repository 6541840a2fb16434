import { describe, expect, it } from "vitest";
import {
  type Datagram,
  type Direction,
  type Fate,
  fateOf,
  NEVER_DROP_FROM_OCCURRENCE,
  type Policy,
  scriptedFates,
  sha1Hex,
} from "./fate.ts";

const encode = (text: string) => new TextEncoder().encode(text);
const identities = (n: number) => Array.from({ length: n }, (_, i) => `reading:${i}`);
const lossy: Policy = { drop: 0.3, duplicate: 0.1, reorder: 0.1, delayMs: [20, 60], delay: 0.2 };
const actionsOf = (seed: number, policy: Policy) =>
  identities(200).map((identity) => fateOf(seed, "c2s", identity, 1, policy).action);

describe("fateOf", () => {
  it("gives the same fate for the same seed, direction, identity and occurrence", () => {
    for (const identity of identities(500)) {
      expect(fateOf(7, "c2s", identity, 1, lossy)).toEqual(fateOf(7, "c2s", `${identity}`, 1, lossy));
    }
  });

  it("keys on the identity alone: another identity draws another fate", () => {
    const named = identities(200).map((identity) => fateOf(7, "c2s", identity, 1, lossy).action);
    const renamed = identities(200).map((identity) => fateOf(7, "c2s", `x${identity}`, 1, lossy).action);
    expect(named).not.toEqual(renamed);
  });

  it("keeps the fates of content-keyed datagrams when the identity is the payload's SHA-1", () => {
    const payload = encode("seq=4");
    const fates = scriptedFates({});
    expect(fates({ direction: "c2s", k: 1, payload, identity: sha1Hex(payload), occurrence: 1 })).toEqual({
      action: "forward",
    });
    // Pinned: a change of the key's layout would silently change every recorded seed's schedule.
    const pinned = [1, 2, 3, 4, 5].map((seed) => fateOf(seed, "c2s", sha1Hex(payload), 1, lossy).action);
    expect(pinned).toEqual(["delay", "drop", "reorder", "duplicate", "drop"]);
  });

  it("gives a different sequence of fates for a different seed", () => {
    expect(actionsOf(1, lossy)).toEqual(actionsOf(1, lossy));
    expect(actionsOf(1, lossy)).not.toEqual(actionsOf(2, lossy));
  });

  it("draws each direction and each occurrence independently", () => {
    const drops = (direction: Direction, occurrence: number) =>
      identities(200).map((identity) => fateOf(3, direction, identity, occurrence, lossy).action === "drop");
    expect(drops("c2s", 1)).not.toEqual(drops("s2c", 1));
    expect(drops("c2s", 1)).not.toEqual(drops("c2s", 2));
  });

  it("may drop the first and second occurrence of an identity, but never the third or later", () => {
    const always: Policy = { drop: 1, duplicate: 0, reorder: 0, delayMs: [0, 0] };
    expect(fateOf(9, "c2s", "reading:4", 1, always)).toEqual({ action: "drop" });
    expect(fateOf(9, "c2s", "reading:4", 2, always)).toEqual({ action: "drop" });
    for (const occurrence of [NEVER_DROP_FROM_OCCURRENCE, 4, 10]) {
      expect(fateOf(9, "c2s", "reading:4", occurrence, always)).toEqual({ action: "forward" });
    }
  });

  it("forwards everything under a perfect link", () => {
    const perfect: Policy = { drop: 0, duplicate: 0, reorder: 0, delayMs: [0, 0] };
    expect(new Set(actionsOf(5, perfect))).toEqual(new Set(["forward"]));
  });

  it("roughly honours each probability over 10,000 payloads", () => {
    const fates = identities(10_000).map((identity) => fateOf(11, "c2s", identity, 1, lossy));
    const share = (action: Fate["action"]) => fates.filter((fate) => fate.action === action).length / 10_000;
    // Each impairment applies only to what the earlier ones left: drop, then duplicate, reorder, delay.
    const expected = {
      drop: 0.3,
      duplicate: 0.7 * 0.1,
      reorder: 0.7 * 0.9 * 0.1,
      delay: 0.7 * 0.9 * 0.9 * 0.2,
      forward: 0.7 * 0.9 * 0.9 * 0.8,
    };
    for (const [action, p] of Object.entries(expected)) {
      expect(Math.abs(share(action as Fate["action"]) - p), action).toBeLessThan(0.015);
    }
    const delays = fates.flatMap((fate) => (fate.action === "delay" ? [fate.delayMs] : []));
    expect(Math.min(...delays)).toBe(20);
    expect(Math.max(...delays)).toBe(60);
  });
});

describe("scriptedFates", () => {
  const datagram = (direction: Direction, k: number): Datagram => ({
    direction,
    k,
    payload: encode(`${direction} ${k}`),
    identity: `${direction} ${k}`,
    occurrence: 1,
  });
  const run = (fates: (d: Datagram) => Fate, direction: Direction, n: number) =>
    Array.from({ length: n }, (_, i) => fates(datagram(direction, i + 1)).action);

  it.each([
    ["drop the first request", { dropFirst: "c2s" }, "c2s", ["drop", "forward", "forward"]],
    ["drop the first ACK", { dropFirst: "s2c" }, "s2c", ["drop", "forward", "forward"]],
    ["leave ACKs alone when dropping the first request", { dropFirst: "c2s" }, "s2c", ["forward", "forward"]],
    ["duplicate #3", { duplicate: 3 }, "c2s", ["forward", "forward", "duplicate", "forward"]],
    ["duplicate only client datagrams", { duplicate: 1 }, "s2c", ["forward"]],
    ["swap #2 and #3", { swap: [2, 3] }, "c2s", ["forward", "reorder", "forward"]],
    ["forward everything when the script is empty", {}, "c2s", ["forward", "forward"]],
    ["drop every request as a black hole", { dropAll: true }, "c2s", ["drop", "drop", "drop"]],
    ["drop every reply as a black hole", { dropAll: true, duplicate: 1 }, "s2c", ["drop", "drop"]],
  ] as const)("can %s", (_, script, direction, actions) => {
    expect(run(scriptedFates(script), direction, actions.length)).toEqual(actions);
  });

  it("holds a swapped datagram until its partner", () => {
    expect(scriptedFates({ swap: [4, 6] })(datagram("c2s", 4))).toEqual({ action: "reorder", after: 6 });
  });
});
