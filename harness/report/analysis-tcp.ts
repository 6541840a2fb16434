// The TCP sections of the analysis report: handshake field by field, data and acknowledgements per
// direction, byte ranges sent twice, the close (FINs or RST and why), Wireshark's labels.
import type { FinInfo, TcpConversation, TcpDirectionSummary } from "../analyse/types.ts";
import { bytes, code, table } from "./markdown.ts";

/** The handshake, data, close and label sections of one TCP conversation. */
export function tcpSections(conv: TcpConversation, h: string): string[] {
  const out: string[] = [];
  const hs = conv.handshake;
  out.push(`${h} Three-way handshake`);
  const opts = (o: {
    mss: number | null;
    windowScale: number | null;
    sackPermitted: boolean;
    timestamps: boolean;
  }) =>
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
        [
          "SYN (client → server)",
          hs.syn?.packet ?? "missing",
          hs.syn?.isn ?? "–",
          "–",
          hs.syn ? opts(hs.syn.options) : "–",
        ],
        [
          "SYN/ACK (server → client)",
          hs.synAck?.packet ?? "missing",
          hs.synAck?.isn ?? "–",
          hs.synAck
            ? `${hs.synAck.ack}${hs.syn ? ` (client ISN + ${hs.synAck.ack - hs.syn.isn})` : ""}`
            : "–",
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
