// The TCP conversations by 4-tuple, numbered like tshark's `tcp.stream`, with Wireshark 4.0's rules for when
// a 4-tuple starts another conversation: only a SYN without ACK whose sequence number differs from the base
// sequence number its direction already has (`tcp.analysis.reused_ports`). Nothing else does: not a SYN
// with the same ISN after FIN or RST, not a SYN/ACK with another ISN (it moves the base within the same
// conversation), not a packet after any quiet time. Wireshark never forgets a 4-tuple, and neither does
// the table.
//
// Streaming only, a closed conversation may be finished early (when too many closed ones wait), and
// what stays of it is a tombstone: which side is the client and each direction's base sequence number, in
// typed arrays (under a hundred bytes a conversation with its 4-tuple), enough to apply the rule
// above to a later packet. A later packet that does not start a new conversation belongs to one already
// handed over: it is reported as late, never as a conversation of its own.

import type { DecodedPacket, TcpLayer } from "../decode/index.ts";
import type { ConversationContext } from "./conversation-context.ts";
import { type EndpointKey, PairIndex, PairMap } from "./flow-key.ts";
import { isClosed } from "./tcp-close.ts";
import {
  addTcpPacket,
  createTcpConversation,
  startsNewConversation,
  type TcpConversationState,
} from "./tcp-conversation.ts";
import { isPureSyn } from "./tcp-segment.ts";
import { type BaseSeq, updateBaseSeqs } from "./wireshark-labels.ts";

/** Streaming only: at most this many closed conversations wait; past it the longest-closed one goes first. */
export const MAX_CLOSED_WAITING = 1024;

/** What the table does with a packet. */
export type TcpPlacement = "added" | "late";

export interface TcpTable {
  /**
   * Adds a TCP packet; `full` is false for a 4-tuple the port filter leaves out. "late": the packet belongs
   * to a conversation already finished (streaming), and was not added to any.
   */
  add(
    packet: DecodedPacket,
    tcp: TcpLayer,
    srcKey: EndpointKey,
    dstKey: EndpointKey,
    full: boolean,
  ): TcpPlacement;
  /** Retires every conversation still in the table. */
  finish(): void;
}

/** When closed conversations are finished early (defaults: the constants above). */
export interface EvictionLimits {
  readonly closedAfterUs: number;
  readonly maxClosedWaiting: number;
}

// Tombstone flags: the client is the pair's lower endpoint key; each direction's base is set.
const CLIENT_IS_LOW = 1;
const BASE_SET = [2, 4] as const;

