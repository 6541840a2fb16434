// Wireshark's TCP sequence analysis (`tcp_analyze_sequence_number` in epan/dissectors/packet-tcp.c of
// Wireshark 4.0.17, the tshark the tests compare with), reproduced rule by rule and in the same order. The
// labels themselves are listed in tcp-labels.ts. The state mirrors `tcp_analyze_seq_flow_info_t` per
// direction, including its quirks: 0 means "unset" for nextseq/lastack/maxseqtobeacked/iRTT, the window
// starts at 2^32 − 1, the dup-ACK counter is unsigned (its −1 reads as ≥ 2), and a SYN or FIN only adds 1 to
// nextseq while the unacked-segment list has room. Functions here mutate the state they are given: call them
// once per TCP packet, in capture order.

import { seqAdd, seqGt, seqLe, seqLt } from "../decode/index.ts";
import { LABEL_BITS } from "./tcp-labels.ts";
import { ACK, FIN, RST, SYN } from "./tcp-segment.ts";

const A = LABEL_BITS;

/** Wireshark's TCP_MAX_UNACKED_SEGMENTS: the unacked list stops growing at this size. */
export const MAX_UNACKED_SEGMENTS = 10000;

/** The fast-retransmission window after the last ACK in the reverse direction (ns). */
const FAST_RETRANSMISSION_NS = 20_000_000;
/** The out-of-order threshold when no iRTT is known (ns). */
const DEFAULT_OOO_THRESHOLD_NS = 3_000_000;
const UNSIGNED_MINUS_ONE = 0xffffffff;

/** A direction's base sequence number, which relative numbers count from (Wireshark's base_seq). */
export interface BaseSeq {
  baseSeq: number;
  baseSet: boolean;
}

/**
 * Per-direction analysis state (Wireshark's tcp_flow_t + tcp_analyze_seq_flow_info_t). Times are integer
 * nanoseconds since the capture's first packet; −∞ before they are set (Wireshark's zero time, the epoch).
 */
export interface FlowLabelState extends BaseSeq {
  nextseq: number;
  nextseqTimeNs: number;
  maxseqtobeacked: number;
  lastack: number;
  lastackTimeNs: number;
  /** The last raw window; 2^32 − 1 before the first packet. */
  window: number;
  /** −1 unknown, −2 not used, else the shift. */
  winScale: number;
  isFirstAck: boolean;
  /** Unsigned, as in Wireshark: 0xffffffff is its −1 ("an ACK of an unseen segment was seen"). */
  dupacknum: number;
  lastnondupack: number;
  lastSegmentFlags: number;
  /**
   * Unacked segments (Wireshark's tcp_unacked_t list) as parallel arrays of start and next sequence number;
   * only the first `unackedCount` entries are live (truncating arrays on every ACK is slow).
   */
  unackedSeq: number[];
  unackedNext: number[];
  unackedCount: number;
}

/** Per-conversation analysis state. */
export interface ConversationLabelState {
  /** Index 0: the client's direction, 1: the server's. */
  readonly flows: readonly [FlowLabelState, FlowLabelState];
  /** iRTT in ns; 0 = not known yet (Wireshark's nstime_is_zero). */
  firstRttNs: number;
  /** Time of the latest SYN without ACK (ns since the capture's first packet). */
  mruSynNs: number;
  /** Whether `mruSynNs` is set: a SYN was seen, at a time other than the epoch (Wireshark's zero time). */
  mruSynSet: boolean;
}

/** What the analysis needs of one TCP segment. */
export interface SegmentFacts {
  readonly number: number;
  /** Integer nanoseconds since the capture's first packet. */
  readonly timeNs: number;
  /** The packet's absolute time is the epoch itself, which Wireshark reads as "no time". */
  readonly atEpoch: boolean;
  /** The snap length cut the TCP header (its options): Wireshark's dissection stops inside them. */
  readonly headerCut: boolean;
  readonly seq: number;
  readonly ack: number;
  /** Payload length from the IP length fields. */
  readonly seglen: number;
  readonly flags: number;
  /** The raw window field. */
  readonly window: number;
  /** The window-scale option's shift, when the segment carries one. */
  readonly windowScale: number | undefined;
}

/** The analysis of one segment: label bits and, for a duplicate ACK, its number and the frame it repeats. */
export interface LabelOutcome {
  bits: number;
  dupAckNum: number;
  dupAckFrame: number;
}

