// The price of reliability over a lossy link, from the link's own log: how many datagrams the client sent for
// the readings that got through, how many were retransmissions, what the link dropped and duplicated, and the
// payload bytes spent beyond one transmission of each reading and one reply to it.
import type { Direction } from "../../impair/index.ts";
import { table, bytes as thousands } from "../markdown.ts";
import { type IdentityToSeq, identitySeq, type LinkLogEntry, linkDatagrams } from "./link-log.ts";

/** Per direction of the link: client to server (readings) and server to client (replies). */
export type PerDirection = Readonly<Record<Direction, number>>;

/** The cost of reliable UDP, counted on the lossy link. */
export interface ReliabilityPrice {
  /** Unique readings (the count the caller establishes, e.g. distinct sequence numbers the server got). */
  readonly readings: number;
  /** Datagrams the client sent (arrivals at the link). */
  readonly datagramsSent: number;
  /** Datagrams beyond one per reading: datagramsSent − readings (never below 0). */
  readonly extraDatagrams: number;
  /** Client datagrams that repeat an earlier one (same bytes, or same identity). */
  readonly retransmissions: number;
  /** Datagrams the server sent (arrivals at the link). */
  readonly replies: number;
  /** Server datagrams that repeat an earlier reply (it answered a reading again). */
  readonly repeatedReplies: number;
  /** Datagrams the link passed on twice. */
  readonly duplicatedByLink: PerDirection;
  /** Datagrams the link never passed on. */
  readonly droppedByLink: PerDirection;
  /** Datagrams the link delayed or reordered. */
  readonly heldByLink: PerDirection;
  /** Payload bytes that arrived at the link. */
  readonly payloadBytes: PerDirection;
  /** Payload bytes of retransmissions and repeated replies. */
  readonly extraPayloadBytes: number;
}

export interface ReliabilityPriceReport {
  readonly data: ReliabilityPrice;
  readonly markdown: string;
}

/** Counts the price of reliability in the link's log for `readingsCount` unique readings. */
export function priceOfReliability(
  log: readonly LinkLogEntry[],
  readingsCount: number,
  identityToSeq: IdentityToSeq = identitySeq,
): ReliabilityPriceReport {
  const datagrams = linkDatagrams(log, identityToSeq);
  const per = (test: (d: (typeof datagrams)[number]) => boolean): PerDirection => ({
    c2s: datagrams.filter((d) => d.entry.dir === "c2s" && test(d)).length,
    s2c: datagrams.filter((d) => d.entry.dir === "s2c" && test(d)).length,
  });
  const sumLen = (dir: Direction, test: (d: (typeof datagrams)[number]) => boolean) =>
    datagrams.filter((d) => d.entry.dir === dir && test(d)).reduce((acc, d) => acc + d.entry.len, 0);
  const sent = per(() => true);
  const repeats = per((d) => d.repeat);
  const data: ReliabilityPrice = {
    readings: readingsCount,
    datagramsSent: sent.c2s,
    extraDatagrams: Math.max(0, sent.c2s - readingsCount),
    retransmissions: repeats.c2s,
    replies: sent.s2c,
    repeatedReplies: repeats.s2c,
    duplicatedByLink: per((d) => d.entry.action === "duplicate" && !d.lost),
    droppedByLink: per((d) => d.lost),
    heldByLink: per((d) => (d.entry.action === "delay" || d.entry.action === "reorder") && !d.lost),
    payloadBytes: { c2s: sumLen("c2s", () => true), s2c: sumLen("s2c", () => true) },
    extraPayloadBytes: sumLen("c2s", (d) => d.repeat) + sumLen("s2c", (d) => d.repeat),
  };
  return { data, markdown: priceMarkdown(data) };
}

function priceMarkdown(p: ReliabilityPrice): string {
  const rows = [
    ["datagrams sent", p.datagramsSent, p.replies],
    ["… repeating an earlier one (retransmissions, repeated replies)", p.retransmissions, p.repeatedReplies],
    ["dropped by the link", p.droppedByLink.c2s, p.droppedByLink.s2c],
    ["duplicated by the link", p.duplicatedByLink.c2s, p.duplicatedByLink.s2c],
    ["delayed or reordered by the link", p.heldByLink.c2s, p.heldByLink.s2c],
    ["payload bytes", thousands(p.payloadBytes.c2s), thousands(p.payloadBytes.s2c)],
  ];
  const perReading = p.readings > 0 ? (p.datagramsSent / p.readings).toFixed(2) : "–";
  const text =
    `${p.readings} unique readings took ${p.datagramsSent} datagrams from the client (${perReading} per reading, ` +
    `${p.extraDatagrams} extra); retransmissions and repeated replies carried ${thousands(p.extraPayloadBytes)} ` +
    "extra payload bytes.";
  return [table(["", "client → server", "server → client"], rows), "", text].join("\n");
}
