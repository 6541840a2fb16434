// The facts about one direction of a TCP connection: what it sent (packets, payload, unique bytes, byte
// ranges sent again and by whom first), how far the peer acknowledged it, its rebuilt byte stream, and its
// advertised window. Relative, unwrapped sequence numbers throughout, reduced modulo 2^32 (as Wireshark shows
// them) only in the JSON form.

import { seqWrap } from "../decode/seq.ts";
import {
  acknowledge,
  addSegment,
  createReassembly,
  finishReassembly,
  keptBytes,
  type Reassembly,
  type ReassemblyOptions,
} from "./reassembly.ts";
import {
  compactSentRanges,
  createSentRanges,
  type Overlap,
  recordSent,
  type SentRanges,
} from "./sent-ranges.ts";
import { FIN, RST, SYN, type TcpSegment } from "./tcp-segment.ts";
import type { RetransmittedRange, TcpDirectionSummary } from "./types.ts";

/** Retransmitted ranges listed per direction; the rest are only counted. */
export const MAX_RETRANSMISSIONS_LISTED = 1000;

export interface DirectionState {
  readonly dir: 0 | 1;
  packets: number;
  dataPackets: number;
  payloadBytes: number;
  uniqueBytes: number;
  retransmittedBytes: number;
  retransmittedPackets: number;
  retransmissionCount: number;
  retransmissions: RetransmittedRange[] | null;
  /** Relative sequence number after the highest byte sent (SYN and FIN count one); null before any packet. */
  nextSeq: number | null;
  synPacket: number | null;
  synAt: number | null;
  /** Relative sequence number of the FIN, once sent. */
  finAt: number | null;
  highestAck: number | null;
  highestAckPacket: number | null;
  /** Created with the first payload byte. */
  ranges: SentRanges | null;
  stream: Reassembly;
  firstWindow: number | null;
  minWindow: number | null;
  maxWindow: number | null;
  zeroWindowPackets: number;
  /** Payload bytes sent since the peer last sent payload (for the RST "unread data" hint). */
  sinceOtherSent: number;
}

const scratch: Overlap[] = [];

/** Fresh state for one direction. */
export function createDirectionState(dir: 0 | 1, streamOptions: ReassemblyOptions): DirectionState {
  return {
    dir,
    packets: 0,
    dataPackets: 0,
    payloadBytes: 0,
    uniqueBytes: 0,
    retransmittedBytes: 0,
    retransmittedPackets: 0,
    retransmissionCount: 0,
    retransmissions: null,
    nextSeq: null,
    synPacket: null,
    synAt: null,
    finAt: null,
    highestAck: null,
    highestAckPacket: null,
    ranges: null,
    stream: createReassembly(streamOptions),
    firstWindow: null,
    minWindow: null,
    maxWindow: null,
    zeroWindowPackets: 0,
    sinceOtherSent: 0,
  };
}

/**
 * Records a segment this direction sent. `scaledWindow` is the window in bytes when the scale is known
 * (null for a SYN or an unknown scale, when the raw field is used). Returns whether the segment sent
 * anything again (bytes, SYN or FIN).
 */
export function recordSending(
  state: DirectionState,
  peer: DirectionState,
  seg: TcpSegment,
  scaledWindow: number | null,
): boolean {
  state.packets++;
  const { flags, seglen, relSeq } = seg;
  let repeated = false;
  if ((flags & SYN) !== 0) {
    if (state.synAt !== null && state.synAt === relSeq) {
      repeated = true;
      listRetransmission(state, {
        kind: "syn",
        from: relSeq,
        to: relSeq + 1,
        bytes: 0,
        packet: seg.number,
        originalPackets: state.synPacket === null ? [] : [state.synPacket],
        alreadyAcked: state.highestAck !== null && state.highestAck > relSeq,
      });
    } else if (state.synAt === null) {
      state.synAt = relSeq;
      state.synPacket = seg.number;
    }
  }
  const dataFrom = relSeq + ((flags & SYN) !== 0 ? 1 : 0);
  const dataTo = dataFrom + seglen;
  if (seglen > 0) {
    state.dataPackets++;
    state.payloadBytes += seglen;
    state.sinceOtherSent += seglen;
    peer.sinceOtherSent = 0;
    if (scratch.length !== 0) scratch.length = 0;
    if (state.ranges === null) state.ranges = createSentRanges();
    const fresh = recordSent(state.ranges, dataFrom, dataTo, seg.number, scratch);
    state.uniqueBytes += fresh;
    if (fresh < seglen) {
      repeated = true;
      for (const overlap of scratch) {
        state.retransmittedBytes += overlap.to - overlap.from;
        listRetransmission(state, {
          kind: "data",
          from: overlap.from,
          to: overlap.to,
          bytes: overlap.to - overlap.from,
          packet: seg.number,
          originalPackets: overlap.packets,
          alreadyAcked: state.highestAck !== null && state.highestAck >= overlap.to,
        });
      }
    }
    addSegment(state.stream, dataFrom, seg.capturedLength, seg.payload);
  }
  let end = dataTo;
  if ((flags & FIN) !== 0) {
    if (state.finAt === null) {
      state.finAt = dataTo;
      state.stream.finAt = dataTo;
    } else if (state.finAt === dataTo) {
      repeated = true;
      listRetransmission(state, {
        kind: "fin",
        from: dataTo,
        to: dataTo + 1,
        bytes: 0,
        packet: seg.number,
        originalPackets: [],
        alreadyAcked: state.highestAck !== null && state.highestAck > dataTo,
      });
    }
    end = dataTo + 1;
  }
  if (state.nextSeq === null || end > state.nextSeq) state.nextSeq = end;
  if (repeated) state.retransmittedPackets++;
  const window = scaledWindow ?? seg.window;
  if (state.firstWindow === null) state.firstWindow = seg.window;
  if ((flags & (SYN | FIN | RST)) === 0) {
    if (seg.window === 0) state.zeroWindowPackets++;
    if (state.minWindow === null || window < state.minWindow) state.minWindow = window;
    if (state.maxWindow === null || window > state.maxWindow) state.maxWindow = window;
  }
  return repeated;
}

