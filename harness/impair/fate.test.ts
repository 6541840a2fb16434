import { describe, expect, it } from "vitest";
import { type Datagram, type Direction, type Fate, fateOf, type Policy, scriptedFates } from "./fate.ts";

const encode = (text: string) => new TextEncoder().encode(text);
const payloads = (n: number) => Array.from({ length: n }, (_, i) => encode(`seq=${i} data`));
const lossy: Policy = { drop: 0.3, duplicate: 0.1, reorder: 0.1, delayMs: [20, 60], delay: 0.2 };
const actionsOf = (seed: number, policy: Policy) =>
  payloads(200).map((payload) => fateOf(seed, "c2s", payload, 1, policy).action);

describe("fateOf", () => {
  it("gives the same fate for the same seed, direction, content and occurrence", () => {
    for (const payload of payloads(500)) {
      expect(fateOf(7, "c2s", payload, 1, lossy)).toEqual(
        fateOf(7, "c2s", Uint8Array.from(payload), 1, lossy),
      );
    }
  });

  it("gives a different sequence of fates for a different seed", () => {
    expect(actionsOf(1, lossy)).toEqual(actionsOf(1, lossy));
    expect(actionsOf(1, lossy)).not.toEqual(actionsOf(2, lossy));
  });

  it("draws each direction and each occurrence independently", () => {
    const drops = (direction: Direction, occurrence: number) =>
      payloads(200).map((payload) => fateOf(3, direction, payload, occurrence, lossy).action === "drop");
    expect(drops("c2s", 1)).not.toEqual(drops("s2c", 1));
    expect(drops("c2s", 1)).not.toEqual(drops("c2s", 2));
  });

  it("may drop the first and second occurrence of a payload, but never the third or later", () => {
    const always: Policy = { drop: 1, duplicate: 0, reorder: 0, delayMs: [0, 0] };
    const payload = encode("seq=4");
    expect(fateOf(9, "c2s", payload, 1, always)).toEqual({ action: "drop" });
    expect(fateOf(9, "c2s", payload, 2, always)).toEqual({ action: "drop" });
    for (const occurrence of [3, 4, 10]) {
      expect(fateOf(9, "c2s", payload, occurrence, always)).toEqual({ action: "forward" });
    }
  });

  it("forwards everything under a perfect link", () => {
    const perfect: Policy = { drop: 0, duplicate: 0, reorder: 0, delayMs: [0, 0] };
    expect(new Set(actionsOf(5, perfect))).toEqual(new Set(["forward"]));
  });

  it("roughly honours each probability over 10,000 payloads", () => {
    const fates = payloads(10_000).map((payload) => fateOf(11, "c2s", payload, 1, lossy));
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
  ] as const)("can %s", (_, script, direction, actions) => {
    expect(run(scriptedFates(script), direction, actions.length)).toEqual(actions);
  });

  it("holds a swapped datagram until its partner", () => {
    expect(scriptedFates({ swap: [4, 6] })(datagram("c2s", 4))).toEqual({ action: "reorder", after: 6 });
  });
});
