// The packet timeline table of a conversation: number, time, direction, flags, relative seq/ack, length,
// window, labels, payload preview.
import type { PacketRow } from "../analyse/types.ts";
import { code, table } from "./markdown.ts";

/** The timeline as a Markdown table, folded after `max` rows. */
export function timelineTable(rows: readonly PacketRow[], max: number): string {
  const shown = rows.length > max ? rows.slice(0, max) : rows;
  const body = shown.map((r) => [
    r.number,
    r.relativeSeconds.toFixed(6),
    r.direction === "c2s" ? "C → S" : "S → C",
    r.protocol === "tcp" ? r.flags : "UDP",
    r.protocol === "tcp" ? r.seq : "",
    r.protocol === "tcp" ? (r.ack ?? "") : "",
    r.payloadLength,
    r.protocol === "tcp" ? r.window : "",
    r.protocol === "tcp" ? r.labels.join(", ") : "",
    r.payloadLength > 0 ? code(r.preview.text + (r.preview.truncated ? "…" : "")) : "",
  ]);
  const text = table(
    ["No.", "time (s)", "dir", "flags", "seq", "ack", "len", "win", "labels", "payload"],
    body,
  );
  return rows.length > max
    ? `${text}\n\n… ${rows.length - max} more packets (see the pcap or --json).`
    : text;
}
