// The `socklab analyse` report: per conversation a summary, the handshake field by field, data and
// acknowledgements per direction, the close, the analysis labels, a packet timeline, a Mermaid sequence
// diagram and the overhead table — the questions the handout asks students to answer with Wireshark.
import type {
  CaptureAnalysis,
  Conversation,
  PacketRow,
  TcpConversation,
  UdpConversation,
} from "../analyse/types.ts";
import { endpoint, seconds } from "./analysis-format.ts";
import { overheadSentence, overheadTable } from "./analysis-overhead.ts";
import { tcpSections } from "./analysis-tcp.ts";
import { timelineTable } from "./analysis-timeline.ts";
import { udpSections } from "./analysis-udp.ts";
import { bytes, fenced, table } from "./markdown.ts";
import { type SequenceRow, sequenceDiagram } from "./mermaid.ts";

/** Conversations shown with a section of their own in a report; the others are in its table only. */
export const MAX_SECTIONS = 20;
/** Rows of the conversations table; beyond them one row says how many more there are. */
export const MAX_TABLE_ROWS = 100;

export interface AnalysisMarkdownOptions {
  readonly title?: string;
  /** Timeline rows shown per conversation before folding. Default 200. */
  readonly maxTimelineRows?: number;
  /** Heading level of the title (1 = `#`). Default 1. */
  readonly level?: number;
}

/** The whole report as Markdown. */
export function renderAnalysisMarkdown(
  analysis: CaptureAnalysis,
  options: AnalysisMarkdownOptions = {},
): string {
  const h = "#".repeat(options.level ?? 1);
  const c = analysis.capture;
  const parts: string[] = [];
  parts.push(`${h} ${options.title ?? "Capture analysis"}`);
  parts.push(
    table(
      ["capture", "value"],
      [
        ["file", c.file ?? "–"],
        [
          "format",
          `${c.format ?? "–"}, link type ${c.linkType}${c.linkTypeCode === null ? "" : ` (${c.linkTypeCode})`}`,
        ],
        ["packets", c.packets],
        ["bytes on the wire", bytes(c.bytes)],
        ["duration", seconds(c.durationUs)],
        ["port filter", c.port ?? "none"],
        ["TCP/UDP conversations", c.conversationCount],
        ["ignored packets", ignoredText(analysis)],
        ["decode problems", c.problems.packets === 0 ? "none" : `${c.problems.packets} packets`],
      ],
    ),
  );
  if (c.problems.list.length > 0) {
    parts.push(`${h}# Decode problems`);
    parts.push(
      table(
        ["packet", "layer", "problem", "offset", "detail"],
        c.problems.list.map((p) => [p.packet, p.layer, p.code, p.offset, p.message]),
      ),
    );
  }
  if (analysis.conversations.length > 0) {
    parts.push(`${h}# Conversations`);
    parts.push(
      table(
        [
          "#",
          "protocol",
          "client",
          "server",
          "packets",
          "client → server bytes",
          "server → client bytes",
          "verdict",
        ],
        analysis.conversations
          .slice(0, MAX_TABLE_ROWS)
          .map((conv) => [
            conv.id,
            conv.protocol.toUpperCase(),
            endpoint(conv.client),
            endpoint(conv.server),
            conv.packets,
            bytes(conv.c2s.payloadBytes),
            bytes(conv.s2c.payloadBytes),
            conv.protocol === "tcp" ? tcpVerdict(conv) : udpVerdict(conv),
          ])
          .concat(
            analysis.conversations.length > MAX_TABLE_ROWS
              ? [[`…`, `${analysis.conversations.length - MAX_TABLE_ROWS} more conversations, not listed`]]
              : [],
          ),
      ),
    );
  }
  if (c.conversationsDropped > 0) {
    parts.push(`${c.conversationsDropped} further conversations were analysed but are not listed.`);
  }
  if (c.cut.packets > 0) {
    const first = c.cut.first;
    parts.push(
      `${c.cut.packets} ${c.cut.packets === 1 ? "packet was" : "packets were"} cut by the snap length inside their headers` +
        (first === null ? "" : ` (first: packet ${first.packet}, ${first.message})`) +
        ": analysed as far as they were captured, as tshark does, with no TCP analysis labels on them.",
    );
  }
  if (c.fragmentsEvicted > 0) {
    parts.push(
      `${c.fragmentsEvicted} IP fragments were dropped by the reassembly memory cap: datagrams tshark would reassemble may be missing.`,
    );
  }
  if (c.latePackets > 0) {
    parts.push(
      `${c.latePackets} ${c.latePackets === 1 ? "packet" : "packets"} came after their conversation had been finished and reported: counted in the totals, in no conversation.`,
    );
  }
  // A report stays readable (and small) whatever a program did: a section for each of the first few
  // conversations, the rest in the table only.
  for (const conv of analysis.conversations.slice(0, MAX_SECTIONS)) {
    parts.push(conversationSection(conv, `${h}#`, options));
  }
  if (analysis.conversations.length > MAX_SECTIONS) {
    parts.push(
      `${analysis.conversations.length - MAX_SECTIONS} further conversations have no section of their own here: ` +
        "the capture beside this report holds them all.",
    );
  }
  parts.push(`${h}# Overhead of the whole capture`);
  parts.push(overheadSentence(analysis.overhead));
  parts.push(overheadTable(analysis.overhead));
  return `${parts.join("\n\n")}\n`;
}

