// How regularly the sensor client sent its readings: inter-arrival statistics per client conversation against
// the declared period, and a plot of every gap (ms) with the period and a ±20 % band around it.
import {
  type ArrivalStats,
  arrivalStats,
  BURST_FRACTION,
  burstGaps,
  CATCH_UP_FRACTION,
  PERIOD_TOLERANCE,
} from "../../analyse/timing.ts";
import type { TimedMessage } from "../../grade/sensor/sensor-traffic.ts";
import { table } from "../markdown.ts";
import { xmlAttribute } from "../xml.ts";
import { axes, type Frame, frame, niceTicks, num, svgOpen } from "./svg.ts";

/** The arrivals of one client conversation. */
export interface TimingSeries {
  readonly label: string;
  readonly conversation: number;
  readonly stats: ArrivalStats;
}

const LEGEND_Y = 28;
const COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f"];

/** Arrival statistics of the readings, one series per conversation in order of first reading. */
export function timingSeries(readings: readonly TimedMessage[]): TimingSeries[] {
  const times = new Map<number, number[]>();
  for (const reading of readings) {
    const list = times.get(reading.conversation) ?? [];
    list.push(reading.timeUs);
    times.set(reading.conversation, list);
  }
  const several = times.size > 1;
  return [...times].map(([conversation, list]) => ({
    label: several ? `conversation ${conversation}` : "readings",
    conversation,
    stats: arrivalStats([...list].sort((a, b) => a - b)),
  }));
}

/** A statistics table and a gap plot of the readings against the declared period (null: none declared). */
export function timingSection(readings: readonly TimedMessage[], intervalSeconds: number | null): string {
  const series = timingSeries(readings);
  if (series.length === 0) return "No readings, so no timing to show.";
  const periodUs = intervalSeconds === null ? null : intervalSeconds * 1e6;
  const ms = (us: number | null) => (us === null ? "–" : (us / 1000).toFixed(1));
  const rows = series.map(({ label, stats }) => [
    label,
    stats.count,
    ms(stats.medianUs),
    ms(stats.gapsUs.length === 0 ? null : stats.gapsUs.reduce((a, b) => a + b, 0) / stats.gapsUs.length),
    ms(stats.minUs),
    ms(stats.maxUs),
    periodUs === null ? "–" : burstGaps(stats.gapsUs, periodUs).length,
    ms(periodUs),
    medianError(stats, periodUs),
  ]);
  const headers = [
    "series",
    "readings",
    "median gap (ms)",
    "mean gap (ms)",
    "min gap (ms)",
    "max gap (ms)",
    "bursts",
    "declared period (ms)",
    "median error",
  ];
  const note =
    periodUs === null
      ? "No period was declared, so no gap is judged a burst."
      : `A burst is a gap shorter than a quarter of the declared period (${ms(periodUs * BURST_FRACTION)} ms), ` +
        `unless it follows a gap over ${CATCH_UP_FRACTION} periods (a late reading caught up). ` +
        `The median error compares the median gap with the declared period (the check allows ±${PERIOD_TOLERANCE * 100} %).`;
  return [table(headers, rows), "", note, "", timingPlot(series, periodUs)].join("\n");
}

/** The median gap's distance from the period, signed, as a percentage ("–" when either is unknown). */
export function medianError(stats: ArrivalStats, periodUs: number | null): string {
  if (stats.medianUs === null || periodUs === null || periodUs <= 0) return "–";
  const error = (100 * (stats.medianUs - periodUs)) / periodUs;
  return `${error >= 0 ? "+" : ""}${error.toFixed(1)} %`;
}

/** Every gap (ms) of every series as dots joined by a line, with the period dashed and the ±20 % band. */
export function timingPlot(series: readonly TimingSeries[], periodUs: number | null): string {
  const gapsMs = series.map((s) => s.stats.gapsUs.map((g) => g / 1000));
  const periodMs = periodUs === null ? null : periodUs / 1000;
  const most = Math.max(1, ...gapsMs.map((g) => g.length));
  const top = Math.max(1e-3, ...gapsMs.flat(), periodMs === null ? 0 : periodMs * (1 + PERIOD_TOLERANCE));
  const yTicks = niceTicks(top * 1.05, 5);
  const xTicks = niceTicks(most, 8, 0, true).filter((t) => t >= 1 || most === 1);
  const xMax = Math.max(most, xTicks[xTicks.length - 1] ?? most);
  const f = frame(640, 260, [0, xMax], [0, yTicks[yTicks.length - 1]!], {
    left: 52,
    right: 12,
    top: 40,
    bottom: 36,
  });
  const parts = svgOpen(f, "gap between consecutive readings (ms)");
  if (periodMs !== null) {
    const bandTop = f.y(periodMs * (1 + PERIOD_TOLERANCE));
    const bandBottom = f.y(periodMs * (1 - PERIOD_TOLERANCE));
    parts.push(
      `<rect class="band" x="${f.left}" y="${num(bandTop)}" width="${f.right - f.left}" height="${num(bandBottom - bandTop)}" fill="#c0392b" fill-opacity="0.08"/>`,
    );
  }
  parts.push(...axes(f, xTicks, yTicks, "gap number", "gap (ms)"));
  if (periodMs !== null) {
    const y = num(f.y(periodMs));
    parts.push(
      `<line class="period" x1="${f.left}" y1="${y}" x2="${f.right}" y2="${y}" stroke="#c0392b" stroke-dasharray="5 3"/>`,
    );
  }
  series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const gaps = gapsMs[i]!;
    const points = gaps.map((g, k) => `${num(f.x(k + 1))},${num(f.y(g))}`);
    if (points.length > 1) {
      parts.push(`<polyline points="${points.join(" ")}" fill="none" stroke="${colour}" stroke-width="1"/>`);
    }
    gaps.forEach((g, k) => {
      parts.push(
        `<circle class="gap" cx="${num(f.x(k + 1))}" cy="${num(f.y(g))}" r="2.5" fill="${colour}"><title>${xmlAttribute(s.label)}, gap ${k + 1}: ${g.toFixed(1)} ms</title></circle>`,
      );
    });
  });
  parts.push(...legend(f, series, periodMs), "</svg>");
  return parts.join("\n");
}

// One row under the title, left to right: the period and its band, then each series when there are several.
function legend(f: Frame, series: readonly TimingSeries[], periodMs: number | null): string[] {
  const entries: string[] = [];
  let x = f.left;
  const add = (label: string, mark: (x: number) => string) => {
    if (x > f.right - 60) return;
    entries.push(mark(x), `<text x="${num(x + 14)}" y="${LEGEND_Y + 3}">${xmlAttribute(label)}</text>`);
    x += 24 + label.length * 5.5;
  };
  if (periodMs !== null) {
    add(`declared period ${periodMs.toFixed(0)} ms, ±${PERIOD_TOLERANCE * 100} % band`, (lx) =>
      [
        `<rect x="${num(lx)}" y="${LEGEND_Y - 5}" width="10" height="10" fill="#c0392b" fill-opacity="0.15"/>`,
        `<line x1="${num(lx)}" y1="${LEGEND_Y}" x2="${num(lx + 10)}" y2="${LEGEND_Y}" stroke="#c0392b" stroke-dasharray="3 2"/>`,
      ].join(""),
    );
  }
  if (series.length > 1) {
    series.forEach((s, i) => {
      const colour = COLOURS[i % COLOURS.length]!;
      add(s.label, (lx) => `<circle cx="${num(lx + 5)}" cy="${LEGEND_Y}" r="3" fill="${colour}"/>`);
    });
  }
  return entries;
}
