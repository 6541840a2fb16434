// The UDP section of the analysis report: datagrams per direction, request/reply pairs, return path.
import type { UdpConversation } from "../analyse/types.ts";
import { endpoint } from "./analysis-format.ts";
import { bytes, table } from "./markdown.ts";

/** The datagram and reply sections of one UDP conversation. */
export function udpSections(conv: UdpConversation, h: string): string[] {
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
