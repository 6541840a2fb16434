// How a TCP connection ended: a FIN each way and whether (and by which packet) the peer acknowledged it, or
// an RST, who sent it and in which phase, or still open when the capture ends.

import { seqWrap } from "../decode/seq.ts";
import { type DirectionState, finAcked } from "./tcp-direction.ts";
import { FIN, RST, type TcpSegment } from "./tcp-segment.ts";
import type { FinInfo, RstInfo, RstPhase, Side, TcpClose } from "./types.ts";

interface FinState {
  packet: number;
  timeUs: number;
  seq: number;
  acked: boolean;
  ackPacket: number | null;
  retransmissions: number;
}

export interface CloseState {
  /** Index 0: the client's FIN, 1: the server's. */
  readonly fins: [FinState | null, FinState | null];
  initiator: 0 | 1 | null;
  rst: { -readonly [K in keyof RstInfo]: RstInfo[K] } | null;
  /** The packet that completed a graceful close (both FINs acknowledged), or null. */
  gracefulAt: number | null;
}

/** Nothing seen yet. */
export function createCloseState(): CloseState {
  return { fins: [null, null], initiator: null, rst: null, gracefulAt: null };
}

/**
 * Feeds one segment, after the directions have recorded it. `dirs` are the client's and the server's
 * direction states; `established` says whether the handshake (or data) showed the connection was open.
 */
export function observeClose(
  state: CloseState,
  seg: TcpSegment,
  dirs: readonly [DirectionState, DirectionState],
  established: boolean,
): void {
  const own = seg.dir;
  const other = own === 0 ? 1 : 0;
  const peerFin = state.fins[other];
  if (peerFin !== null && !peerFin.acked && finAcked(dirs[other])) {
    peerFin.acked = true;
    peerFin.ackPacket = seg.number;
  }
  if ((seg.flags & FIN) !== 0) {
    const at = dirs[own].finAt!;
    const fin = state.fins[own];
    if (fin === null) {
      state.fins[own] = {
        packet: seg.number,
        timeUs: seg.timeUs,
        seq: at,
        acked: false,
        ackPacket: null,
        retransmissions: 0,
      };
      state.initiator ??= own;
    } else if (fin.seq === at) {
      fin.retransmissions++;
    }
  }
  if (state.gracefulAt === null && state.fins[0]?.acked && state.fins[1]?.acked)
    state.gracefulAt = seg.number;
  if ((seg.flags & RST) !== 0) {
    if (state.rst !== null) {
      state.rst.count++;
      return;
    }
    const peer = dirs[other];
    const peerLowest = peer.synAt ?? 1;
    const peerNext = peer.nextSeq ?? peerLowest;
    state.rst = {
      by: side(own),
      packet: seg.number,
      timeUs: seg.timeUs,
      seq: seg.relSeq,
      phase: rstPhase(state, own, established),
      unansweredPeerBytes: peer.sinceOtherSent,
      peerBytesUnacked: Math.max(0, peerNext - Math.max(peer.highestAck ?? peerLowest, peerLowest)),
      count: 1,
    };
  }
}

/** Whether the connection is over: both FINs acknowledged, or reset. */
export function isClosed(state: CloseState): boolean {
  return state.gracefulAt !== null || state.rst !== null;
}

/** The close's JSON form. */
export function summarizeClose(state: CloseState): TcpClose {
  const [clientFin, serverFin] = state.fins;
  let closeState: TcpClose["state"];
  if (state.gracefulAt !== null && (state.rst === null || state.rst.packet > state.gracefulAt))
    closeState = "graceful";
  else if (state.rst !== null) closeState = "reset";
  else if (clientFin !== null || serverFin !== null) closeState = "half-closed";
  else closeState = "open";
  return {
    state: closeState,
    initiator: state.initiator === null ? null : side(state.initiator),
    clientFin: clientFin === null ? null : finInfo(clientFin),
    serverFin: serverFin === null ? null : finInfo(serverFin),
    rst: state.rst === null ? null : { ...state.rst, seq: seqWrap(state.rst.seq) },
  };
}

function rstPhase(state: CloseState, own: 0 | 1, established: boolean): RstPhase {
  const ownFin = state.fins[own] !== null;
  const peerFin = state.fins[own === 0 ? 1 : 0] !== null;
  if (ownFin && peerFin) return "after-both-fins";
  if (ownFin) return "after-own-fin";
  if (peerFin) return "after-peer-fin";
  return established ? "established" : "handshake";
}

function finInfo(fin: FinState): FinInfo {
  return { ...fin, seq: seqWrap(fin.seq) };
}

function side(dir: 0 | 1): Side {
  return dir === 0 ? "client" : "server";
}
