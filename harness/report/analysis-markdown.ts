// The `socklab analyse` report: per conversation a summary, the handshake field by field, data and
// acknowledgements per direction, the close, the analysis labels, a packet timeline, a Mermaid sequence
// diagram and the overhead table — the questions the handout asks students to answer with Wireshark.
import type {
  CaptureAnalysis,
  Conversation,
  FinInfo,
  PacketRow,
  TcpConversation,
  TcpDirectionSummary,
  UdpConversation,
} from "../analyse/types.ts";
import { bytes, code, fenced, table } from "./markdown.ts";
import { type SequenceRow, sequenceDiagram } from "./mermaid.ts";
import { overheadSentence, overheadTable } from "./analysis-overhead.ts";

export interface AnalysisMarkdownOptions {
  readonly title?: string;
  /** Timeline rows shown per conversation before folding. Default 200. */
  readonly maxTimelineRows?: number;
  /** Heading level of the title (1 = `#`). Default 1. */
  readonly level?: number;
}

const endpoint = (e: { address: string; port: number }) =>
  e.address.includes(":") ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;

const seconds = (us: number) => `${(us / 1e6).toFixed(6)} s`;

/** The whole report as Markdown. */
export function renderAnalysisMarkdown(analysis: CaptureAnalysis, options: AnalysisMarkdownOptions = {}): string {
  const h = "#".repeat(options.level ?? 1);
  const c = analysis.capture;
  const parts: string[] = [];
  parts.push(`${h} ${options.title ?? "Capture analysis"}`);
  parts.push(
    table(
      ["capture", "value"],
      [
        ["file", c.file ?? "–"],
        ["format", `${c.format ?? "–"}, link type ${c.linkType}${c.linkTypeCode === null ? "" : ` (${c.linkTypeCode})`}`],
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
        ["#", "protocol", "client", "server", "packets", "client → server bytes", "server → client bytes", "verdict"],
        analysis.conversations.map((conv) => [
          conv.id,
          conv.protocol.toUpperCase(),
          endpoint(conv.client),
          endpoint(conv.server),
          conv.packets,
          bytes(conv.c2s.payloadBytes),
          bytes(conv.s2c.payloadBytes),
          conv.protocol === "tcp" ? tcpVerdict(conv) : udpVerdict(conv),
        ]),
      ),
    );
  }
  if (c.conversationsDropped > 0) {
    parts.push(`${c.conversationsDropped} further conversations were analysed but are not listed.`);
  }
  for (const conv of analysis.conversations) parts.push(conversationSection(conv, `${h}#`, options));
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
    if (conv.timelineTruncated) parts.push("The timeline was cut short by the packet cap.");
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

function tcpSections(conv: TcpConversation, h: string): string[] {
  const out: string[] = [];
  const hs = conv.handshake;
  out.push(`${h} Three-way handshake`);
  const opts = (o: { mss: number | null; windowScale: number | null; sackPermitted: boolean; timestamps: boolean }) =>
    [
      o.mss === null ? "" : `MSS ${o.mss}`,
      o.windowScale === null ? "" : `window scale ${o.windowScale}`,
      o.sackPermitted ? "SACK permitted" : "",
      o.timestamps ? "timestamps" : "",
    ]
      .filter(Boolean)
      .join(", ") || "none";
  out.push(
    table(
      ["step", "packet", "sequence number (absolute)", "acknowledgement (absolute)", "options"],
      [
        ["SYN (client → server)", hs.syn?.packet ?? "missing", hs.syn?.isn ?? "–", "–", hs.syn ? opts(hs.syn.options) : "–"],
        [
          "SYN/ACK (server → client)",
          hs.synAck?.packet ?? "missing",
          hs.synAck?.isn ?? "–",
          hs.synAck ? `${hs.synAck.ack}${hs.syn ? ` (client ISN + ${hs.synAck.ack - hs.syn.isn})` : ""}` : "–",
          hs.synAck ? opts(hs.synAck.options) : "–",
        ],
        ["ACK (client → server)", hs.ack?.packet ?? "missing", hs.ack?.seq ?? "–", hs.ack?.ack ?? "–", "–"],
      ],
    ),
  );
  if (hs.complete) {
    out.push(
      "The handshake is complete and correct: the SYN/ACK acknowledges the client's ISN + 1 and the ACK " +
        `acknowledges the server's ISN + 1${hs.initialRttUs === null ? "" : ` (initial RTT ${hs.initialRttUs} µs)`}.`,
    );
  }
  for (const f of hs.findings) out.push(`- ✗ ${f.message}`);
  out.push(`${h} Data and acknowledgements`);
  out.push(
    table(
      ["", "client → server", "server → client"],
      directionRows(conv.c2s).map((r, i) => [r[0], r[1], directionRows(conv.s2c)[i]![1]]),
    ),
  );
  const ranges = [...conv.c2s.retransmissions, ...conv.s2c.retransmissions];
  if (ranges.length > 0) {
    out.push("Byte ranges sent more than once:");
    out.push(
      ranges
        .slice(0, 20)
        .map(
          (r) =>
            `- ${r.kind === "data" ? `bytes ${r.from}–${r.to - 1} (${r.bytes})` : r.kind.toUpperCase()} sent again in ` +
            `packet ${r.packet}${r.originalPackets.length ? ` (first in ${r.originalPackets.join(", ")})` : ""}` +
            `${r.alreadyAcked ? ", although the peer had already acknowledged them" : ""}`,
        )
        .join("\n"),
    );
  }
  out.push(`${h} Close`);
  out.push(closeText(conv));
  const labels = Object.entries(conv.labels).filter(([, n]) => n > 0);
  out.push(`${h} Analysis labels (as Wireshark names them)`);
  out.push(
    labels.length === 0
      ? "None: no retransmissions, duplicate ACKs, zero windows or other anomalies."
      : table(
          ["label", "packets"],
          labels.map(([l, n]) => [l, n]),
        ),
  );
  return out;
}

function directionRows(d: TcpDirectionSummary): [string, string][] {
  return [
    ["packets (with data)", `${d.packets} (${d.dataPackets})`],
    ["payload bytes sent", bytes(d.payloadBytes)],
    ["distinct bytes", bytes(d.uniqueBytes)],
    ["retransmitted bytes", `${bytes(d.retransmittedBytes)} in ${d.retransmittedPackets} packets`],
    [
      "acknowledged by the peer",
      d.acked.allAcked
        ? `every byte ✓ (last ACK ${d.acked.highestAck ?? "–"} in packet ${d.acked.highestAckPacket ?? "–"})`
        : `✗ ${d.acked.unackedBytes} bytes never acknowledged`,
    ],
    [
      "delivered stream",
      `${bytes(d.stream.length)} bytes, ${d.stream.intact ? "intact and in order" : `gaps at ${d.stream.gaps.map((g) => `${g.from}–${g.to - 1}`).join(", ")}`}`,
    ],
    ["SHA-256", d.stream.sha256 ? code(d.stream.sha256.slice(0, 16)) : "–"],
  ];
}

function finText(side: string, fin: FinInfo | null): string {
  if (!fin) return `The ${side} sent no FIN.`;
  const ack = fin.acked ? `acknowledged in packet ${fin.ackPacket}` : "never acknowledged";
  const again = fin.retransmissions > 0 ? ` It was sent ${fin.retransmissions} more time(s).` : "";
  return `The ${side} sent its FIN in packet ${fin.packet}, ${ack}.${again}`;
}

function closeText(conv: TcpConversation): string {
  const close = conv.close;
  const lines = [finText("client", close.clientFin), finText("server", close.serverFin)];
  if (close.rst) {
    const r = close.rst;
    const why =
      r.peerBytesUnacked > 0 || r.unansweredPeerBytes > 0
        ? " A reset like this usually means the program closed its socket with data still unread in its receive buffer."
        : r.phase === "handshake"
          ? " A reset during the handshake usually means nothing was listening on the port."
          : "";
    lines.push(`The ${r.by} reset the connection in packet ${r.packet} (${r.phase}).${why}`);
  }
  const summary: Record<TcpConversation["close"]["state"], string> = {
    graceful: "Orderly close: a FIN each way, each acknowledged.",
    reset: "The connection ended with a reset, not an orderly close.",
    "half-closed": "The close is incomplete: a FIN is missing or was not acknowledged.",
    open: "The connection was still open when the capture ended.",
  };
  lines.push(summary[close.state]);
  return lines.join(" ");
}

function udpSections(conv: UdpConversation, h: string): string[] {
  const out: string[] = [`${h} Datagrams`];
  const sizes = (d: UdpConversation["c2s"]) =>
    d.datagrams === 0 ? "–" : d.minSize === d.maxSize ? `${d.minSize}` : `${d.minSize}–${d.maxSize}`;
  out.push(
    table(
      ["", "client → server", "server → client"],
      [
        ["datagrams", conv.c2s.datagrams, conv.s2c.datagrams],
        ["payload bytes", bytes(conv.c2s.payloadBytes), bytes(conv.s2c.payloadBytes)],
        ["payload sizes", sizes(conv.c2s), sizes(conv.s2c)],
      ],
    ),
  );
  const r = conv.replies;
  out.push(
    `No handshake and no acknowledgements: each message is one datagram. ${r.pairCount} request/reply pairs; ` +
      `${r.unansweredRequests} requests without a reply. ` +
      (r.repliedToSource
        ? "The server replied to the client's exact source address and port."
        : conv.s2c.datagrams > 0
          ? "The replies did not go back to the client's source address and port."
          : "The server sent nothing back on this flow."),
  );
  for (const s of r.strayReplies) {
    out.push(
      `- ✗ ${s.datagrams} datagram(s) from ${endpoint(s.from)} to ${endpoint(s.to)} (conversation ${s.conversation}, ` +
        `first packet ${s.firstPacket}): ${s.kind === "wrong-destination-port" ? "a reply sent to the wrong client port" : "a reply sent from the wrong server port"}.`,
    );
  }
  return out;
}

function timelineTable(rows: readonly PacketRow[], max: number): string {
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
  const text = table(["No.", "time (s)", "dir", "flags", "seq", "ack", "len", "win", "labels", "payload"], body);
  return rows.length > max ? `${text}\n\n… ${rows.length - max} more packets (see the pcap or --json).` : text;
}
