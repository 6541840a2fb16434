// One UDP flow (a 4-tuple): datagrams per direction with sizes and packet numbers, request/reply pairing
// (each datagram from the server answers the oldest unanswered one from the client), overhead and timeline.

import { type DecodedPacket, fragmentsOf, type UdpLayer } from "../decode/index.ts";
import type { ConversationContext } from "./conversation-context.ts";
import type { EndpointKey } from "./flow-key.ts";
import {
  addPacket,
  createCounter,
  createKindCounters,
  type KindCounters,
  sumKinds,
  toBucket,
  toKindBuckets,
} from "./overhead.ts";
import { payloadPreview } from "./preview.ts";
import type { Endpoint, StrayReply, UdpConversation, UdpDirectionSummary, UdpPacketRow } from "./types.ts";

/** Datagram sizes and packet numbers listed per direction; the rest are only counted. */
export const MAX_DATAGRAMS_LISTED = 10000;
/** Request/reply pairs listed per conversation. */
export const MAX_PAIRS_LISTED = 1000;

interface UdpDirectionState {
  datagrams: number;
  payloadBytes: number;
  minSize: number | null;
  maxSize: number | null;
  sizes: number[];
  packetNumbers: number[];
  /** Payload bytes carried by this direction's timeline rows. */
  rowPayloadBytes: number;
}

export interface UdpConversationState {
  readonly protocol: "udp";
  readonly id: number | null;
  readonly stream: number;
  readonly full: boolean;
  readonly ipVersion: 4 | 6;
  readonly client: Endpoint;
  readonly server: Endpoint;
  readonly clientKey: EndpointKey;
  packets: number;
  readonly firstPacket: number;
  lastPacket: number;
  readonly firstTimeUs: number;
  lastTimeUs: number;
  /** The last datagram's time in ns since the capture's first packet. */
  lastTimeNs: number;
  readonly dirs: readonly [UdpDirectionState, UdpDirectionState];
  /** Unanswered requests (packet number, time), oldest first from `pendingHead`. */
  readonly pendingPackets: number[];
  readonly pendingTimes: number[];
  pendingHead: number;
  readonly pairs: Array<{ request: number; reply: number; delayUs: number }>;
  pairCount: number;
  readonly kinds: KindCounters;
  timeline: UdpPacketRow[] | null;
  /** Packets left out of the timeline by a row cap. */
  timelineOmitted: number;
}

/** Starts a flow with its first datagram (not yet added): its sender is the client. */
export function createUdpConversation(
  packet: DecodedPacket,
  srcKey: EndpointKey,
  start: { id: number | null; stream: number; full: boolean },
  context: ConversationContext,
): UdpConversationState {
  const network = packet.network!;
  const udp = packet.transport as UdpLayer;
  return {
    protocol: "udp",
    id: start.id,
    stream: start.stream,
    full: start.full,
    ipVersion: network.version,
    client: { address: network.src, port: udp.srcPort },
    server: { address: network.dst, port: udp.dstPort },
    clientKey: srcKey,
    packets: 0,
    firstPacket: packet.number,
    lastPacket: packet.number,
    firstTimeUs: packet.timeUs,
    lastTimeUs: packet.timeUs,
    lastTimeNs: context.relativeNs(packet),
    dirs: [createDirection(), createDirection()],
    pendingPackets: [],
    pendingTimes: [],
    pendingHead: 0,
    pairs: [],
    pairCount: 0,
    kinds: createKindCounters(),
    timeline: start.id !== null && context.keepTimeline ? [] : null,
    timelineOmitted: 0,
  };
}

