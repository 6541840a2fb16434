// Frame by frame: each frame's stream, relative sequence numbers, lengths, analysis labels, duplicate-ACK
// numbers and time, tshark's fields against the row socklab's document gives the frame.
//
// What is not compared, and why:
// - Frames whose protocols include ICMP/ICMPv6: tshark dissects the TCP/UDP header quoted inside an ICMP
//   error and shows its fields; socklab puts the error in no conversation (its document has no row for it).
//   Such a frame must have no row in socklab's document; tshark's quoted fields are not compared.
// - tcp.ack on a packet without the ACK flag: the field holds whatever the sender left there and tshark still
//   shows it (relative to nothing meaningful); socklab's document gives `ack: null` there by definition.
// - tcp.analysis.retransmission beside fast_retransmission or spurious_retransmission: tshark adds the plain
//   retransmission field to both (one flag bit, two fields); socklab's label list has the one label.
// - udp.length on an IP fragment tshark did not reassemble (the snap length cut its data, or a piece is
//   missing): tshark shows the UDP header's length field, the whole datagram's, while the document's
//   `payloadLength` is by definition what the IP lengths hold (this fragment's); the document has no field for
//   the header's value. The frame's stream and time are still compared.
// Times: a row's `relativeNs` (its `relativeUs` in a document without it) is compared with
// frame.time_relative to the nanosecond.
import { TCP_LABEL_TABLE } from "../../../harness/analyse/tcp-labels.ts";
import type {
  CaptureAnalysis,
  Conversation,
  PacketRow,
  TcpPacketRow,
} from "../../../harness/analyse/types.ts";
import type { Discrepancy } from "./discrepancy.ts";
import { isIcmp, type TsharkView } from "./tshark.ts";

const LABEL_OF_FIELD = new Map<string, string>(TCP_LABEL_TABLE.map((e) => [e.tsharkField, e.label]));
const LABEL_ORDER = TCP_LABEL_TABLE.map((e) => e.label as string);

/** socklab's labels that tshark's analysis fields stand for, in Wireshark's evaluation order. */
export function expectedLabels(fields: readonly string[]): string[] {
  const labels = new Set(fields.map((f) => LABEL_OF_FIELD.get(f)).filter((l) => l !== undefined));
  if (labels.has("fast-retransmission") || labels.has("spurious-retransmission"))
    labels.delete("retransmission");
  return LABEL_ORDER.filter((l) => labels.has(l));
}

function rowNs(row: PacketRow): number {
  const ns = (row as { relativeNs?: number }).relativeNs;
  return typeof ns === "number" ? ns : row.relativeUs * 1000;
}

function nextSeq(row: TcpPacketRow): number {
  return row.seq + row.payloadLength + (row.flags.includes("S") ? 1 : 0) + (row.flags.includes("F") ? 1 : 0);
}

interface Located {
  readonly conversation: Conversation;
  readonly row: PacketRow;
}

/** Appends to `out` every frame-level discrepancy. */
export function compareFrames(view: TsharkView, doc: CaptureAnalysis, out: Discrepancy[]): void {
  const rows = new Map<number, Located>();
  for (const conversation of doc.conversations) {
    if (conversation.timelineOmitted > 0) {
      out.push({
        scope: "conversation",
        where: `${conversation.protocol} stream ${conversation.stream}`,
        field: "timelineOmitted (--packets all keeps every row)",
        tshark: 0,
        socklab: conversation.timelineOmitted,
      });
    }
    for (const row of conversation.timeline ?? []) {
      const seen = rows.get(row.number);
      if (seen !== undefined) {
        out.push({
          scope: "frame",
          where: `frame ${row.number}`,
          field: "rows for one frame",
          tshark: 1,
          socklab: `${seen.conversation.protocol} stream ${seen.conversation.stream} and ${conversation.protocol} stream ${conversation.stream}`,
        });
      }
      rows.set(row.number, { conversation, row });
    }
  }
  const numbers = new Set(view.frames.map((f) => f.number));
  for (const number of rows.keys()) {
    if (!numbers.has(number)) {
      out.push({
        scope: "frame",
        where: `frame ${number}`,
        field: "frame",
        tshark: "no such frame",
        socklab: "a row",
      });
    }
  }
  for (const frame of view.frames) {
    const where = `frame ${frame.number}`;
    const add = (field: string, tshark: unknown, socklab: unknown) => {
      if (JSON.stringify(tshark) !== JSON.stringify(socklab))
        out.push({ scope: "frame", where, field, tshark, socklab });
    };
    const found = rows.get(frame.number);
    const ours = found ? `${found.conversation.protocol} stream ${found.conversation.stream}` : "no row";
    const transport = isIcmp(frame) ? null : frame.tcp ? "tcp" : frame.udp ? "udp" : null;
    if (transport === null) {
      if (found) add("tcp.stream / udp.stream", isIcmp(frame) ? "none (ICMP)" : "none", ours);
      continue;
    }
    const stream = transport === "tcp" ? frame.tcp!.stream : frame.udp!.stream;
    add(`${transport}.stream`, `${transport} stream ${stream}`, ours);
    if (!found || found.conversation.protocol !== transport) continue;
    add("frame.time_relative (ns)", frame.relativeNs, rowNs(found.row));
    const row = found.row;
    if (transport === "udp") {
      if (frame.udp!.length !== null && !frame.unreassembledFragment)
        add("udp.length", frame.udp!.length, row.payloadLength + 8);
      continue;
    }
    const tcp = frame.tcp!;
    const tcpRow = row as TcpPacketRow;
    if (tcp.seq !== null) add("tcp.seq", tcp.seq, tcpRow.seq);
    if (tcp.ackFlag && tcp.ack !== null) add("tcp.ack", tcp.ack, tcpRow.ack);
    if (tcp.nxtseq !== null) add("tcp.nxtseq", tcp.nxtseq, nextSeq(tcpRow));
    if (tcp.len !== null) add("tcp.len", tcp.len, tcpRow.payloadLength);
    add("tcp.analysis labels", expectedLabels(tcp.analysis), tcpRow.labels);
    add(
      "tcp.analysis.duplicate_ack_num/_frame",
      tcp.duplicateAckNum === null ? null : { number: tcp.duplicateAckNum, of: tcp.duplicateAckFrame },
      tcpRow.duplicateAck,
    );
  }
}
