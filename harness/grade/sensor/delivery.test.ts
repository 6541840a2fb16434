import { describe, expect, it } from "vitest";
import { deliveredBy, deliveredSequence, describeDelivery, judgeDelivery, ranges } from "./delivery.ts";

describe("judgeDelivery", () => {
  const expected = [0, 1, 2, 3, 4];
  it("accepts every reading once, in order", () => {
    expect(judgeDelivery([0, 1, 2, 3, 4], expected).ok).toBe(true);
  });
  it("names missing, duplicated and out-of-order readings separately", () => {
    expect(judgeDelivery([0, 1, 3, 4], expected)).toMatchObject({ ok: false, missing: [2], duplicates: [] });
    expect(judgeDelivery([0, 1, 1, 2, 3, 4], expected)).toMatchObject({
      ok: false,
      missing: [],
      duplicates: [1],
    });
    const swapped = judgeDelivery([0, 2, 1, 3, 4], expected);
    expect(swapped.outOfOrder).toEqual({ index: 2, previous: 2, value: 1 });
    expect(swapped.missing).toEqual([]);
    expect(judgeDelivery([0, 1, 2, 3, 4, 9], expected).unexpected).toEqual([9]);
  });
  it("says it in one line", () => {
    const delivered = [0, 2, 1, 1];
    expect(describeDelivery(judgeDelivery(delivered, [0, 1, 2, 3]), delivered)).toBe(
      "missing 3; delivered twice: 1; out of order: 1 after 2 (delivery #3) — delivered 0, 2, 1, 1",
    );
  });
});

describe("deliveredSequence", () => {
  it("reads the named group seq, else the first group, line by line", () => {
    const out = "listening\ndelivered seq=0 x=1\nnoise seq=zz\ndelivered seq=1\n";
    expect(deliveredSequence(out, /delivered seq=(?<seq>\d+)/)).toEqual([0, 1]);
    expect(deliveredSequence("got 4\ngot 5\n", /got (\d+)/)).toEqual([4, 5]);
  });
});

describe("ranges", () => {
  it("compresses runs", () => {
    expect(ranges([7, 0, 1, 2, 3, 5, 8])).toBe("0-3 5 7-8");
  });
});

describe("deliveredBy", () => {
  const pattern = /seq=(?<seq>\d+)/;
  it("reads stdout first, and stderr (Python's logging) when stdout has none, saying which", () => {
    expect(deliveredBy({ stdout: "seq=0\nseq=1\n", stderr: "seq=9\n" }, pattern)).toEqual({
      delivered: [0, 1],
      stream: "stdout",
    });
    expect(
      deliveredBy(
        { stdout: "listening\n", stderr: "INFO:root:deliver seq=0\nINFO:root:deliver seq=1\n" },
        pattern,
      ),
    ).toEqual({
      delivered: [0, 1],
      stream: "stderr",
    });
    expect(deliveredBy({ stdout: "", stderr: "" }, pattern)).toEqual({ delivered: [], stream: "stdout" });
  });
});
