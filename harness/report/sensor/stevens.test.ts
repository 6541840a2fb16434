import { describe, expect, it } from "vitest";
import { LOSSY_LOG } from "../../../test/support/sensor-fixtures.ts";
import { STEVENS_KINDS, type StevensPoint, stevensPlot, stevensPoints } from "./stevens.ts";

const marks = (svg: string, kind: string) => svg.match(new RegExp(`class="mark ${kind}"`, "g"))?.length ?? 0;

describe("stevensPoints", () => {
  it("gives one point per datagram that names a reading, by what the link did", () => {
    const points = stevensPoints(LOSSY_LOG);
    expect(points.map((p) => `${p.timeS}:${p.seq}:${p.kind}`)).toEqual([
      "0:1:sent",
      "0.001:1:ack",
      "1:2:dropped",
      "1.5:2:retransmitted",
      "1.501:2:ack-dropped",
      "2:2:duplicated",
      "2.001:2:ack",
      "2.002:2:ack",
      "3:3:sent",
      "3.4:3:retransmitted",
      "4:4:dropped",
    ]);
  });

  it("uses the caller's identity mapping", () => {
    const points = stevensPoints(LOSSY_LOG, (identity) => (identity === "reading:1" ? 10 : null));
    expect(points).toEqual([{ timeS: 0, seq: 10, kind: "sent" }]);
  });
});

describe("stevensPlot", () => {
  it("draws one mark per point, a legend with counts and named axes", () => {
    const svg = stevensPlot(stevensPoints(LOSSY_LOG));
    expect(marks(svg, "sent")).toBe(2);
    expect(marks(svg, "retransmitted")).toBe(2);
    expect(marks(svg, "dropped")).toBe(2);
    expect(marks(svg, "duplicated")).toBe(1);
    expect(marks(svg, "ack")).toBe(3);
    expect(marks(svg, "ack-dropped")).toBe(1);
    expect(svg.match(/class="legend /g)).toHaveLength(STEVENS_KINDS.length);
    expect(svg).toContain(">retransmission (2)</text>");
    expect(svg).toContain(">reply dropped by link (1)</text>");
    expect(svg).toContain(">time (s)</text>");
    expect(svg).toContain(">reading sequence number</text>");
    expect(svg).toContain("<title>reading 2, retransmission, 1.500 s</title>");
    expect(svg).toContain("<title>reply to reading 2, reply dropped by link, 1.501 s</title>");
  });

  it("puts later times further right and higher numbers further up", () => {
    const points: StevensPoint[] = [
      { timeS: 0.5, seq: 1, kind: "sent" },
      { timeS: 1.5, seq: 4, kind: "sent" },
    ];
    const svg = stevensPlot(points);
    const circles = [...svg.matchAll(/class="mark sent"><circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);
    expect(circles).toHaveLength(2);
    expect(circles[1]![0]).toBeGreaterThan(circles[0]![0]!);
    expect(circles[1]![1]).toBeLessThan(circles[0]![1]!);
  });

  it("is self-contained, titled, 640×260 and deterministic", () => {
    const points = stevensPoints(LOSSY_LOG);
    const svg = stevensPlot(points, { title: "UDP <reliable> & lossy" });
    expect(svg).toBe(stevensPlot(points, { title: "UDP <reliable> & lossy" }));
    expect(svg).toMatch(/^<svg [^>]*width="640" height="260"/);
    expect(svg).toContain("<title>UDP &lt;reliable&gt; &amp; lossy</title>");
    expect(svg).not.toMatch(/<script|href=|url\(/);
    expect(svg.endsWith("</svg>")).toBe(true);
  });

  it("copes with no points", () => {
    const svg = stevensPlot([]);
    expect(svg).toContain(">no datagrams</text>");
    expect(svg).not.toContain('class="mark');
    expect(svg).not.toContain("NaN");
  });
});