/** Fresh state for a new conversation. */
export function createConversationLabelState(): ConversationLabelState {
  return {
    flows: [createFlowLabelState(), createFlowLabelState()],
    firstRttNs: 0,
    mruSynNs: 0,
    mruSynSet: false,
  };
}

function createFlowLabelState(): FlowLabelState {
  return {
    baseSeq: 0,
    baseSet: false,
    nextseq: 0,
    // Unset times read as the epoch does in Wireshark: long before any packet.
    nextseqTimeNs: Number.NEGATIVE_INFINITY,
    maxseqtobeacked: 0,
    lastack: 0,
    lastackTimeNs: Number.NEGATIVE_INFINITY,
    window: UNSIGNED_MINUS_ONE,
    winScale: -1,
    isFirstAck: false,
    dupacknum: 0,
    lastnondupack: 0,
    lastSegmentFlags: 0,
    unackedSeq: [],
    unackedNext: [],
    unackedCount: 0,
  };
}

/**
 * Runs everything dissect_tcp does for one segment of a known conversation, in its order: the SYN
 * bookkeeping before the analysis (restoring nextseq on a repeated SYN, base sequence numbers), the analysis
 * itself, then the window-scale, is_first_ack and iRTT updates after it. `dir` is 0 for a segment the
 * client sent, 1 for the server. The outcome is written into `out` (reused by callers on hot paths).
 */
export function labelSegment(
  state: ConversationLabelState,
  dir: 0 | 1,
  seg: SegmentFacts,
  out: LabelOutcome = { bits: 0, dupAckNum: 0, dupAckFrame: 0 },
): LabelOutcome {
  const fwd = state.flows[dir];
  const rev = state.flows[dir === 0 ? 1 : 0];
  const synAck = seg.flags & (SYN | ACK);
  // A SYN repeating the ISN: restore nextseq (Wireshark issue 17616).
  if (synAck === SYN && fwd.baseSet && seg.seq === fwd.baseSeq) fwd.nextseq = fwd.maxseqtobeacked;
  // A SYN/ACK with another ISN is labelled as reusing the ports, but stays in the conversation.
  const reused = synAck === (SYN | ACK) && fwd.baseSet && seg.seq !== fwd.baseSeq;
  updateBaseSeqs(fwd, rev, seg.seq, seg.ack, seg.flags);

  analyseSequenceNumber(state, fwd, rev, seg, out);
  if (reused) out.bits |= A["reused-ports"];

  if ((seg.flags & SYN) !== 0) {
    if ((seg.flags & ACK) === 0) {
      state.mruSynNs = seg.timeNs;
      state.mruSynSet = !seg.atEpoch;
    }
    fwd.isFirstAck = true;
  }
  if (synAck === ACK) {
    if (state.mruSynSet && state.firstRttNs === 0) state.firstRttNs = seg.timeNs - state.mruSynNs;
    fwd.isFirstAck = false;
  }
  if (seg.windowScale !== undefined) fwd.winScale = Math.min(seg.windowScale, 14);
  // Wireshark checks the scaling after the options; a header the snap length cut stops it before.
  if ((seg.flags & SYN) !== 0 && !seg.headerCut) verifyWindowScaling((seg.flags & ACK) !== 0, fwd, rev);
  return out;
}

/**
 * The base sequence numbers a segment sets or moves, before the analysis: a SYN/ACK with another ISN moves
 * its direction's base (Wireshark issue 16944); an unset base becomes the SYN's seq (else seq − 1), and
 * the reverse direction's an ACK's ack − 1.
 */
export function updateBaseSeqs(fwd: BaseSeq, rev: BaseSeq, seq: number, ack: number, flags: number): void {
  if ((flags & (SYN | ACK)) === (SYN | ACK) && fwd.baseSet && seq !== fwd.baseSeq) fwd.baseSeq = seq;
  if (!fwd.baseSet) {
    fwd.baseSeq = (flags & SYN) !== 0 ? seq : seqAdd(seq, -1);
    fwd.baseSet = true;
  }
  if (!rev.baseSet && (flags & ACK) !== 0) {
    rev.baseSeq = seqAdd(ack, -1);
    rev.baseSet = true;
  }
}

