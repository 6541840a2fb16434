// What one reading costs on the wire, layer by layer: its own payload, the reply's, and the transport,
// network and link headers of every packet of the conversations (handshake, ACKs, close, retransmissions and
// replies included), divided by the readings delivered. TCP and UDP side by side make the lab's overhead point.
import type { Conversation } from "../../analyse/types.ts";
import { table, bytes as thousands } from "../markdown.ts";

/** Bytes of one layer or payload part. */
export interface LayerBytes {
  /** Application payload from the client (the readings, resent bytes included). */
  readonly readingPayload: number;
  /** Application payload from the server (the replies). */
  readonly replyPayload: number;
  readonly transport: number;
  readonly network: number;
  readonly link: number;
  /** Bytes after the IP packet (Ethernet padding); 0 on loopback. */
  readonly trailer: number;
  /** Σ frame lengths: the parts above add up to it. */
  readonly total: number;
}

/** The wire cost of the readings of some conversations. */
export interface ReadingOverhead {
  readonly readings: number;
  /** The size of one reading (its struct's calcsize). */
  readonly readingSize: number;
  readonly conversations: number;
  readonly packets: number;
  /** Over every packet of the conversations. */
  readonly bytes: LayerBytes;
  /** `bytes` divided by the readings; null without readings. */
  readonly perReading: LayerBytes | null;
  readonly packetsPerReading: number | null;
  /** Bytes on the wire per byte of reading: total / (readings × readingSize); null when that is 0. */
  readonly ratio: number | null;
}

/** The data and its Markdown (a table of layers with totals and per-reading figures, and one sentence). */
export interface ReadingOverheadReport {
  readonly data: ReadingOverhead;
  readonly markdown: string;
}

const LAYERS: readonly (readonly [keyof LayerBytes, string])[] = [
  ["readingPayload", "application payload: readings"],
  ["replyPayload", "application payload: replies"],
  ["transport", "transport headers (TCP/UDP)"],
  ["network", "network headers (IP)"],
  ["link", "link headers"],
  ["trailer", "link trailers and padding"],
];

/** Bytes per layer per reading over all packets of `conversations`. */
export function overheadPerReading(
  conversations: readonly Conversation[],
  readingsCount: number,
  payloadBytesOfReading: number,
): ReadingOverheadReport {
  const sum = (pick: (c: Conversation) => number) => conversations.reduce((acc, c) => acc + pick(c), 0);
  const payload = sum((c) => c.overhead.total.payload);
  const readingPayload = Math.min(
    payload,
    sum((c) => c.c2s.payloadBytes),
  );
  const bytes: LayerBytes = {
    readingPayload,
    replyPayload: payload - readingPayload,
    transport: sum((c) => c.overhead.total.transport),
    network: sum((c) => c.overhead.total.network),
    link: sum((c) => c.overhead.total.link),
    trailer: sum((c) => c.overhead.total.trailer),
    total: sum((c) => c.overhead.total.total),
  };
  const packets = sum((c) => c.overhead.total.packets);
  const n = readingsCount;
  const useful = n * payloadBytesOfReading;
  const data: ReadingOverhead = {
    readings: n,
    readingSize: payloadBytesOfReading,
    conversations: conversations.length,
    packets,
    bytes,
    perReading: n > 0 ? divide(bytes, n) : null,
    packetsPerReading: n > 0 ? packets / n : null,
    ratio: useful > 0 ? bytes.total / useful : null,
  };
  return { data, markdown: overheadMarkdown(data) };
}

/** The per-reading figures of several runs side by side (e.g. TCP, UDP, reliable UDP), one column each. */
export function overheadComparison(rows: readonly { label: string; data: ReadingOverhead }[]): string {
  const per = (d: ReadingOverhead, key: keyof LayerBytes) =>
    d.perReading === null ? "–" : d.perReading[key].toFixed(1);
  const showTrailer = rows.some((r) => r.data.bytes.trailer > 0);
  const body: unknown[][] = [
    ["readings", ...rows.map((r) => r.data.readings)],
    ["reading size (bytes)", ...rows.map((r) => r.data.readingSize)],
    ...LAYERS.filter(([key]) => key !== "trailer" || showTrailer).map(([key, name]) => [
      `${name}, bytes per reading`,
      ...rows.map((r) => per(r.data, key)),
    ]),
    ["**total on the wire, bytes per reading**", ...rows.map((r) => per(r.data, "total"))],
    [
      "packets per reading",
      ...rows.map((r) => (r.data.packetsPerReading === null ? "–" : r.data.packetsPerReading.toFixed(2))),
    ],
    ["wire bytes per byte of reading", ...rows.map((r) => ratioText(r.data.ratio))],
  ];
  return table(["", ...rows.map((r) => r.label)], body);
}

function overheadMarkdown(d: ReadingOverhead): string {
  const layers = LAYERS.filter(([key]) => key !== "trailer" || d.bytes.trailer > 0);
  const per = (value: number) => (d.readings > 0 ? (value / d.readings).toFixed(1) : "–");
  const share = (value: number) =>
    d.bytes.total > 0 ? `${((100 * value) / d.bytes.total).toFixed(1)} %` : "–";
  const rows = [
    ...layers.map(([key, name]) => [name, thousands(d.bytes[key]), per(d.bytes[key]), share(d.bytes[key])]),
    ["**total on the wire**", thousands(d.bytes.total), per(d.bytes.total), share(d.bytes.total)],
  ];
  const text =
    d.readings === 0
      ? `No readings were delivered; ${d.packets} packets carried ${d.bytes.total} bytes.`
      : `Each reading of ${d.readingSize} bytes cost ${per(d.bytes.total)} bytes on the wire in ` +
        `${d.packetsPerReading!.toFixed(2)} packets (${d.packets} packets over ${d.readings} readings, ` +
        `every packet of ${d.conversations} ${d.conversations === 1 ? "conversation" : "conversations"} ` +
        `counted): ${ratioText(d.ratio)} bytes on the wire per byte of reading.`;
  return [table(["part", "bytes", "bytes per reading", "share of the wire"], rows), "", text].join("\n");
}

function divide(b: LayerBytes, n: number): LayerBytes {
  return {
    readingPayload: b.readingPayload / n,
    replyPayload: b.replyPayload / n,
    transport: b.transport / n,
    network: b.network / n,
    link: b.link / n,
    trailer: b.trailer / n,
    total: b.total / n,
  };
}

function ratioText(ratio: number | null): string {
  return ratio === null ? "–" : ratio.toFixed(2);
}
