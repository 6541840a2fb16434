// A time-sequence graph of reliable UDP in the spirit of Wireshark's Stevens graph (tcptrace's time-sequence
// plot): time across, the reading's sequence number up, one mark per datagram the lossy link saw. A reading
// dropped by the link and sent again shows as a cross followed, later on the same row, by a retransmission.

import { xmlAttribute } from "../xml.ts";
import { type IdentityToSeq, identitySeq, type LinkLogEntry, linkDatagrams } from "./link-log.ts";
import { axes, frame, niceTicks, num, svgOpen } from "./svg.ts";

/** What happened to one datagram: readings sent, sent again, dropped or duplicated; replies passed or dropped. */
export type StevensKind = "sent" | "retransmitted" | "dropped" | "duplicated" | "ack" | "ack-dropped";

/** One datagram on the graph. */
export interface StevensPoint {
  /** Seconds since the link started. */
  readonly timeS: number;
  /** The reading's sequence number (a reply: the reading it answers). */
  readonly seq: number;
  readonly kind: StevensKind;
}

export interface StevensPlotOptions {
  readonly title?: string;
}

interface Style {
  readonly label: string;
  readonly colour: string;
  /** The mark centred on (x, y). */
  readonly mark: (x: number, y: number, colour: string) => string;
}

const dot = (r: number) => (x: number, y: number, c: string) =>
  `<circle cx="${num(x)}" cy="${num(y)}" r="${r}" fill="${c}"/>`;
const cross = (h: number, w: number) => (x: number, y: number, c: string) =>
  `<path d="M${num(x - h)} ${num(y - h)}L${num(x + h)} ${num(y + h)}M${num(x - h)} ${num(y + h)}L${num(x + h)} ${num(y - h)}" stroke="${c}" stroke-width="${w}"/>`;

const STYLES: Readonly<Record<StevensKind, Style>> = {
  sent: { label: "first transmission", colour: "#1f77b4", mark: dot(3) },
  retransmitted: {
    label: "retransmission",
    colour: "#ff7f0e",
    mark: (x, y, c) => `<rect x="${num(x - 3.5)}" y="${num(y - 3.5)}" width="7" height="7" fill="${c}"/>`,
  },
  dropped: { label: "dropped by link", colour: "#d62728", mark: cross(4, 2) },
  duplicated: {
    label: "duplicated by link",
    colour: "#9467bd",
    mark: (x, y, c) =>
      `<circle cx="${num(x)}" cy="${num(y)}" r="4.5" fill="none" stroke="${c}" stroke-width="1.5"/>${dot(2)(x, y, c)}`,
  },
  ack: {
    label: "reply delivered",
    colour: "#2ca02c",
    mark: (x, y, c) =>
      `<path d="M${num(x - 3)} ${num(y + 6)}L${num(x + 3)} ${num(y + 6)}L${num(x)} ${num(y + 1)}Z" fill="${c}"/>`,
  },
  "ack-dropped": {
    label: "reply dropped by link",
    colour: "#7f7f7f",
    mark: (x, y, c) => cross(2.5, 1.5)(x, y + 4, c),
  },
};

/** Every kind, in legend order. */
export const STEVENS_KINDS: readonly StevensKind[] = [
  "sent",
  "retransmitted",
  "dropped",
  "duplicated",
  "ack",
  "ack-dropped",
];

/** The graph's points from the lossy link's log; datagrams whose identity names no reading are left out. */
export function stevensPoints(
  log: readonly LinkLogEntry[],
  identityToSeq: IdentityToSeq = identitySeq,
): StevensPoint[] {
  const points: StevensPoint[] = [];
  for (const d of linkDatagrams(log, identityToSeq)) {
    if (d.seq === null) continue;
    let kind: StevensKind;
    if (d.entry.dir === "s2c") kind = d.lost ? "ack-dropped" : "ack";
    else if (d.lost) kind = "dropped";
    else if (d.entry.action === "duplicate") kind = "duplicated";
    else kind = d.repeat ? "retransmitted" : "sent";
    points.push({ timeS: d.entry.t / 1000, seq: d.seq, kind });
  }
  return points.sort((a, b) => a.timeS - b.timeS || a.seq - b.seq);
}

/** The time-sequence graph as a self-contained SVG, 640×260, with a legend counting each kind of mark. */
export function stevensPlot(points: readonly StevensPoint[], options: StevensPlotOptions = {}): string {
  const title = options.title ?? "reliable UDP: readings and replies over time (time-sequence graph)";
  const seqs = points.map((p) => p.seq);
  const minSeq = Math.min(0, ...seqs);
  const xTicks = niceTicks(Math.max(1e-3, ...points.map((p) => p.timeS)), 6);
  const yTicks = niceTicks(Math.max(minSeq + 1, ...seqs), 6, minSeq, true);
  const f = frame(
    640,
    260,
    [xTicks[0]!, xTicks[xTicks.length - 1]!],
    [yTicks[0]!, yTicks[yTicks.length - 1]!],
    {
      left: 52,
      right: 175,
      top: 24,
      bottom: 36,
      inset: 8,
    },
  );
  const parts = [...svgOpen(f, title), ...axes(f, xTicks, yTicks, "time (s)", "reading sequence number")];
  if (points.length === 0) {
    parts.push(
      `<text x="${num((f.left + f.right) / 2)}" y="${num((f.top + f.bottom) / 2)}" text-anchor="middle">no datagrams</text>`,
    );
  }
  for (const p of points) {
    const style = STYLES[p.kind];
    const what = p.kind === "ack" || p.kind === "ack-dropped" ? "reply to reading" : "reading";
    const tip = `${what} ${p.seq}, ${style.label}, ${p.timeS.toFixed(3)} s`;
    parts.push(
      `<g class="mark ${p.kind}">${style.mark(f.x(p.timeS), f.y(p.seq), style.colour)}<title>${xmlAttribute(tip)}</title></g>`,
    );
  }
  STEVENS_KINDS.forEach((kind, i) => {
    const style = STYLES[kind];
    const x = f.right + 16;
    const y = f.top + 8 + i * 16;
    const count = points.filter((p) => p.kind === kind).length;
    parts.push(
      `<g class="legend ${kind}">${style.mark(x, kind === "ack" || kind === "ack-dropped" ? y - 3.5 : y, style.colour)}</g>`,
      `<text x="${x + 10}" y="${y + 3}">${xmlAttribute(`${style.label} (${count})`)}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n");
}