// verify_tcp_window_scaling: a SYN without the option means no scaling either way.
function verifyWindowScaling(isSynAck: boolean, fwd: FlowLabelState, rev: FlowLabelState): void {
  if (fwd.winScale === -1) {
    fwd.winScale = -2;
    rev.winScale = -2;
  } else if (isSynAck && rev.winScale === -2) {
    fwd.winScale = -2;
  }
}

// ns elapsed since `thenNs`; an unset time is −∞, so it reads as long ago. A clock going backwards (a frame
// stamped before the one it follows) is judged as tshark 4.0 judges it: "close" for the out-of-order test
// (a signed difference), "long ago" for the fast-retransmission test.
function elapsedNs(nowNs: number, thenNs: number): number {
  return nowNs - thenNs;
}

function elapsedForwardNs(nowNs: number, thenNs: number): number {
  const t = nowNs - thenNs;
  return t < 0 ? Number.POSITIVE_INFINITY : t;
}

// tcp_analyze_sequence_number, rule by rule, writing the outcome into `out`.
function analyseSequenceNumber(
  state: ConversationLabelState,
  fwd: FlowLabelState,
  rev: FlowLabelState,
  seg: SegmentFacts,
  out: LabelOutcome,
): void {
  const { seq, ack, seglen, flags } = seg;
  out.dupAckNum = 0;
  out.dupAckFrame = 0;
  let bits = forwardLabels(fwd, rev, seg, out);

  // 10. A new ACK number resets the dup-ACK count.
  if (ack !== fwd.lastack) {
    fwd.lastnondupack = seg.number;
    fwd.dupacknum = 0;
  }

  // 11. ACKed unseen segment.
  if (rev.maxseqtobeacked !== 0 && seqGt(ack, rev.maxseqtobeacked) && (flags & ACK) !== 0) {
    if (seqLt(rev.maxseqtobeacked, rev.nextseq)) {
      rev.maxseqtobeacked = rev.nextseq;
      bits |= A["acked-unseen-segment"];
    } else {
      if (rev.dupacknum === 0) bits |= A["acked-unseen-segment"];
      rev.dupacknum = UNSIGNED_MINUS_ONE;
    }
  }

  // 12. Retransmission family.
  if (seglen > 0 || (flags & (SYN | FIN)) !== 0) bits |= retransmissionKind(state, fwd, rev, seg, bits);

  // Bookkeeping after the checks.
  let nextseq = seqAdd(seq, seglen);
  if ((seglen > 0 || (flags & (SYN | FIN)) !== 0) && fwd.unackedCount < MAX_UNACKED_SEGMENTS) {
    if ((flags & (SYN | FIN)) !== 0) nextseq = seqAdd(nextseq, 1);
    fwd.unackedSeq[fwd.unackedCount] = seq;
    fwd.unackedNext[fwd.unackedCount] = nextseq;
    fwd.unackedCount++;
  }
  const probe = (bits & A["zero-window-probe"]) !== 0;
  if ((seqGt(nextseq, fwd.nextseq) || fwd.nextseq === 0) && !probe) {
    fwd.nextseq = nextseq;
    fwd.nextseqTimeNs = seg.timeNs;
  }
  if ((seq === fwd.maxseqtobeacked || fwd.maxseqtobeacked === 0) && !probe) {
    fwd.maxseqtobeacked = fwd.nextseq;
  }
  fwd.window = seg.window;
  fwd.lastack = ack;
  fwd.lastackTimeNs = seg.timeNs;
  fwd.lastSegmentFlags = bits;
  removeAcked(rev, ack);
  out.bits = bits;
}

