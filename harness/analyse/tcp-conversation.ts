// One TCP conversation: every packet goes through Wireshark's labels, the handshake, both directions'
// facts (bytes, ACKs, stream), the close, completeness, overhead and the timeline; `finishTcpConversation`
// turns the state into the JSON form. Heavy per-direction state (reassembly queue, range detail) is let go
// as soon as that direction is closed.

import type { DecodedPacket, TcpLayer } from "../decode/index.ts";
import { formatTcpFlags, seqAdd, seqUnwrap } from "../decode/index.ts";
import { seqWrap } from "../decode/seq.ts";
import type { ConversationContext } from "./conversation-context.ts";
import type { EndpointKey } from "./flow-key.ts";
import {
  addPacket,
  createCounter,
  createKindCounters,
  type KindCounters,
  noPayloadPackets,
  type OverheadCounter,
  sumKinds,
  toBucket,
  toKindBuckets,
} from "./overhead.ts";
import { payloadPreview } from "./preview.ts";
import { needsBytes, type ReassemblyOptions } from "./reassembly.ts";
import { type CloseState, createCloseState, observeClose, summarizeClose } from "./tcp-close.ts";
import {
  closeDirection,
  createDirectionState,
  type DirectionState,
  finAcked,
  recordAck,
  recordSending,
  summarizeDirection,
} from "./tcp-direction.ts";
import {
  createHandshakeState,
  type HandshakeState,
  observeHandshake,
  summarizeHandshake,
} from "./tcp-handshake.ts";
import { countsByLabel, LABEL_BITS, labelNames, TCP_LABEL_BITS, TCP_LABELS } from "./tcp-labels.ts";
import { ACK, FIN, isPureSyn, RST, SYN, type TcpSegment } from "./tcp-segment.ts";
import type { Completeness, Endpoint, PacketKind, TcpConversation, TcpPacketRow } from "./types.ts";
import {
  type ConversationLabelState,
  createConversationLabelState,
  type LabelOutcome,
  labelSegment,
} from "./wireshark-labels.ts";

export interface TcpConversationState {
  readonly protocol: "tcp";
  /** Index in the output, or null when the conversation is left out (port filter, `keepConversations`). */
  readonly id: number | null;
  readonly stream: number;
  /** False for conversations left out by the port filter: only Wireshark's state is kept (for numbering). */
  readonly full: boolean;
  readonly ipVersion: 4 | 6;
  readonly client: Endpoint;
  readonly server: Endpoint;
  /** The client's endpoint key: packets from it go client → server. */
  readonly clientKey: EndpointKey;
  readonly reusedPorts: boolean;
  readonly labels: ConversationLabelState;
  packets: number;
  readonly firstPacket: number;
  lastPacket: number;
  readonly firstTimeUs: number;
  lastTimeUs: number;
  readonly handshake: HandshakeState;
  readonly dirs: readonly [DirectionState, DirectionState];
  readonly close: CloseState;
  completeness: number;
  /** The completeness bits of the first packet, added once a second packet comes (see completenessBits). */
  readonly firstBits: number;
  /** Packets carrying each label, indexed like TCP_LABELS. */
  readonly labelCounts: Int32Array;
  readonly kinds: KindCounters;
  timeline: TcpPacketRow[] | null;
  /** Packets left out of the timeline by a row cap. */
  timelineOmitted: number;
  /** Finished into its JSON form (or counted, if left out): takes no more packets. */
  retired: boolean;
  /** Waiting, closed, to be finished early when too many wait (streaming only). */
  closedQueued: boolean;
}

/** How a conversation starts: its numbering and whether it replaces an earlier one on the same ports. */
export interface TcpConversationStart {
  readonly id: number | null;
  readonly stream: number;
  readonly full: boolean;
  readonly reusedPorts: boolean;
}

const UNLISTED_STREAM: ReassemblyOptions = { keepBytes: 0, hash: false };

const COMPLETENESS_NAMES = ["syn", "syn-ack", "ack", "data", "fin", "rst"] as const;

