// Replies that went astray: a UDP server must answer to the exact address and port the request came from
// (`sendto(data, addr)` with the address `recvfrom` returned). A reply sent elsewhere shows up as another
// flow, started later, from the server's address to the client's address with a different port pair.

import type { StrayReply } from "./types.ts";
import type { UdpConversationState } from "./udp-conversation.ts";

/** For each flow, the later flows that look like its misdirected replies. */
export function findStrayReplies(
  flows: readonly UdpConversationState[],
): Map<UdpConversationState, StrayReply[]> {
  const byAddresses = new Map<string, UdpConversationState[]>();
  for (const flow of flows) {
    const key = `${flow.client.address}|${flow.server.address}`;
    let list = byAddresses.get(key);
    if (list === undefined) {
      list = [];
      byAddresses.set(key, list);
    }
    list.push(flow);
  }
  const result = new Map<UdpConversationState, StrayReply[]>();
  for (const flow of flows) {
    const strays = strayRepliesOf(
      flow,
      byAddresses.get(`${flow.server.address}|${flow.client.address}`) ?? [],
    );
    if (strays.length > 0) result.set(flow, strays);
  }
  return result;
}

/**
 * The flows among `candidates` (flows from `flow`'s server address to its client address) that look like
 * its misdirected replies: started after it, from the server's port to another port or the reverse.
 */
export function strayRepliesOf(
  flow: UdpConversationState,
  candidates: Iterable<UdpConversationState>,
): StrayReply[] {
  const strays: StrayReply[] = [];
  if (!flow.full || flow.dirs[0].datagrams === 0) return strays;
  for (const other of candidates) {
    if (other === flow || other.firstPacket <= flow.firstPacket) continue;
    const kind = strayKind(flow, other);
    if (kind === null) continue;
    strays.push({
      conversation: other.id,
      stream: other.stream,
      from: other.client,
      to: other.server,
      datagrams: other.dirs[0].datagrams,
      firstPacket: other.firstPacket,
      kind,
    });
  }
  return strays;
}

// `other` was first sent by the server side towards the client's address: which port is wrong, if one is.
function strayKind(flow: UdpConversationState, other: UdpConversationState): StrayReply["kind"] | null {
  const fromServerPort = other.client.port === flow.server.port;
  const toClientPort = other.server.port === flow.client.port;
  if (fromServerPort && !toClientPort) return "wrong-destination-port";
  if (!fromServerPort && toClientPort) return "wrong-source-port";
  return null;
}