// Steps 1–9: the checks on this direction's own sequence numbers; a "finished" rule returns early. Writes a
// duplicate ACK's number and frame into `out`.
function forwardLabels(
  fwd: FlowLabelState,
  rev: FlowLabelState,
  seg: SegmentFacts,
  out: LabelOutcome,
): number {
  const { seq, ack, seglen, flags, window } = seg;
  const sfr = (flags & (SYN | FIN | RST)) !== 0;
  let bits = 0;
  // 1. Zero window probe.
  if (seglen === 1 && seq === fwd.nextseq && rev.window === 0) return A["zero-window-probe"];
  // 2. Zero window.
  if (window === 0 && !sfr) bits |= A["zero-window"];
  // 3. Previous segment not captured.
  if (fwd.nextseq !== 0 && seqGt(seq, fwd.nextseq) && (flags & RST) === 0) {
    bits |= A["previous-segment-not-captured"];
  }
  // 4. Keep-alive.
  if ((seglen === 0 || seglen === 1) && seq === seqAdd(fwd.nextseq, -1) && !sfr) bits |= A["keep-alive"];
  const repeatsAck = seglen === 0 && seq === fwd.nextseq && ack === fwd.lastack && !sfr;
  // 5. Window update.
  if (repeatsAck && window !== 0 && window !== fwd.window) bits |= A["window-update"];
  // 6. Window full.
  if (seglen > 0 && rev.winScale !== -1 && !sfr) {
    const shift = rev.isFirstAck || rev.winScale === -2 ? 0 : rev.winScale;
    if (seqAdd(seq, seglen) === seqAdd(rev.lastack, (rev.window << shift) >>> 0)) bits |= A["window-full"];
  }
  if (!repeatsAck) return bits;
  // 7. Keep-alive ACK.
  if (window !== 0 && window === fwd.window && (rev.lastSegmentFlags & A["keep-alive"]) !== 0) {
    return bits | A["keep-alive-ack"];
  }
  // 8. Zero window probe ACK.
  if (window === 0 && window === fwd.window && (rev.lastSegmentFlags & A["zero-window-probe"]) !== 0) {
    return bits | A["zero-window-probe-ack"];
  }
  // 9. Duplicate ACK.
  if (window !== 0 && window === fwd.window) {
    fwd.dupacknum = fwd.dupacknum === UNSIGNED_MINUS_ONE ? 1 : fwd.dupacknum + 1;
    bits |= A["duplicate-ack"];
    out.dupAckNum = fwd.dupacknum;
    out.dupAckFrame = fwd.lastnondupack;
  }
  return bits;
}

// Step 12: spurious, fast, out-of-order or plain retransmission (0 when none applies).
function retransmissionKind(
  state: ConversationLabelState,
  fwd: FlowLabelState,
  rev: FlowLabelState,
  seg: SegmentFacts,
  bits: number,
): number {
  const { seq, seglen, flags } = seg;
  if ((bits & A["keep-alive"]) !== 0) return 0;
  let notAdvanced = fwd.nextseq !== 0 && seqLt(seq, fwd.nextseq);
  // Data following a zero window probe really adds new data.
  if (seglen > 1 && seqAdd(fwd.nextseq, -1) === seq) notAdvanced = false;
  if (seglen > 0 && rev.lastack !== 0 && seqLe(seqAdd(seq, seglen), rev.lastack)) {
    return A["spurious-retransmission"];
  }
  // tcp_fastrt_precedence is TRUE by default: fast retransmission is tested before out-of-order.
  if (
    notAdvanced &&
    rev.dupacknum >= 2 &&
    rev.lastack === seq &&
    elapsedForwardNs(seg.timeNs, rev.lastackTimeNs) < FAST_RETRANSMISSION_NS
  ) {
    return A["fast-retransmission"];
  }
  const threshold =
    state.firstRttNs === 0
      ? DEFAULT_OOO_THRESHOLD_NS
      : state.firstRttNs < 0
        ? Number.POSITIVE_INFINITY
        : state.firstRttNs;
  const end = seqAdd(seq, seglen + ((flags & (SYN | FIN)) !== 0 ? 1 : 0));
  if (notAdvanced && elapsedNs(seg.timeNs, fwd.nextseqTimeNs) < threshold && fwd.nextseq !== end) {
    return A["out-of-order"];
  }
  return notAdvanced ? A.retransmission : 0;
}

// Drops (or trims) the segments an ACK covers, as the loop at the end of tcp_analyze_sequence_number does.
function removeAcked(flow: FlowLabelState, ack: number): void {
  const seqs = flow.unackedSeq;
  const nexts = flow.unackedNext;
  const n = flow.unackedCount;
  if (n === 0) return;
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const next = nexts[i]!;
    if (ack === next) continue;
    let start = seqs[i]!;
    if (seqGt(ack, start) && seqLe(ack, next)) start = ack;
    if (seqGt(next, ack)) {
      seqs[kept] = start;
      nexts[kept] = next;
      kept++;
    }
  }
  flow.unackedCount = kept;
}
