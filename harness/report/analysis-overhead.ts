// Overhead tables: bytes per layer (link, network, transport headers) against application payload, by packet kind.
import type { CaptureOverhead, ConversationOverhead, OverheadBucket, PacketKind } from "../analyse/types.ts";
import { bytes, percent, table } from "./markdown.ts";

const kindNames: Record<PacketKind, string> = {
  "tcp-handshake": "TCP handshake (SYN, SYN/ACK, ACK)",
  "tcp-data": "TCP segments with data",
  "tcp-ack": "TCP pure ACKs",
  "tcp-fin": "TCP FIN",
  "tcp-rst": "TCP RST",
  udp: "UDP datagrams",
  ignored: "ignored (marker, ICMP, other)",
};

function row(name: string, b: OverheadBucket): unknown[] {
  return [
    name,
    b.packets,
    bytes(b.link),
    bytes(b.network),
    bytes(b.transport),
    bytes(b.payload),
    bytes(b.total),
    percent(b.headers + b.trailer, b.total),
    b.ratio === null ? "–" : `${b.ratio.toFixed(2)} : 1`,
  ];
}

const headers = [
  "packets of kind",
  "packets",
  "link bytes",
  "network bytes",
  "transport bytes",
  "payload bytes",
  "total bytes",
  "overhead share",
  "headers : payload",
];

/** The overhead table of one conversation, one row per packet kind and a total. */
export function overheadTable(overhead: ConversationOverhead | CaptureOverhead): string {
  const rows = (Object.keys(kindNames) as PacketKind[])
    .filter((k) => overhead.byKind[k] !== undefined)
    .map((k) => row(kindNames[k], overhead.byKind[k]!));
  rows.push(row("**all packets**", overhead.total));
  return table(headers, rows);
}

/** One sentence explaining the overhead figure, for people reading the report. */
export function overheadSentence(overhead: ConversationOverhead | CaptureOverhead): string {
  const t = "conversations" in overhead ? overhead.conversations : overhead.total;
  if (t.total === 0) return "No packets of TCP or UDP conversations.";
  let text =
    `${bytes(t.total)} bytes on the wire carried ${bytes(t.payload)} bytes of application payload: ` +
    `${bytes(t.link)} bytes of link headers, ${bytes(t.network)} of network (IP) headers and ` +
    `${bytes(t.transport)} of transport headers, in ${t.packets} packets of which ${overhead.noPayloadPackets} ` +
    "carried no payload at all.";
  if ("conversations" in overhead && overhead.ignored.packets > 0) {
    text +=
      ` The table's last rows also count ${overhead.ignored.packets} ignored packets (${bytes(overhead.ignored.total)} bytes:` +
      " socklab's end-of-capture marker, ICMP, other protocols), which are not part of the figures above.";
  }
  return text;
}
