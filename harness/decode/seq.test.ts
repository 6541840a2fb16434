import { describe, expect, test } from "vitest";
import { seqAdd, seqDiff, seqGe, seqGt, seqInRange, seqLe, seqLt, seqUnwrap, seqWrap } from "./seq.ts";

const MAX = 0xffffffff;

describe("sequence arithmetic modulo 2^32", () => {
  test.each([
    [0, 1, 1],
    [MAX, 1, 0],
    [MAX - 5, 13, 7],
    [5, -6, MAX],
    [123, 0, 123],
  ])("seqAdd(%d, %d) = %d", (seq, n, sum) => {
    expect(seqAdd(seq, n)).toBe(sum);
  });

  test.each([
    [10, 3, 7],
    [3, 10, -7],
    [2, MAX - 1, 4], // 2 is 4 past 2^32 − 2
    [MAX - 1, 2, -4],
    [0x80000000, 0, -0x80000000], // exactly half way round: the negative end of the range
  ])("seqDiff(%d, %d) = %d", (a, b, diff) => {
    expect(seqDiff(a, b)).toBe(diff);
  });

  test.each([
    // a, b, a<b, a<=b, a>b, a>=b
    [1, 2, true, true, false, false],
    [2, 1, false, false, true, true],
    [7, 7, false, true, false, true],
    [MAX, 0, true, true, false, false], // wraps: 2^32 − 1 comes just before 0
    [0, MAX, false, false, true, true],
    [MAX - 10, 20, true, true, false, false],
    // Exactly half way round: Wireshark's macros say "less" and "greater" both ways.
    [0x80000000, 0, true, true, true, true],
    [0, 0x80000000, true, true, true, true],
    [0x80000001, 0, true, true, false, false], // one short of half way: 2^31 − 1 behind
  ])("compare %d with %d", (a, b, lt, le, gt, ge) => {
    expect([seqLt(a, b), seqLe(a, b), seqGt(a, b), seqGe(a, b)]).toEqual([lt, le, gt, ge]);
  });

  test.each([
    [5, 5, 10, true],
    [10, 5, 10, false],
    [4, 5, 10, false],
    [1, MAX - 2, 3, true], // a range across the wrap
    [MAX - 3, MAX - 2, 3, false],
  ])("seqInRange(%d, [%d, %d)) is %s", (seq, start, end, inside) => {
    expect(seqInRange(seq, start, end)).toBe(inside);
  });

  test.each([
    [5, 0, 5],
    [5, 10, 5], // a little behind the reference
    [3, 2 ** 32 - 10, 2 ** 32 + 3], // past 2^32: keeps counting
    [MAX - 1, 2 ** 32 + 3, MAX - 1], // just before the wrap, seen from after it
    [7, 3 * 2 ** 32, 3 * 2 ** 32 + 7], // several wraps on
    [0x80000000, 0, -0x80000000], // exactly half way round: the lower one
  ])("seqUnwrap(%d, near %d) = %d", (seq, reference, unwrapped) => {
    expect(seqUnwrap(seq, reference)).toBe(unwrapped);
  });
});

describe("relative positions shown modulo 2^32", () => {
  test.each([
    [0, 0],
    [1, 1],
    [MAX, MAX],
    [MAX + 1, 0],
    [MAX + 101, 100],
    [-1, MAX],
    [2 * (MAX + 1) + 7, 7],
  ])("seqWrap(%d) = %d", (position, shown) => {
    expect(seqWrap(position)).toBe(shown);
  });
});