/** Adds one datagram; `dir` is 0 from the client, 1 from the server. */
export function addUdpPacket(
  state: UdpConversationState,
  packet: DecodedPacket,
  dir: 0 | 1,
  context: ConversationContext,
): void {
  state.packets++;
  state.lastPacket = packet.number;
  state.lastTimeUs = packet.timeUs;
  const relativeNs = context.relativeNs(packet);
  state.lastTimeNs = relativeNs;
  if (!state.full) return;
  const size = packet.payloadLength;
  const d = state.dirs[dir];
  d.datagrams++;
  d.payloadBytes += size;
  if (d.minSize === null || size < d.minSize) d.minSize = size;
  if (d.maxSize === null || size > d.maxSize) d.maxSize = size;
  if (d.sizes.length < MAX_DATAGRAMS_LISTED) {
    d.sizes.push(size);
    d.packetNumbers.push(packet.number);
  }
  if (dir === 0) {
    if (state.pendingPackets.length - state.pendingHead < MAX_DATAGRAMS_LISTED) {
      state.pendingPackets.push(packet.number);
      state.pendingTimes.push(packet.timeUs);
    }
  } else if (state.pendingHead < state.pendingPackets.length) {
    const request = state.pendingPackets[state.pendingHead]!;
    const delayUs = packet.timeUs - state.pendingTimes[state.pendingHead]!;
    state.pendingHead++;
    if (state.pendingHead > 1024 && state.pendingHead * 2 > state.pendingPackets.length) {
      state.pendingPackets.splice(0, state.pendingHead);
      state.pendingTimes.splice(0, state.pendingHead);
      state.pendingHead = 0;
    }
    state.pairCount++;
    if (state.pairs.length < MAX_PAIRS_LISTED) state.pairs.push({ request, reply: packet.number, delayUs });
  }
  state.kinds.udp ??= createCounter();
  addPacket(state.kinds.udp, packet);
  if (state.timeline !== null) {
    if (context.takeRow(state.timeline.length)) {
      const carried = packet.payload.byteLength;
      const withPayload =
        context.streamOptions.keepBytes > 0 && d.rowPayloadBytes + carried <= context.rowPayloadBytes;
      if (withPayload) d.rowPayloadBytes += carried;
      state.timeline.push({
        protocol: "udp",
        number: packet.number,
        timeUs: packet.timeUs,
        relativeUs: packet.timeUs - context.captureStartUs,
        relativeNs,
        relativeSeconds: relativeNs / 1e9,
        direction: dir === 0 ? "c2s" : "s2c",
        frameLength: packet.frameLength,
        payloadLength: size,
        summary: packet.toString(),
        preview: payloadPreview(packet.payload, size),
        payload: withPayload
          ? Buffer.from(packet.payload.buffer, packet.payload.byteOffset, packet.payload.byteLength).toString(
              "base64",
            )
          : null,
        fragments: fragmentsOf(packet)?.map((frame) => frame.number) ?? null,
      });
    } else {
      state.timelineOmitted++;
    }
  }
}

/** The flow's JSON form; `strays` are its misdirected replies (see udp-replies.ts). */
export function finishUdpConversation(
  state: UdpConversationState,
  id: number,
  strays: StrayReply[],
): UdpConversation {
  const [c2s, s2c] = state.dirs;
  return {
    protocol: "udp",
    id,
    stream: state.stream,
    ipVersion: state.ipVersion,
    client: state.client,
    server: state.server,
    packets: state.packets,
    firstPacket: state.firstPacket,
    lastPacket: state.lastPacket,
    firstTimeUs: state.firstTimeUs,
    lastTimeUs: state.lastTimeUs,
    durationUs: state.lastTimeUs - state.firstTimeUs,
    c2s: summarize(c2s, "c2s"),
    s2c: summarize(s2c, "s2c"),
    replies: {
      pairs: state.pairs,
      pairCount: state.pairCount,
      unansweredRequests: c2s.datagrams - state.pairCount,
      repliedToSource: s2c.datagrams > 0,
      strayReplies: strays,
    },
    overhead: {
      total: toBucket(sumKinds(state.kinds)),
      byKind: toKindBuckets(state.kinds),
      noPayloadPackets: 0,
    },
    timeline: state.timeline,
    timelineTruncated: state.timelineOmitted > 0,
    timelineOmitted: state.timelineOmitted,
  };
}

function createDirection(): UdpDirectionState {
  return {
    datagrams: 0,
    payloadBytes: 0,
    minSize: null,
    maxSize: null,
    sizes: [],
    packetNumbers: [],
    rowPayloadBytes: 0,
  };
}

function summarize(d: UdpDirectionState, direction: "c2s" | "s2c"): UdpDirectionSummary {
  return {
    direction,
    datagrams: d.datagrams,
    payloadBytes: d.payloadBytes,
    minSize: d.minSize,
    maxSize: d.maxSize,
    sizes: d.sizes,
    packetNumbers: d.packetNumbers,
    truncated: d.datagrams > d.sizes.length,
  };
}
