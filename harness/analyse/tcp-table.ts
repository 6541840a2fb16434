// The TCP conversations in progress, by 4-tuple. A packet goes to the conversation of its 4-tuple; a SYN
// without ACK with another ISN than its direction used starts a new conversation (Wireshark's
// `tcp.analysis.reused_ports`). Streams are numbered in order of first packet, like tshark's `tcp.stream`.
// A closed conversation is finished and forgotten once quiet, so memory stays flat however many
// connections a capture holds.

import type { DecodedPacket, TcpLayer } from "../decode/index.ts";
import type { ConversationContext } from "./conversation-context.ts";
import { type EndpointKey, PairMap } from "./flow-key.ts";
import { isClosed } from "./tcp-close.ts";
import {
  addTcpPacket,
  createTcpConversation,
  startsNewConversation,
  type TcpConversationState,
} from "./tcp-conversation.ts";

/**
 * A closed TCP conversation (both FINs ACKed, or reset) quiet this long in capture time is finished:
 * twice Linux's TIME_WAIT, after which nothing legitimate arrives on the 4-tuple (a packet that does
 * starts a new conversation).
 */
export const EVICT_CLOSED_AFTER_US = 120_000_000;
/** At most this many closed conversations wait to be finished; past it the longest-closed one goes first. */
export const MAX_CLOSED_WAITING = 1024;

export interface TcpTable {
  /** Adds a TCP packet; `full` is false for a 4-tuple the port filter leaves out. */
  add(packet: DecodedPacket, tcp: TcpLayer, srcKey: EndpointKey, dstKey: EndpointKey, full: boolean): void;
  /** Retires every conversation still in the table. */
  finish(): void;
}

/** When closed conversations are finished (defaults: the constants above). */
export interface EvictionLimits {
  readonly closedAfterUs: number;
  readonly maxClosedWaiting: number;
}

/**
 * A new table. `number` gives a new conversation its output id (null when left out); `retire` receives
 * each conversation exactly once, when it is finished.
 */
export function createTcpTable(
  context: ConversationContext,
  number: (full: boolean) => number | null,
  retire: (state: TcpConversationState) => void,
  limits: EvictionLimits = { closedAfterUs: EVICT_CLOSED_AFTER_US, maxClosedWaiting: MAX_CLOSED_WAITING },
): TcpTable {
  const table = new PairMap<TcpConversationState>();
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

  function evict(nowUs: number): void {
    while (head < closed.length) {
      const { state, a, b } = closed[head]!;
      const crowded = closed.length - head > limits.maxClosedWaiting;
      if (!state.retired && !crowded && nowUs - state.lastTimeUs < limits.closedAfterUs) break;
      head++;
      if (table.get(a, b) === state) table.delete(a, b);
      finishOnce(state);
    }
    if (head > 1024 && head * 2 > closed.length) {
      closed.splice(0, head);
      head = 0;
    }
    evictFromUs = deadlineOfHead();
  }

  function deadlineOfHead(): number {
    if (head >= closed.length) return Number.POSITIVE_INFINITY;
    const state = closed[head]!.state;
    return state.retired ? Number.NEGATIVE_INFINITY : state.lastTimeUs + limits.closedAfterUs;
  }

  return {
    add(packet, tcp, srcKey, dstKey, full) {
      const waiting = closed.length - head;
      if (waiting > 0 && (packet.timeUs >= evictFromUs || waiting > limits.maxClosedWaiting))
        evict(packet.timeUs);
      let state = table.get(srcKey, dstKey);
      let isFirst = false;
      if (state === undefined) {
        state = create(packet, srcKey, dstKey, full, false);
        isFirst = true;
      } else if (startsNewConversation(state, srcKey === state.clientKey ? 0 : 1, tcp)) {
        finishOnce(state);
        state = create(packet, srcKey, dstKey, full, true);
      }
      addTcpPacket(state, packet, srcKey === state.clientKey ? 0 : 1, isFirst, context);
      if (state.full && !state.closedQueued && isClosed(state.close)) {
        state.closedQueued = true;
        closed.push({ state, a: srcKey, b: dstKey });
        if (closed.length - head === 1) evictFromUs = deadlineOfHead();
      }
    },
    finish() {
      // In stream order (the order of first packets), whatever order the table keeps.
      const open = [...table.values()].sort((x, y) => x.stream - y.stream);
      for (const state of open) finishOnce(state);
    },
  };
}
