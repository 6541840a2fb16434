// Half and single precision the way CPython packs them (bits checked against python3.11's struct).

import { describe, expect, test } from "vitest";
import { floatBits, halfBits, halfValue, overflowsFloat } from "./struct-floats.ts";

const fromBits = (high: number, low: number) => {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, high);
  view.setUint32(4, low);
  return view.getFloat64(0);
};

describe("halfBits", () => {
  test.each([
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [65504, 0x7bff], // largest finite
    [65519.99999999999, 0x7bff], // just under the tie rounds down
    [2 ** -14, 0x0400], // smallest normal
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -25, 0x0000], // tie between 0 and the smallest subnormal: to even
    [2 ** -25 * 1.0000001, 0x0001],
    [1e-8, 0x0000], // underflows to zero
    [1 + 2 ** -11, 0x3c00], // tie: to even (down)
    [1 + 3 * 2 ** -11, 0x3c02], // tie: to even (up)
    [2047 * 2 ** -10, 0x3fff],
    [0.1, 0x2e66],
    [Infinity, 0x7c00],
    [-Infinity, 0xfc00],
    [Number.NaN, 0x7e00],
    [fromBits(0xfff80000, 0), 0xfe00], // a NaN keeps its sign
  ])("%d → %s", (x, bits) => {
    expect(halfBits(x)).toBe(bits);
  });

  test.each([65520, 1e5, -65520, 1e300, Number.MAX_VALUE])("%d overflows", (x) => {
    expect(halfBits(x)).toBeUndefined();
  });
});

describe("halfValue", () => {
  test.each([
    [0x0000, 0],
    [0x8000, -0],
    [0x3c00, 1],
    [0x0001, 2 ** -24],
    [0x03ff, 1023 * 2 ** -24],
    [0x7bff, 65504],
    [0xfc00, -Infinity],
    [0x7c01, Number.NaN],
    [0xfe00, Number.NaN],
  ])("%s → %d", (bits, x) => {
    expect(halfValue(bits)).toBe(x);
  });

  test("round trips every finite half", () => {
    const wrong: number[] = [];
    for (let bits = 0; bits < 0x10000; bits++) {
      if ((bits & 0x7c00) !== 0x7c00 && halfBits(halfValue(bits)) !== bits) wrong.push(bits);
    }
    expect(wrong).toEqual([]);
  });
});

describe("floatBits and overflowsFloat", () => {
  test.each([
    [2.7, 0x402ccccd, false],
    [-0, 0x80000000, false],
    [3.4028234663852886e38, 0x7f7fffff, false], // largest finite float
    [3.4028235677973362e38, 0x7f7fffff, false], // rounds down to it
    [3.4028235677973366e38, 0x7f800000, true], // the tie rounds to even: infinity
    [1e300, 0x7f800000, true],
    [Infinity, 0x7f800000, false], // infinity itself is fine
    [Number.NaN, 0x7fc00000, false],
    [fromBits(0xfff80000, 0), 0xffc00000, false],
    [fromBits(0x7ff00000, 1), 0x7fc00000, false], // signalling NaN: quieted, low payload dropped
    [fromBits(0x7ff12345, 0x6789abcd), 0x7fc91a2b, false], // top payload bits kept
    [1e-50, 0x00000000, false],
  ])("%d → %s (overflow %s)", (x, bits, overflow) => {
    expect([floatBits(x), overflowsFloat(x)]).toEqual([bits, overflow]);
  });
});
