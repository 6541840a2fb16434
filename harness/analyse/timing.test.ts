import { describe, expect, it } from "vitest";
import { arrivalStats, burstGaps, median } from "./timing.ts";

describe("arrival timing", () => {
  it.each([
    [[], null],
    [[3], 3],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
  ])("median of %j is %j", (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it("measures a 200 ms period with jitter", () => {
    const times = [0, 200_000, 405_000, 598_000, 801_000, 1_000_000];
    const stats = arrivalStats(times);
    expect(stats).toMatchObject({ count: 6, medianUs: 200_000, minUs: 193_000, maxUs: 205_000 });
    expect(burstGaps(stats.gapsUs, 200_000)).toEqual([]);
  });

  it("finds a burst: readings sent back to back instead of one per period", () => {
    const burst = arrivalStats([0, 200_000, 200_050, 200_100, 400_000, 600_000]);
    expect(burstGaps(burst.gapsUs, 200_000)).toEqual([1, 2]);
  });
});

describe("burstGaps", () => {
  it("finds gaps under a quarter of the period, except a catch-up after a late message", () => {
    expect(burstGaps([100_000, 2_000, 1_000, 100_000], 100_000)).toEqual([1, 2]);
    // Late by 80 ms, then on schedule again: a catch-up, not a burst.
    expect(burstGaps([100_000, 180_000, 20_000, 100_000], 100_000)).toEqual([]);
  });
});
