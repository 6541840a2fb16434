import { describe, expect, it } from "vitest";
import type { TimedMessage } from "../../grade/sensor/sensor-traffic.ts";
import { medianError, timingPlot, timingSection, timingSeries } from "./timing.ts";

function reading(conversation: number, timeMs: number): TimedMessage {
  return {
    name: "reading",
    from: "client",
    conversation,
    packet: 0,
    timeUs: 5_000_000 + timeMs * 1000,
    groups: [],
    relativeSeconds: timeMs / 1000,
    offset: 0,
    bytes: new Uint8Array(),
    values: [],
    fields: {},
  };
}

const at = (conversation: number, times: number[]) => times.map((t) => reading(conversation, t));

describe("timingSection", () => {
  it("gives the statistics of one client against the declared period", () => {
    const md = timingSection(at(0, [0, 200, 410, 600, 800]), 0.2);
    expect(md).toContain("| series | readings | median gap (ms) |");
    // gaps 200, 210, 190, 200: median 200, mean 200, min 190, max 210.
    expect(md).toContain("| readings | 5 | 200.0 | 200.0 | 190.0 | 210.0 | 0 | 200.0 | +0.0 % |");
    expect(md).toContain("<svg");
    expect(md.match(/class="gap"/g)).toHaveLength(4);
    expect(md).toContain('class="period"');
    expect(md).toContain('class="band"');
  });

  it("has one row and one series per client conversation", () => {
    const readings = [...at(3, [0, 500, 1000]), ...at(1, [10, 110, 210, 215])].sort(
      (a, b) => a.timeUs - b.timeUs,
    );
    const series = timingSeries(readings);
    expect(series.map((s) => s.label)).toEqual(["conversation 3", "conversation 1"]);
    const md = timingSection(readings, 0.5);
    expect(md).toContain("| conversation 3 | 3 | 500.0 | 500.0 | 500.0 | 500.0 | 0 | 500.0 | +0.0 % |");
    // gaps 100, 100, 5: one burst, median 100 ms is 80 % short of 500 ms.
    expect(md).toContain("| conversation 1 | 4 | 100.0 | 68.3 | 5.0 | 100.0 | 3 | 500.0 | -80.0 % |");
    expect(md.match(/<polyline /g)).toHaveLength(2);
    expect(md).toContain(">conversation 1</text>");
  });

  it("leaves the period out when none is declared", () => {
    const md = timingSection(at(0, [0, 100, 200]), null);
    expect(md).toContain("| readings | 3 | 100.0 | 100.0 | 100.0 | 100.0 | – | – | – |");
    expect(md).not.toContain('class="period"');
    expect(md).not.toContain('class="band"');
  });

  it("says when there are no readings", () => {
    expect(timingSection([], 1)).toBe("No readings, so no timing to show.");
  });
});

describe("timingPlot", () => {
  it("is self-contained, titled, 640×260 and the same bytes for the same data", () => {
    const series = timingSeries(at(0, [0, 1000, 2100, 2900]));
    const svg = timingPlot(series, 1e6);
    expect(svg).toBe(timingPlot(series, 1e6));
    expect(svg).toMatch(/^<svg [^>]*width="640" height="260"/);
    expect(svg).toContain("<title>gap between consecutive readings (ms)</title>");
    expect(svg).not.toMatch(/<script|href=|url\(/);
    expect(svg).toContain("<title>readings, gap 2: 1100.0 ms</title>");
    expect(svg).toContain("declared period 1000 ms, ±20 % band");
  });

  it("escapes labels", () => {
    const svg = timingPlot(
      [{ label: "a<b", conversation: 0, stats: timingSeries(at(0, [0, 1]))[0]!.stats }],
      null,
    );
    expect(svg).toContain("a&lt;b, gap 1");
  });
});

describe("medianError", () => {
  it("is signed and relative to the period", () => {
    const stats = timingSeries(at(0, [0, 220, 440]))[0]!.stats;
    expect(medianError(stats, 200_000)).toBe("+10.0 %");
    expect(medianError(stats, null)).toBe("–");
  });
});