/** Starts a conversation with its first packet (not yet added). */
export function createTcpConversation(
  packet: DecodedPacket,
  srcKey: EndpointKey,
  dstKey: EndpointKey,
  start: TcpConversationStart,
  context: ConversationContext,
): TcpConversationState {
  const network = packet.network!;
  const tcp = packet.transport as TcpLayer;
  // The client sent the SYN; a SYN/ACK was sent to it; otherwise the first packet's sender is taken.
  const towardsClient = (tcp.flags & (SYN | ACK)) === (SYN | ACK);
  const src = { address: network.src, port: tcp.srcPort };
  const dst = { address: network.dst, port: tcp.dstPort };
  const client = towardsClient ? dst : src;
  const server = towardsClient ? src : dst;
  // A conversation left out of the result is still followed (its packets count and are labelled) but its
  // bytes are neither kept nor hashed.
  const streamOptions = start.id === null ? UNLISTED_STREAM : context.streamOptions;
  // A SYN opening a new 4-tuple counts its data too; a SYN reusing ports only the SYN (as tshark shows).
  let completeness = 0;
  if (start.reusedPorts) completeness = 1;
  else if (isPureSyn(tcp.flags)) completeness = 1 | (packet.payloadLength > 0 ? 8 : 0);
  return {
    protocol: "tcp",
    id: start.id,
    stream: start.stream,
    full: start.full,
    ipVersion: network.version,
    client,
    server,
    clientKey: towardsClient ? dstKey : srcKey,
    // As tshark shows it: not on a SYN whose TCP header the snap length cut (see addTcpPacket).
    reusedPorts: start.reusedPorts && packet.cut === undefined,
    labels: createConversationLabelState(),
    packets: 0,
    firstPacket: packet.number,
    lastPacket: packet.number,
    firstTimeUs: packet.timeUs,
    lastTimeUs: packet.timeUs,
    handshake: createHandshakeState(packet.number, tcp.flags),
    dirs: [createDirectionState(0, streamOptions), createDirectionState(1, streamOptions)],
    close: createCloseState(),
    completeness,
    firstBits: completenessBits(tcp.flags, packet.payloadLength),
    labelCounts: new Int32Array(TCP_LABELS.length),
    kinds: createKindCounters(),
    timeline: start.id !== null && context.keepTimeline ? [] : null,
    timelineOmitted: 0,
    retired: false,
    closedQueued: false,
  };
}

/** Whether a SYN without ACK in direction `dir` starts a new conversation on these ports (new ISN). */
export function startsNewConversation(state: TcpConversationState, dir: 0 | 1, tcp: TcpLayer): boolean {
  if (!isPureSyn(tcp.flags)) return false;
  const fwd = state.labels.flows[dir];
  return fwd.baseSet && tcp.seq !== fwd.baseSeq;
}