/** Records an acknowledgement the peer sent for this direction (relative to this direction's numbers). */
export function recordAck(state: DirectionState, relAck: number, packet: number): void {
  if (state.highestAck !== null && relAck <= state.highestAck) return;
  state.highestAck = relAck;
  state.highestAckPacket = packet;
  acknowledge(state.stream, relAck);
  if (state.ranges !== null && state.ranges.starts.length > 1024) compactSentRanges(state.ranges, relAck);
}

/** Ends the stream (no more data is expected) and lets go of the per-range detail. */
export function closeDirection(state: DirectionState): void {
  finishReassembly(state.stream);
  if (state.ranges !== null) compactSentRanges(state.ranges, Number.POSITIVE_INFINITY, true);
}

/** Whether the peer acknowledged the FIN of this direction. */
export function finAcked(state: DirectionState): boolean {
  return state.finAt !== null && state.highestAck !== null && state.highestAck > state.finAt;
}

/** The direction's JSON form. */
export function summarizeDirection(
  state: DirectionState,
  isn: number | null,
  baseSeq: number,
  windowScale: number | null,
): TcpDirectionSummary {
  finishReassembly(state.stream);
  const lowest = state.synAt ?? 1;
  const nextSeq = state.nextSeq ?? lowest;
  const acked = Math.max(state.highestAck ?? lowest, lowest);
  const unackedBytes = Math.max(0, nextSeq - acked);
  const stream = state.stream;
  const kept = keptBytes(stream);
  return {
    direction: state.dir === 0 ? "c2s" : "s2c",
    sender: state.dir === 0 ? "client" : "server",
    isn,
    baseSeq,
    packets: state.packets,
    dataPackets: state.dataPackets,
    payloadBytes: state.payloadBytes,
    uniqueBytes: state.uniqueBytes,
    retransmittedBytes: state.retransmittedBytes,
    retransmittedPackets: state.retransmittedPackets,
    retransmissions: state.retransmissions ?? [],
    retransmissionsTruncated: state.retransmissionCount > (state.retransmissions?.length ?? 0),
    nextSeq: seqWrap(nextSeq),
    acked: {
      highestAck: state.highestAck === null ? null : seqWrap(state.highestAck),
      highestAckPacket: state.highestAckPacket,
      allAcked: unackedBytes === 0,
      unackedBytes,
      synAcked: state.synAt === null ? null : state.highestAck !== null && state.highestAck > state.synAt,
      finAcked: state.finAt === null ? null : finAcked(state),
    },
    stream: {
      length: stream.length,
      sha256: stream.sha256,
      base64:
        stream.options.keepBytes > 0
          ? Buffer.from(kept.buffer, kept.byteOffset, kept.length).toString("base64")
          : null,
      bytesKept: kept.length,
      gaps:
        stream.gaps === null
          ? []
          : stream.gaps.map((gap) => ({ from: seqWrap(gap.from), to: seqWrap(gap.to) })),
      intact: stream.gaps === null,
      outOfOrderSegments: stream.outOfOrderSegments,
      overlapBytes: stream.overlapBytes,
      bytesAfterClose: stream.lateBytes,
    },
    window: {
      first: state.firstWindow,
      scale: windowScale,
      min: state.minWindow,
      max: state.maxWindow,
      zeroWindowPackets: state.zeroWindowPackets,
    },
  };
}

// Lists a range sent again, its bounds as the document shows them (modulo 2^32).
function listRetransmission(state: DirectionState, range: RetransmittedRange): void {
  state.retransmissionCount++;
  if (state.retransmissions === null) state.retransmissions = [];
  if (state.retransmissions.length < MAX_RETRANSMISSIONS_LISTED)
    state.retransmissions.push({ ...range, from: seqWrap(range.from), to: seqWrap(range.to) });
}