/** Finished conversations, by index: what Wireshark's stream rule needs of each. */
class Tombstones {
  #flags = new Uint8Array(1024);
  #bases = new Uint32Array(2048);
  #count = 0;
  // Scratch views of one tombstone's bases, for updateBaseSeqs.
  readonly #scratch: readonly [BaseSeq, BaseSeq] = [
    { baseSeq: 0, baseSet: false },
    { baseSeq: 0, baseSet: false },
  ];

  /** Keeps what the rule needs of a finished conversation; returns its index. */
  add(state: TcpConversationState, a: EndpointKey, b: EndpointKey): number {
    const at = this.#count++;
    if (at === this.#flags.length) this.#grow();
    const [client, server] = state.labels.flows;
    let flags = state.clientKey === (a < b ? a : b) ? CLIENT_IS_LOW : 0;
    if (client.baseSet) flags |= BASE_SET[0];
    if (server.baseSet) flags |= BASE_SET[1];
    this.#flags[at] = flags;
    this.#bases[2 * at] = client.baseSeq;
    this.#bases[2 * at + 1] = server.baseSeq;
    return at;
  }

  /** The direction of a packet from `srcKey` to `dstKey`: 0 from the client. */
  dirOf(at: number, srcKey: EndpointKey, dstKey: EndpointKey): 0 | 1 {
    return srcKey < dstKey === ((this.#flags[at]! & CLIENT_IS_LOW) !== 0) ? 0 : 1;
  }

  /** Whether a SYN without ACK with this seq in direction `dir` starts a new conversation. */
  startsNew(at: number, dir: 0 | 1, seq: number): boolean {
    return (this.#flags[at]! & BASE_SET[dir]) !== 0 && this.#bases[2 * at + dir] !== seq;
  }

  /** Moves or sets the base sequence numbers as the late packet would have in its conversation. */
  observe(at: number, dir: 0 | 1, tcp: TcpLayer): void {
    const [fwd, rev] = dir === 0 ? this.#scratch : [this.#scratch[1], this.#scratch[0]];
    for (const d of [0, 1] as const) {
      this.#scratch[d].baseSeq = this.#bases[2 * at + d]!;
      this.#scratch[d].baseSet = (this.#flags[at]! & BASE_SET[d]) !== 0;
    }
    updateBaseSeqs(fwd, rev, tcp.seq, tcp.ack, tcp.flags);
    for (const d of [0, 1] as const) {
      this.#bases[2 * at + d] = this.#scratch[d].baseSeq;
      if (this.#scratch[d].baseSet) this.#flags[at]! |= BASE_SET[d];
    }
  }

  #grow(): void {
    const flags = new Uint8Array(this.#flags.length * 2);
    flags.set(this.#flags);
    this.#flags = flags;
    const bases = new Uint32Array(this.#bases.length * 2);
    bases.set(this.#bases);
    this.#bases = bases;
  }
}

/**
 * A new table. `number` gives a new conversation its output id (null when left out); `retire` receives
 * each conversation exactly once, when it is finished. With `limits` (streaming), closed conversations are
 * finished early and leave a tombstone; without, every conversation stays until `finish()`.
 */
export function createTcpTable(
  context: ConversationContext,
  number: (full: boolean) => number | null,
  retire: (state: TcpConversationState) => void,
  limits: EvictionLimits | null = null,
): TcpTable {
  const table = new PairMap<TcpConversationState>();
  // Streaming: the finished conversations' 4-tuples, to their tombstones.
  const finished = new PairIndex();
  const tombstones = new Tombstones();
  // Closed conversations in order of closing, from `head` on, with their table keys.
  const closed: Array<{ state: TcpConversationState; a: EndpointKey; b: EndpointKey }> = [];
  let head = 0;
  let streams = 0;
  // No closed conversation can be quiet long enough before this capture time (a lower bound: the head's
  // last packet time only grows); −∞ when the head may be finished at once.
  let evictFromUs = Number.POSITIVE_INFINITY;

  function finishOnce(state: TcpConversationState): void {
    if (state.retired) return;
    state.retired = true;
    if (state.closedQueued) evictFromUs = Number.NEGATIVE_INFINITY;
    retire(state);
  }

  function create(
    packet: DecodedPacket,
    srcKey: EndpointKey,
    dstKey: EndpointKey,
    full: boolean,
    reusedPorts: boolean,
  ) {
    const start = { id: number(full), full, stream: streams++, reusedPorts };
    const state = createTcpConversation(packet, srcKey, dstKey, start, context);
    table.set(srcKey, dstKey, state);
    return state;
  }

  function evict(nowUs: number, limits: EvictionLimits): void {
    while (head < closed.length) {
      const { state, a, b } = closed[head]!;
      const crowded = closed.length - head > limits.maxClosedWaiting;
      if (!state.retired && !crowded && nowUs - state.lastTimeUs < limits.closedAfterUs) break;
      head++;
      if (table.get(a, b) === state) {
        table.delete(a, b);
        finished.set(a, b, tombstones.add(state, a, b));
      }
      finishOnce(state);
    }
    if (head > 1024 && head * 2 > closed.length) {
      closed.splice(0, head);
      head = 0;
    }
    evictFromUs = deadlineOfHead(limits);
  }

  function deadlineOfHead(limits: EvictionLimits): number {
    if (head >= closed.length) return Number.POSITIVE_INFINITY;
    const state = closed[head]!.state;
    return state.retired ? Number.NEGATIVE_INFINITY : state.lastTimeUs + limits.closedAfterUs;
  }

  return {
    add(packet, tcp, srcKey, dstKey, full) {
      if (limits !== null) {
        const waiting = closed.length - head;
        if (waiting > 0 && (packet.timeUs >= evictFromUs || waiting > limits.maxClosedWaiting))
          evict(packet.timeUs, limits);
      }
      const found = table.get(srcKey, dstKey);
      let state: TcpConversationState;
      let isFirst = false;
      const tombstone = found === undefined && finished.size > 0 ? finished.get(srcKey, dstKey) : -1;
      if (tombstone >= 0) {
        const dir = tombstones.dirOf(tombstone, srcKey, dstKey);
        if (!isPureSyn(tcp.flags) || !tombstones.startsNew(tombstone, dir, tcp.seq)) {
          tombstones.observe(tombstone, dir, tcp);
          return "late";
        }
        state = create(packet, srcKey, dstKey, full, true);
      } else if (found === undefined) {
        state = create(packet, srcKey, dstKey, full, false);
        isFirst = true;
      } else {
        state = found;
        if (startsNewConversation(state, srcKey === state.clientKey ? 0 : 1, tcp)) {
          finishOnce(state);
          state = create(packet, srcKey, dstKey, full, true);
        }
      }
      addTcpPacket(state, packet, srcKey === state.clientKey ? 0 : 1, isFirst, context);
      if (limits !== null && state.full && !state.closedQueued && isClosed(state.close)) {
        state.closedQueued = true;
        closed.push({ state, a: srcKey, b: dstKey });
        if (closed.length - head === 1) evictFromUs = deadlineOfHead(limits);
      }
      return "added";
    },
    finish() {
      // In stream order (the order of first packets), whatever order the table keeps.
      const open = [...table.values()].sort((x, y) => x.stream - y.stream);
      for (const state of open) finishOnce(state);
    },
  };
}