/** Adds one packet of this conversation (`isFirst`: the packet that created it). */
export function addTcpPacket(
  state: TcpConversationState,
  packet: DecodedPacket,
  dir: 0 | 1,
  isFirst: boolean,
  context: ConversationContext,
): void {
  const tcp = packet.transport as TcpLayer;
  const flags = tcp.flags;
  const seglen = packet.payloadLength;
  const seq = tcp.seq;
  const ack = tcp.ack;
  const window = tcp.window;
  const seg = scratch;
  seg.number = packet.number;
  seg.timeUs = packet.timeUs;
  seg.timeNs = context.relativeNs(packet);
  seg.atEpoch = packet.timeUs === 0 && packet.nanos === 0;
  seg.headerCut = packet.cut !== undefined;
  seg.dir = dir;
  seg.seq = seq;
  seg.ack = ack;
  seg.flags = flags;
  seg.window = window;
  seg.seglen = seglen;
  seg.windowScale = (flags & SYN) !== 0 ? tcp.options.windowScale : undefined;
  const outcome = labelSegment(state.labels, dir, seg, outcomeScratch);
  if (!isFirst) state.completeness |= completenessBits(flags, seglen) | state.firstBits;
  state.packets++;
  state.lastPacket = packet.number;
  state.lastTimeUs = packet.timeUs;
  if (!state.full) return;

  // The SYN that starts a conversation on reused ports carries the label too. A packet whose TCP header the
  // snap length cut shows none: tshark's analysis runs on it, but its dissection stops inside the options,
  // before the labels are shown.
  const shown = !seg.headerCut;
  let bits = 0;
  if (shown)
    bits =
      state.reusedPorts && state.packets === 1 ? outcome.bits | LABEL_BITS["reused-ports"] : outcome.bits;
  if (bits !== 0) {
    for (let i = 0; i < TCP_LABEL_BITS.length; i++)
      if ((bits & TCP_LABEL_BITS[i]!) !== 0) state.labelCounts[i]!++;
  }
  const other = dir === 0 ? 1 : 0;
  const own = state.dirs[dir];
  const peer = state.dirs[other];
  const fwd = state.labels.flows[dir];
  const rev = state.labels.flows[other];
  const relSeq = seqUnwrap(seqAdd(seq, -fwd.baseSeq), own.nextSeq ?? 0);
  const hasAck = (flags & ACK) !== 0 && rev.baseSet;
  const relAck = hasAck ? seqUnwrap(seqAdd(ack, -rev.baseSeq), peer.nextSeq ?? 0) : 0;
  if (seglen === 0) {
    seg.payload = null;
    seg.capturedLength = 0;
  } else if (needsBytes(own.stream.options) || packet.capturedLength < packet.frameLength) {
    const payload = packet.payload;
    seg.payload = payload;
    seg.capturedLength = payload.length;
  } else {
    seg.payload = null;
    seg.capturedLength = seglen;
  }
  seg.relSeq = relSeq;
  seg.relAck = relAck;
  seg.tcp = tcp;
  const completesHandshake = observeHandshake(state.handshake, seg);
  if (hasAck) recordAck(peer, relAck, packet.number);
  const scale = fwd.winScale;
  // The shift is at most 14 (Wireshark's cap): the product is exact.
  const scaledWindow = (flags & SYN) === 0 && scale >= 0 ? window * (1 << scale) : null;
  recordSending(own, peer, seg, scaledWindow);
  const established = state.handshake.ack !== null || own.dataPackets + peer.dataPackets > 0;
  observeClose(state.close, seg, state.dirs, established);
  if ((flags & RST) !== 0) {
    if (!own.stream.finished) closeDirection(own);
    if (!peer.stream.finished) closeDirection(peer);
  } else {
    if (!own.stream.finished && finAcked(own)) closeDirection(own);
    if (!peer.stream.finished && finAcked(peer)) closeDirection(peer);
  }

  addPacket(tcpKindCounter(state.kinds, flags, seglen, completesHandshake), packet);

  if (state.timeline !== null) {
    if (context.takeRow(state.timeline.length)) {
      state.timeline.push({
        protocol: "tcp",
        number: packet.number,
        timeUs: packet.timeUs,
        relativeUs: packet.timeUs - context.captureStartUs,
        relativeNs: seg.timeNs,
        relativeSeconds: seg.timeNs / 1e9,
        direction: dir === 0 ? "c2s" : "s2c",
        frameLength: packet.frameLength,
        payloadLength: seglen,
        summary: packet.toString(),
        preview: payloadPreview(packet.payload, seglen),
        flags: formatTcpFlags(flags),
        seq: seqWrap(relSeq),
        ack: hasAck ? seqWrap(relAck) : null,
        window,
        labels: labelNames(bits),
        duplicateAck:
          shown && outcome.dupAckNum > 0 ? { number: outcome.dupAckNum, of: outcome.dupAckFrame } : null,
      });
    } else {
      state.timelineOmitted++;
    }
  }
}

