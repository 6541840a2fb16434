import { describe, expect, it } from "vitest";
import { gapPlot } from "./svg-plot.ts";

describe("gapPlot", () => {
  it("draws one bar per gap and the declared period", () => {
    const svg = gapPlot([200_000, 210_000, 190_000], { periodUs: 200_000 });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<rect /g)).toHaveLength(3);
    expect(svg).toContain("period 200 ms");
    expect(svg).toContain("<title>gap 2: 210.0 ms</title>");
  });

  it("escapes its title and copes with no gaps", () => {
    const svg = gapPlot([], { title: "a < b & c" });
    expect(svg).toContain("a &lt; b &amp; c");
    expect(svg).not.toContain("<rect");
  });
});
