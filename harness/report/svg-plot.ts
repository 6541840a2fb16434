// Small self-contained SVG plots for reports: the gaps between periodic messages against the declared period.

export interface GapPlotOptions {
  readonly width?: number;
  readonly height?: number;
  /** The declared period, drawn as a dashed line (µs). */
  readonly periodUs?: number;
  readonly title?: string;
}

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** One bar per gap between consecutive messages (ms), with the declared period as a dashed line. */
export function gapPlot(gapsUs: readonly number[], options: GapPlotOptions = {}): string {
  const width = options.width ?? 480;
  const height = options.height ?? 160;
  const pad = { left: 44, right: 8, top: 20, bottom: 24 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const maxMs = Math.max(1e-3, ...gapsUs.map((g) => g / 1000), (options.periodUs ?? 0) / 1000) * 1.1;
  const y = (ms: number) => pad.top + plotH - (ms / maxMs) * plotH;
  const barW = gapsUs.length === 0 ? 0 : plotW / gapsUs.length;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="10">`,
    `<text x="${pad.left}" y="12">${escapeXml(options.title ?? "gap between consecutive messages (ms)")}</text>`,
    `<line x1="${pad.left}" y1="${pad.top + plotH}" x2="${width - pad.right}" y2="${pad.top + plotH}" stroke="#444"/>`,
    `<line x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${pad.top + plotH}" stroke="#444"/>`,
    `<text x="${pad.left - 4}" y="${pad.top + 4}" text-anchor="end">${maxMs.toFixed(0)}</text>`,
    `<text x="${pad.left - 4}" y="${pad.top + plotH}" text-anchor="end">0</text>`,
  ];
  gapsUs.forEach((g, i) => {
    const top = y(g / 1000);
    parts.push(
      `<rect x="${(pad.left + i * barW + barW * 0.1).toFixed(1)}" y="${top.toFixed(1)}" width="${(barW * 0.8).toFixed(1)}" height="${(pad.top + plotH - top).toFixed(1)}" fill="#4a7fb5"><title>gap ${i + 1}: ${(g / 1000).toFixed(1)} ms</title></rect>`,
    );
  });
  if (options.periodUs !== undefined) {
    const py = y(options.periodUs / 1000).toFixed(1);
    parts.push(
      `<line x1="${pad.left}" y1="${py}" x2="${width - pad.right}" y2="${py}" stroke="#c0392b" stroke-dasharray="4 3"/>`,
      `<text x="${width - pad.right}" y="${Number(py) - 3}" text-anchor="end" fill="#c0392b">period ${(options.periodUs / 1000).toFixed(0)} ms</text>`,
    );
  }
  parts.push(
    `<text x="${pad.left + plotW / 2}" y="${height - 6}" text-anchor="middle">message number</text>`,
    "</svg>",
  );
  return parts.join("\n");
}
