import { describe, expect, it } from "vitest";
import { frame, niceTicks, num, tickLabel } from "./svg.ts";

describe("sensor-svg helpers", () => {
  it("formats coordinates without negative zero", () => {
    expect(num(-0.01)).toBe("0.0");
    expect(num(12.345)).toBe("12.3");
  });

  it.each<[number, number, number, boolean, number[]]>([
    [230, 5, 0, false, [0, 50, 100, 150, 200, 250]],
    [0.7, 5, 0, false, [0, 0.2, 0.4, 0.6, 0.8]],
    [3, 6, 0, true, [0, 1, 2, 3]],
    [12, 6, 5, true, [4, 6, 8, 10, 12]],
  ])("ticks up to %d (about %d)", (max, count, min, integer, expected) => {
    expect(niceTicks(max, count, min, integer)).toEqual(expected);
  });

  it("labels ticks with the decimals their step needs", () => {
    expect(tickLabel(0.4, 0.2)).toBe("0.4");
    expect(tickLabel(150, 50)).toBe("150");
  });

  it("maps data to pixels inside the margins", () => {
    const f = frame(640, 260, [0, 10], [0, 100], { left: 40, right: 20, top: 20, bottom: 40 });
    expect(f.x(0)).toBe(40);
    expect(f.x(10)).toBe(620);
    expect(f.y(0)).toBe(220);
    expect(f.y(100)).toBe(20);
  });
});
