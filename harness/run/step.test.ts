import { describe, expect, it } from "vitest";
import type { Outcome } from "./outcome.ts";
import { outputTail, pollUntil, stepEnded, stepTimeout } from "./step.ts";

describe("step messages", () => {
  it("name what a timed-out step waited for and quote the output so far", () => {
    const step = stepTimeout('server to print "ready"', 5000, 5003, "starting\n");
    expect(step).toMatchObject({ status: "timeout", timeoutMs: 5000, elapsedMs: 5003 });
    expect(step.message).toBe(
      'timed out after 5000 ms waiting for server to print "ready"; output so far: \nstarting',
    );
    expect(stepTimeout("x", 10, 10, "").message).toBe(
      "timed out after 10 ms waiting for x; output so far: (no output)",
    );
  });

  it("say how the program ended when it ended first", () => {
    const outcome = {
      name: "client",
      stdout: "hi\n",
      stderr: "boom\n",
      description: "exited with code 1",
    } as Outcome;
    expect(stepEnded('client to print "bye"', 12, outcome).message).toBe(
      'client ended before client to print "bye": it exited with code 1; output: \nhi\n\nboom',
    );
  });

  it("keep only the end of long output", () => {
    expect(outputTail("abcdef", 3)).toBe("…def");
    expect(outputTail("abc", 3)).toBe("abc");
  });
});

describe("pollUntil", () => {
  it("returns the value once the check finds it", async () => {
    let calls = 0;
    const result = await pollUntil({
      check: () => (++calls === 3 ? "found" : undefined),
      ended: new Promise(() => {}),
      timeoutMs: 1000,
      intervalMs: 1,
    });
    expect(result).toEqual({ value: "found" });
  });

  it("stops early when the program ends, and times out otherwise", async () => {
    const ended = await pollUntil({
      check: () => undefined,
      ended: Promise.resolve("gone"),
      timeoutMs: 1000,
      intervalMs: 5,
    });
    expect(ended).toEqual({ ended: "gone" });
    const started = performance.now();
    const late = await pollUntil({
      check: () => undefined,
      ended: new Promise(() => {}),
      timeoutMs: 50,
      intervalMs: 10,
    });
    expect(late).toEqual({ timedOut: true });
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });
});
