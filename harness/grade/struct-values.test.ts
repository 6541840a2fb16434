import { describe, expect, it } from "vitest";
import { parseStructFormat, type StructLayout } from "../protocol/index.ts";
import { matchesValues, printedTuple, swappedOrder, toStructValues } from "./struct-values.ts";

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

  it("reads the last printed tuple and allows float32 rounding", () => {
    const printed = printedTuple('Received "01…"\nUnpacked: (1, 4, 2.700000047683716)\n');
    expect(printed).toEqual(["1", "4", "2.700000047683716"]);
    expect(matchesValues(printed, [1, 4, 2.7])).toBe(true);
    expect(matchesValues(["1", "4", "2"], [1, 4, 2.7])).toBe(false);
    expect(matchesValues(null, [1])).toBe(false);
    // A client address printed after the values is not taken for them.
    expect(printedTuple("Unpacked: (1, 4, 2.7)\nIgnored 1 extra byte from ('127.0.0.1', 4242)\n", 3)).toEqual(
      ["1", "4", "2.7"],
    );
  });

  it("swaps native or explicit byte order", () => {
    expect(swappedOrder(layout("=iif"))?.format).toBe(">iif");
    expect(swappedOrder(layout("!iif"))?.format).toBe("<iif");
  });
});
