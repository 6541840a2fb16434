import { describe, expect, it } from "vitest";
import { limiter } from "./limiter.ts";

describe("limiter", () => {
  it("never runs more than n jobs at once and runs them all", async () => {
    const limit = limiter(2);
    let active = 0;
    let most = 0;
    const jobs = Array.from({ length: 5 }, (_, i) =>
      limit(async () => {
        active++;
        most = Math.max(most, active);
        await new Promise((r) => setImmediate(r));
        active--;
        return i;
      }),
    );
    expect(await Promise.all(jobs)).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it("frees its slot when a job throws", async () => {
    const limit = limiter(1);
    await expect(limit(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await limit(async () => "next")).toBe("next");
  });
});
