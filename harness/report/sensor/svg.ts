// Building blocks shared by the sensor plots (gaps against the period, the Stevens graph): escaping, fixed
// number formatting so the same data always gives the same bytes, "nice" axis ticks and the plot frame.
// Every plot is a self-contained <svg>: no scripts, no styles or fonts from elsewhere.
import { xmlAttribute } from "../xml.ts";

/** A coordinate with one decimal and no "-0". */
export function num(value: number): string {
  const text = value.toFixed(1);
  return text === "-0.0" ? "0.0" : text;
}

/** Tick values from 0 (or `min`) to at least `max`, at a 1-2-5 step giving about `count` ticks. */
export function niceTicks(max: number, count = 5, min = 0, integer = false): number[] {
  const span = Math.max(max - min, integer ? 1 : 1e-9);
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(
    [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power,
    integer ? 1 : 0,
  );
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let k = 0; ticks.length === 0 || ticks[ticks.length - 1]! < max; k++)
    ticks.push(round(first + k * step));
  return ticks;
}

/** A tick label: integers as such, other values with as few decimals as the step needs (at most 3). */
export function tickLabel(value: number, step: number): string {
  const decimals = Number.isInteger(step) ? 0 : Math.min(3, Math.max(1, -Math.floor(Math.log10(step))));
  return value.toFixed(decimals);
}

/** The drawing area inside a plot's margins. */
export interface Frame {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  /** Data-to-pixel mappings for the axes' ranges. */
  readonly x: (value: number) => number;
  readonly y: (value: number) => number;
}

/** Space around the drawing area; `inset` keeps data at the ends of the ranges off the axes (pixels). */
export interface Margins {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  readonly inset?: number;
}

/** A frame of `width`×`height` whose axes run over [x0, x1] and [y0, y1]. */
export function frame(
  width: number,
  height: number,
  xRange: readonly [number, number],
  yRange: readonly [number, number],
  margins: Margins = { left: 52, right: 12, top: 24, bottom: 36 },
): Frame {
  const inset = margins.inset ?? 0;
  const left = margins.left;
  const right = width - margins.right;
  const top = margins.top;
  const bottom = height - margins.bottom;
  const [x0, x1] = xRange;
  const [y0, y1] = yRange;
  return {
    width,
    height,
    left,
    right,
    top,
    bottom,
    x: (v) => left + inset + ((v - x0) / (x1 - x0 || 1)) * (right - left - 2 * inset),
    y: (v) => bottom - inset - ((v - y0) / (y1 - y0 || 1)) * (bottom - top - 2 * inset),
  };
}

/** The opening tag, the <title> (tooltip and accessible name) and a heading line at the top left. */
export function svgOpen(f: Frame, title: string): string[] {
  const t = xmlAttribute(title);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" font-family="sans-serif" font-size="10" role="img">`,
    `<title>${t}</title>`,
    `<rect x="0" y="0" width="${f.width}" height="${f.height}" fill="#ffffff"/>`,
    `<text x="${f.left}" y="14" font-size="11">${t}</text>`,
  ];
}

/** Both axes with tick marks, tick labels, light grid lines and the axis names. */
export function axes(
  f: Frame,
  xTicks: readonly number[],
  yTicks: readonly number[],
  xName: string,
  yName: string,
): string[] {
  const parts: string[] = [];
  const xStep = (xTicks[1] ?? 1) - (xTicks[0] ?? 0);
  const yStep = (yTicks[1] ?? 1) - (yTicks[0] ?? 0);
  for (const v of yTicks) {
    const y = num(f.y(v));
    parts.push(
      `<line x1="${f.left}" y1="${y}" x2="${f.right}" y2="${y}" stroke="#e4e4e4"/>`,
      `<text x="${f.left - 4}" y="${num(f.y(v) + 3)}" text-anchor="end">${tickLabel(v, yStep)}</text>`,
    );
  }
  for (const v of xTicks) {
    const x = num(f.x(v));
    parts.push(
      `<line x1="${x}" y1="${f.bottom}" x2="${x}" y2="${f.bottom + 4}" stroke="#444"/>`,
      `<text x="${x}" y="${f.bottom + 14}" text-anchor="middle">${tickLabel(v, xStep)}</text>`,
    );
  }
  const midY = num((f.top + f.bottom) / 2);
  parts.push(
    `<line x1="${f.left}" y1="${f.bottom}" x2="${f.right}" y2="${f.bottom}" stroke="#444"/>`,
    `<line x1="${f.left}" y1="${f.top}" x2="${f.left}" y2="${f.bottom}" stroke="#444"/>`,
    `<text x="${num((f.left + f.right) / 2)}" y="${f.height - 6}" text-anchor="middle">${xmlAttribute(xName)}</text>`,
    `<text x="12" y="${midY}" text-anchor="middle" transform="rotate(-90 12 ${midY})">${xmlAttribute(yName)}</text>`,
  );
  return parts;
}

// Rounds away binary noise (0.1 + 0.2) so tick labels and positions stay exact.
function round(value: number): number {
  return Number(value.toPrecision(12));
}
