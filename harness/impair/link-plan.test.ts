import { describe, expect, it } from "vitest";
import { fateOf, type Policy } from "./fate.ts";
import {
  chooseSeeds,
  DEFAULT_IDENTITY_OF,
  DEFAULT_POLICY,
  type IdentityOf,
  type LinkPlan,
  missingImpairments,
  planOf,
} from "./link-plan.ts";

const perfect: Policy = { drop: 0, duplicate: 0, reorder: 0, delayMs: [0, 0] };

// A plan with the given actions for readings and replies, in index order.
function planWith(c2s: string[], s2c: string[]): LinkPlan {
  const fates = (actions: string[], prefix: string) =>
    actions.map((action, index) => ({
      index,
      identity: `${prefix}:${index}`,
      fate: { action } as { action: "forward" },
    }));
  return { seed: 0, c2s: fates(c2s, "reading"), s2c: fates(s2c, "reply") };
}

describe("planOf", () => {
  it("plans the first transmission of each identity, exactly as the proxy will draw it", () => {
    const plan = planOf(7, DEFAULT_POLICY, 12);
    expect(plan.c2s).toHaveLength(12);
    expect(plan.s2c.map((p) => p.identity)).toEqual(Array.from({ length: 12 }, (_, i) => `reply:${i}`));
    for (const planned of plan.c2s) {
      expect(planned.fate).toEqual(fateOf(7, "c2s", `reading:${planned.index}`, 1, DEFAULT_POLICY));
    }
  });

  it("uses the identities it is given", () => {
    const identities: IdentityOf = (direction, i) => `${direction === "c2s" ? "data" : "ack"}:${i + 1}`;
    expect(planOf(1, perfect, 2, identities).c2s.map((p) => p.identity)).toEqual(["data:1", "data:2"]);
  });
});

describe("missingImpairments", () => {
  it.each([
    ["nothing when every impairment is there", ["drop", "duplicate", "reorder", "forward"], ["drop"], []],
    [
      "a drop and a reorder that are only on the last reading",
      ["duplicate", "forward", "drop"],
      ["drop"],
      ["a dropped reading before the last", "a reordered reading before the last"],
    ],
    [
      "everything on a perfect link",
      ["forward", "forward"],
      ["forward", "forward"],
      [
        "a dropped reading before the last",
        "a dropped reply",
        "a duplicated reading",
        "a reordered reading before the last",
      ],
    ],
    [
      "a dropped reply only",
      ["drop", "reorder", "duplicate", "forward"],
      ["forward", "duplicate"],
      ["a dropped reply"],
    ],
  ])("reports %s", (_, c2s, s2c, missing) => {
    expect(missingImpairments(planWith(c2s, s2c))).toEqual(missing);
  });
});

describe("chooseSeeds", () => {
  it("keeps the first seeds, in order, whose plan misses nothing", () => {
    const seeds = chooseSeeds(DEFAULT_POLICY, 10, 5);
    expect(seeds).toHaveLength(5);
    expect(seeds).toEqual([...seeds].sort((a, b) => a - b));
    expect(chooseSeeds(DEFAULT_POLICY, 10, 5)).toEqual(seeds);
    for (const seed of seeds) expect(missingImpairments(planOf(seed, DEFAULT_POLICY, 10))).toEqual([]);
    const skipped = Array.from({ length: seeds.at(-1)! }, (_, i) => i + 1).filter((s) => !seeds.includes(s));
    expect(skipped.length).toBeGreaterThan(0);
    for (const seed of skipped) {
      expect(missingImpairments(planOf(seed, DEFAULT_POLICY, 10)).length).toBeGreaterThan(0);
    }
  });

  it("follows the identities: other names give other seeds", () => {
    const other: IdentityOf = (direction, i) => (direction === "c2s" ? `data:${i}` : `ack:${i}`);
    expect(chooseSeeds(DEFAULT_POLICY, 10, 5, other)).not.toEqual(
      chooseSeeds(DEFAULT_POLICY, 10, 5, DEFAULT_IDENTITY_OF),
    );
  });

  it("refuses a policy that can never impair", () => {
    expect(() => chooseSeeds(perfect, 10, 1)).toThrow(/only 0 of the first 100000 seeds/);
  });
});