/** The conversation's JSON form; `id` is its index in the output. */
export function finishTcpConversation(state: TcpConversationState, id: number): TcpConversation {
  const [c2s, s2c] = state.dirs;
  const [clientFlow, serverFlow] = state.labels.flows;
  const irtt = state.labels.firstRttNs;
  const labels = countsByLabel(state.labelCounts);
  const handshake = summarizeHandshake(state.handshake, irtt === 0 ? null : irtt);
  return {
    protocol: "tcp",
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
    reusedPorts: state.reusedPorts,
    handshake,
    c2s: summarizeDirection(
      c2s,
      handshake.syn?.isn ?? null,
      clientFlow.baseSeq,
      scaleOf(clientFlow.winScale),
    ),
    s2c: summarizeDirection(
      s2c,
      handshake.synAck?.isn ?? null,
      serverFlow.baseSeq,
      scaleOf(serverFlow.winScale),
    ),
    close: summarizeClose(state.close),
    completeness: completenessSummary(state.completeness),
    labels,
    overhead: {
      total: toBucket(sumKinds(state.kinds)),
      byKind: toKindBuckets(state.kinds),
      noPayloadPackets: noPayloadPackets(state.kinds),
    },
    timeline: state.timeline,
    timelineTruncated: state.timelineOmitted > 0,
    timelineOmitted: state.timelineOmitted,
  };
}

/**
 * Wireshark's completeness bits a packet adds to a conversation it did not open. tshark shows a
 * conversation's value as a second pass leaves it, where the first packet, dissected again, adds these
 * bits too (visible from the second packet on).
 */
export function completenessBits(flags: number, seglen: number): number {
  let bits = 0;
  const synAck = flags & (SYN | ACK);
  if (synAck === (SYN | ACK)) bits |= 2;
  if (synAck === ACK) bits |= seglen > 0 ? 8 : 4;
  if ((flags & (FIN | ACK)) === (FIN | ACK)) bits |= 16;
  if ((flags & RST) !== 0) bits |= 32;
  return bits;
}

/** The completeness value with the names of its bits. */
export function completenessSummary(value: number): Completeness {
  return { value, flags: COMPLETENESS_NAMES.filter((_, i) => (value & (1 << i)) !== 0) };
}

/** The overhead kind of a TCP packet. */
export function packetKind(flags: number, seglen: number, completesHandshake: boolean): PacketKind {
  if (seglen > 0) return "tcp-data";
  if ((flags & RST) !== 0) return "tcp-rst";
  if ((flags & SYN) !== 0 || completesHandshake) return "tcp-handshake";
  if ((flags & FIN) !== 0) return "tcp-fin";
  return "tcp-ack";
}

// The counter of the packet's kind, by constant property names (fast loads, unlike a computed key).
function tcpKindCounter(
  kinds: KindCounters,
  flags: number,
  seglen: number,
  completesHandshake: boolean,
): OverheadCounter {
  switch (packetKind(flags, seglen, completesHandshake)) {
    case "tcp-data":
      kinds["tcp-data"] ??= createCounter();
      return kinds["tcp-data"];
    case "tcp-ack":
      kinds["tcp-ack"] ??= createCounter();
      return kinds["tcp-ack"];
    case "tcp-handshake":
      kinds["tcp-handshake"] ??= createCounter();
      return kinds["tcp-handshake"];
    case "tcp-fin":
      kinds["tcp-fin"] ??= createCounter();
      return kinds["tcp-fin"];
    default:
      kinds["tcp-rst"] ??= createCounter();
      return kinds["tcp-rst"];
  }
}

// One segment record and one label outcome reused for every packet: nothing keeps them past the call.
type MutableSegment = { -readonly [K in keyof TcpSegment]: TcpSegment[K] } & {
  windowScale: number | undefined;
};
const scratch = { windowScale: undefined } as MutableSegment;
const outcomeScratch: LabelOutcome = { bits: 0, dupAckNum: 0, dupAckFrame: 0 };

function scaleOf(winScale: number): number | null {
  return winScale >= 0 ? winScale : null;
}
