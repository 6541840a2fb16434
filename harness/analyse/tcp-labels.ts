// Wireshark's TCP analysis labels (its `tcp.analysis.*` flags), listed once: the name socklab's analysis
// JSON uses, Wireshark's flag bit (TCP_A_* in epan/dissectors/packet-tcp.c) and the tshark field that shows
// it. The list is in Wireshark's evaluation order, the order a packet's labels and a conversation's label
// counts are written in; `reused-ports`, set before the analysis runs, is listed last, where tshark's Info
// column shows it. tshark also shows `tcp.analysis.retransmission` on fast and spurious retransmissions.

/** Every label, in Wireshark's evaluation order. */
export const TCP_LABEL_TABLE = [
  { label: "zero-window-probe", bit: 0x0040, tsharkField: "tcp.analysis.zero_window_probe" },
  { label: "zero-window", bit: 0x0020, tsharkField: "tcp.analysis.zero_window" },
  { label: "previous-segment-not-captured", bit: 0x0002, tsharkField: "tcp.analysis.lost_segment" },
  { label: "keep-alive", bit: 0x0008, tsharkField: "tcp.analysis.keep_alive" },
  { label: "window-update", bit: 0x0800, tsharkField: "tcp.analysis.window_update" },
  { label: "window-full", bit: 0x1000, tsharkField: "tcp.analysis.window_full" },
  { label: "keep-alive-ack", bit: 0x0100, tsharkField: "tcp.analysis.keep_alive_ack" },
  { label: "zero-window-probe-ack", bit: 0x0080, tsharkField: "tcp.analysis.zero_window_probe_ack" },
  { label: "duplicate-ack", bit: 0x0010, tsharkField: "tcp.analysis.duplicate_ack" },
  { label: "acked-unseen-segment", bit: 0x0004, tsharkField: "tcp.analysis.ack_lost_segment" },
  { label: "spurious-retransmission", bit: 0x4000, tsharkField: "tcp.analysis.spurious_retransmission" },
  { label: "fast-retransmission", bit: 0x0400, tsharkField: "tcp.analysis.fast_retransmission" },
  { label: "out-of-order", bit: 0x0200, tsharkField: "tcp.analysis.out_of_order" },
  { label: "retransmission", bit: 0x0001, tsharkField: "tcp.analysis.retransmission" },
  { label: "reused-ports", bit: 0x2000, tsharkField: "tcp.analysis.reused_ports" },
] as const satisfies readonly { label: string; bit: number; tsharkField: string }[];

/** A Wireshark TCP analysis label, as socklab's analysis JSON names it. */
export type TcpLabel = (typeof TCP_LABEL_TABLE)[number]["label"];

/** The labels in Wireshark's evaluation order. */
export const TCP_LABELS: readonly TcpLabel[] = TCP_LABEL_TABLE.map((entry) => entry.label);

/** The flag bit of each label of TCP_LABELS, at the same index. */
export const TCP_LABEL_BITS: readonly number[] = TCP_LABEL_TABLE.map((entry) => entry.bit);

/** The flag bit of each label (Wireshark's TCP_A_*). */
export const LABEL_BITS: Readonly<Record<TcpLabel, number>> = Object.fromEntries(
  TCP_LABEL_TABLE.map((entry) => [entry.label, entry.bit]),
) as Record<TcpLabel, number>;

/** Label names of a bit set, in evaluation order. */
export function labelNames(bits: number): TcpLabel[] {
  const names: TcpLabel[] = [];
  if (bits === 0) return names;
  for (let i = 0; i < TCP_LABELS.length; i++)
    if ((bits & TCP_LABEL_BITS[i]!) !== 0) names.push(TCP_LABELS[i]!);
  return names;
}

/**
 * Label counts indexed like TCP_LABELS as an object with every label as a key, always in evaluation order (so
 * every conversation's object has the same shape).
 */
export function countsByLabel(counts: ArrayLike<number>): Record<TcpLabel, number> {
  const out = {} as Record<TcpLabel, number>;
  for (let i = 0; i < TCP_LABELS.length; i++) out[TCP_LABELS[i]!] = counts[i]!;
  return out;
}
