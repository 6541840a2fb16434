import { describe, expect, it } from "vitest";
import { parseStructFormat, type StructLayout } from "../protocol/index.ts";
import { matchesValues, swappedOrder, toStructValues } from "./struct-values.ts";

const layout = (f: string): StructLayout => {
  const r = parseStructFormat(f);
  if (!r.ok) throw new Error(r.problem.message);
  return r.value;
};

describe("struct values", () => {
  it("converts manifest values by format character", () => {
    expect(toStructValues(layout("=iq?3sf"), [1, 2, 1, "abc", 2.5])).toEqual([
      1n,
      2n,
      true,
      new TextEncoder().encode("abc"),
      2.5,
    ]);
  });

  it("compares unpacked values with float32 rounding allowed", () => {
    expect(matchesValues([1n, 4n, 2.700000047683716], [1n, 4n, 2.7])).toBe(true);
    expect(matchesValues([1n, 4n, 2], [1n, 4n, 2.7])).toBe(false);
    expect(matchesValues(null, [1])).toBe(false);
    const abcd = new TextEncoder().encode("abcd");
    expect(matchesValues([true, abcd, -7n], [true, new TextEncoder().encode("abcd"), -7n])).toBe(true);
    expect(matchesValues([false, abcd, -7n], [true, abcd, -7n])).toBe(false);
  });

  it("swaps native or explicit byte order", () => {
    expect(swappedOrder(layout("=iif"))?.format).toBe(">iif");
    expect(swappedOrder(layout("!iif"))?.format).toBe("<iif");
  });
});