function ignoredText(analysis: CaptureAnalysis): string {
  const i = analysis.capture.ignored;
  if (i.total === 0) return "none";
  const bits = [
    i.marker + i.markerIcmp > 0 ? `${i.marker + i.markerIcmp} of socklab's end-of-capture marker` : "",
    i.nonIp > 0 ? `${i.nonIp} not IP` : "",
    i.otherProtocol > 0 ? `${i.otherProtocol} other protocols` : "",
    i.otherPort > 0 ? `${i.otherPort} on other ports` : "",
    i.fragments > 0 ? `${i.fragments} IP fragments of no reassembled datagram` : "",
  ].filter(Boolean);
  return `${i.total} (${bits.join(", ")})`;
}

function tcpVerdict(conv: TcpConversation): string {
  const bits = [
    conv.handshake.complete ? "handshake ✓" : "handshake ✗",
    conv.c2s.acked.allAcked && conv.s2c.acked.allAcked ? "all acked ✓" : "unacked data",
    conv.close.state === "graceful" ? "FIN both ways ✓" : `close: ${conv.close.state}`,
  ];
  return bits.join(", ");
}

function udpVerdict(conv: UdpConversation): string {
  return `${conv.c2s.datagrams} → / ${conv.s2c.datagrams} ←${conv.replies.repliedToSource ? ", replies to source ✓" : ""}`;
}

function conversationSection(conv: Conversation, h: string, options: AnalysisMarkdownOptions): string {
  const parts: string[] = [];
  const title = `${conv.protocol.toUpperCase()} conversation ${conv.id}: ${endpoint(conv.client)} → ${endpoint(conv.server)}`;
  parts.push(`${h} ${title}`);
  parts.push(
    `Packets ${conv.firstPacket}–${conv.lastPacket} (${conv.packets} packets over ${seconds(conv.durationUs)}).`,
  );
  if (conv.protocol === "tcp") parts.push(...tcpSections(conv, `${h}#`));
  else parts.push(...udpSections(conv, `${h}#`));
  if (conv.timeline) {
    parts.push(`${h}# Timeline`);
    parts.push(timelineTable(conv.timeline, options.maxTimelineRows ?? 200));
    if (conv.timelineOmitted > 0) {
      parts.push(
        `${conv.timelineOmitted} later packets of this conversation are counted above but have no row here ` +
          "(the cap on timeline rows; `socklab analyse --packets all` keeps them all).",
      );
    }
    parts.push(`${h}# Sequence diagram`);
    parts.push(
      fenced(
        sequenceDiagram(conv.timeline.map(toSequenceRow), {
          client: endpoint(conv.client),
          server: endpoint(conv.server),
        }),
        "mermaid",
      ),
    );
  }
  parts.push(`${h}# Overhead`);
  parts.push(overheadSentence(conv.overhead));
  parts.push(overheadTable(conv.overhead));
  return parts.join("\n\n");
}

function toSequenceRow(row: PacketRow): SequenceRow {
  return row.protocol === "tcp"
    ? {
        number: row.number,
        direction: row.direction,
        flags: row.flags,
        seq: row.seq,
        ack: row.ack ?? undefined,
        length: row.payloadLength,
        labels: row.labels,
      }
    : { number: row.number, direction: row.direction, flags: "", length: row.payloadLength, labels: [] };
}
