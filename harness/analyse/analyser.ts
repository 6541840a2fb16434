// The streaming analyser: decoded packets in, in capture order; a CaptureAnalysis out. Packets are sorted
// into ignored traffic (socklab's marker and its ICMP echo, non-IP, other protocols, other ports) and TCP
// (tcp-table.ts) and UDP conversations keyed by 4-tuple, numbered like tshark's `tcp.stream` / `udp.stream`.
// Like Wireshark, the analyser never forgets a 4-tuple: when streaming hands a conversation over early, a
// tombstone keeps its place, and a later packet of it is counted as late (`capture.latePackets`).

import type { CaptureHeader } from "../capture/index.ts";
import type { DecodedPacket, LinkTypeName, TcpLayer } from "../decode/index.ts";
import {
  createIpReassembler,
  type FragmentFrame,
  fragmentsOf,
  isIpFragment,
  linkTypeName,
} from "../decode/index.ts";
import type { ConversationContext } from "./conversation-context.ts";
import { type EndpointKey, endpointKey, PairIndex, PairMap } from "./flow-key.ts";
import { quotedUdp } from "./icmp-quote.ts";
import { isMarker, isMarkerIcmp } from "./marker.ts";
import {
  addCounter,
  addFrame,
  addKindCounters,
  addPacket,
  createCounter,
  createKindCounters,
  type KindCounters,
  noPayloadPackets,
  sumKinds,
  toBucket,
  toKindBuckets,
} from "./overhead.ts";
import { finishTcpConversation, packetKind, type TcpConversationState } from "./tcp-conversation.ts";
import { createTcpTable, MAX_CLOSED_WAITING } from "./tcp-table.ts";
import type {
  CaptureAnalysis,
  Conversation,
  DecodeProblemEntry,
  IgnoredCounts,
  StrayReply,
} from "./types.ts";
import {
  addUdpPacket,
  createUdpConversation,
  finishUdpConversation,
  type UdpConversationState,
} from "./udp-conversation.ts";
import { findStrayReplies, strayRepliesOf } from "./udp-replies.ts";

export interface AnalyseOptions {
  /** Keep only conversations with this port on either side. */
  readonly port?: number;
  /** Keep each conversation's packet timeline: true (default), false, or at most this many rows in all. */
  readonly keepPackets?: boolean | number;
  /** At most this many timeline rows per conversation (default: no cap); the rest are counted. */
  readonly packetsPerConversation?: number;
  /**
   * UDP timeline rows carry their datagram's payload while the rows of that direction have carried fewer
   * than this many payload bytes (default: no limit, within `keepStreams`); later rows carry null.
   */
  readonly rowPayloadBytes?: number;
  /** Keep the rebuilt stream bytes: true (default, up to 1 MiB per direction), false, or a cap in bytes. */
  readonly keepStreams?: boolean | number;
  /** Compute each stream's SHA-256 (default: unless `keepStreams` is false). */
  readonly hashStreams?: boolean;
  /** Keep conversations in the result: true (default), false (totals only), or at most this many. */
  readonly keepConversations?: boolean | number;
  /**
   * Streaming: each listed conversation is handed here once it is finished, and is not kept: `finish()`
   * returns no conversations, so memory holds only what is still open. Conversations are finished early
   * only past a cap, never after a quiet time (Wireshark follows a 4-tuple for ever, and a capture that
   * holds fewer conversations than the caps is analysed exactly as without streaming): a closed TCP
   * conversation when more than MAX_CLOSED_WAITING closed ones wait (see tcp-table.ts), a UDP conversation,
   * which never closes, when it is the least recently active of more than MAX_UDP_OPEN; the rest at
   * `finish()`. A finished conversation leaves a tombstone: a later packet on its 4-tuple is
   * counted in `capture.latePackets` (a TCP SYN with a new ISN starts a new conversation, as in Wireshark),
   * so stream numbers stay tshark's. A stray reply is looked for among the conversations still held when
   * its request's flow is finished. Without `onConversation`, nothing is finished before `finish()`.
   */
  readonly onConversation?: (conversation: Conversation) => void;
  /**
   * IP fragment data held while waiting for the rest of a datagram (default 64 MiB); past it the
   * reassemblies started first are dropped (`capture.fragmentsEvicted`).
   */
  readonly maxFragmentBytes?: number;
}

/** Feeds packets in capture order, then gives the analysis. */
export interface Analyser {
  /** Adds one packet. The packet's bytes are read during the call only. */
  add(packet: DecodedPacket): void;
  /** Ends the analysis; `header` names the file and its format. The analyser cannot be used afterwards. */
  finish(header?: CaptureHeader): CaptureAnalysis;
}

/** Default `keepStreams` cap per direction. */
export const DEFAULT_STREAM_BYTES = 1 << 20;
/** Decode problems listed in the result; the rest are counted. */
export const MAX_PROBLEMS_LISTED = 100;
/** Streaming only: past this many UDP conversations held, the least recently active one is finished. */
export const MAX_UDP_OPEN = 1024;

type MutableIgnored = { -readonly [K in keyof IgnoredCounts]: IgnoredCounts[K] };

/** A new analyser. */
export function createAnalyser(options: AnalyseOptions = {}): Analyser {
  const port = options.port;
  const conversationCap = capOf(options.keepConversations, Number.POSITIVE_INFINITY);
  let rowBudget = capOf(options.keepPackets, Number.POSITIVE_INFINITY);
  const rowsEach = options.packetsPerConversation ?? Number.POSITIVE_INFINITY;
  const onConversation = options.onConversation;
  let listed = 0;
  let captureStartUs = 0;
  let captureStartNanos = 0;
  const context: ConversationContext = {
    get captureStartUs() {
      return captureStartUs;
    },
    relativeNs(packet) {
      return (packet.timeUs - captureStartUs) * 1000 + (packet.nanos - captureStartNanos);
    },
    streamOptions: {
      keepBytes: capOf(options.keepStreams, DEFAULT_STREAM_BYTES),
      hash: options.hashStreams ?? options.keepStreams !== false,
    },
    rowPayloadBytes: options.rowPayloadBytes ?? Number.POSITIVE_INFINITY,
    keepTimeline: rowBudget > 0,
    takeRow(kept) {
      if (rowBudget <= 0 || kept >= rowsEach) return false;
      rowBudget--;
      return true;
    },
  };

  let packets = 0;
  // Running sums in object fields rather than closure variables: a field holds a double in place, while
  // each store of a large number into a closure variable allocates.
  const sums = { bytes: 0, capturedBytes: 0, lastTimeUs: 0 };
  let firstTimeUs: number | null = null;
  let firstLink: { type: LinkTypeName; code: number } | null = null;
  let latePackets = 0;
  let problemPackets = 0;
  let problemTotal = 0;
  const problems: DecodeProblemEntry[] = [];
  const ignored: MutableIgnored = {
    marker: 0,
    markerIcmp: 0,
    nonIp: 0,
    otherProtocol: 0,
    otherPort: 0,
    fragments: 0,
    total: 0,
  };
  const ignoredOverhead = createCounter();
  // IPv4/IPv6 fragments are held until their datagram is complete (ip-reassembly.ts); those that never
  // become part of one are ignored.
  let fragmentsEvicted = 0;
  // Packets whose headers the snap length cut (a fact of the capture, not a problem), and the first.
  let cutPackets = 0;
  let firstCut: DecodeProblemEntry | null = null;
  const reassembler = createIpReassembler({
    maxHeldBytes: options.maxFragmentBytes,
    onDropped(frame: FragmentFrame, why) {
      if (why === "cap") fragmentsEvicted++;
      ignored.fragments++;
      ignored.total++;
      addFrame(ignoredOverhead, frame);
    },
  });
  const conversationKinds: KindCounters = createKindCounters();

  const udpTable = new PairMap<UdpConversationState>();
  // Streaming: the 4-tuples of UDP conversations already finished, to their stream numbers.
  const udpFinished = new PairIndex();
  const udpStates: UdpConversationState[] = [];
  // The marker's 4-tuples: tshark gives the marker a udp.stream of its own, so the numbering skips it too.
  const markerTuples = new PairMap<true>();
  // UDP 4-tuples an ICMP error's quote gave a stream number before any datagram of theirs was seen.
  const quotedStreams = new PairMap<number>();
  const results: Conversation[] = [];
  let udpStreams = 0;
  let conversationCount = 0;
  let finished = false;

  // A reassembled datagram counts as many packets as the frames that carried it.
  function ignore(packet: DecodedPacket, bucket: keyof MutableIgnored): void {
    const frames = fragmentsOf(packet)?.length ?? 1;
    ignored[bucket] += frames;
    ignored.total += frames;
    addPacket(ignoredOverhead, packet);
  }

  // The output id of a new conversation: only if it passes the port filter and the cap.
  function number(full: boolean): number | null {
    if (!full) return null;
    conversationCount++;
    return conversationCount <= conversationCap ? conversationCount - 1 : null;
  }

  function retireTcp(state: TcpConversationState): void {
    if (!state.full) return;
    addKindCounters(conversationKinds, state.kinds);
    if (state.id !== null) list(finishTcpConversation(state, state.id));
  }

  function list(conversation: Conversation): void {
    listed++;
    if (onConversation === undefined) results[conversation.id] = conversation;
    else onConversation(conversation);
  }

  const tcpTable = createTcpTable(
    context,
    number,
    retireTcp,
    onConversation === undefined
      ? null
      : { closedAfterUs: Number.POSITIVE_INFINITY, maxClosedWaiting: MAX_CLOSED_WAITING },
  );

  // A packet of a conversation already handed over: counted, and its bytes go to the conversations' overhead.
  function late(packet: DecodedPacket, tcp: TcpLayer | null): void {
    latePackets++;
    const kind = tcp === null ? "udp" : packetKind(tcp.flags, packet.payloadLength, false);
    conversationKinds[kind] ??= createCounter();
    addPacket(conversationKinds[kind], packet);
  }

  // Streaming: the UDP conversations held, least recently active first (a Map keeps insertion order), and
  // by "client|server" addresses, where a flow's stray replies are looked for.
  const udpActive = new Map<UdpConversationState, EndpointKey>();
  const udpByAddresses = new Map<string, Set<UdpConversationState>>();

  function addUdp(packet: DecodedPacket, srcKey: EndpointKey, dstKey: EndpointKey, full: boolean): void {
    let state = udpTable.get(srcKey, dstKey);
    if (state === undefined && udpFinished.size > 0 && udpFinished.get(srcKey, dstKey) >= 0) {
      if (full) late(packet, null);
      return;
    }
    if (state === undefined) {
      state = createUdpConversation(
        packet,
        srcKey,
        { id: number(full), full, stream: takeQuotedStream(srcKey, dstKey) ?? udpStreams++ },
        context,
      );
      udpTable.set(srcKey, dstKey, state);
      if (onConversation === undefined) udpStates.push(state);
      else holdUdp(state, dstKey);
    } else if (onConversation !== undefined) {
      const otherKey = udpActive.get(state)!;
      udpActive.delete(state);
      udpActive.set(state, otherKey);
    }
    addUdpPacket(state, packet, srcKey === state.clientKey ? 0 : 1, context);
    if (onConversation !== undefined && udpActive.size > MAX_UDP_OPEN) retireCrowdedUdp();
  }

  // An ICMP error quoting a UDP datagram whose 4-tuple has no conversation yet gives that 4-tuple the next
  // stream number, as Wireshark's lookup of the quote's conversation does; a later datagram of it takes it.
  function reserveQuotedStream(packet: DecodedPacket): void {
    const quote = quotedUdp(packet);
    if (quote === undefined) return;
    const { srcKey, dstKey } = quote;
    if (
      quotedStreams.get(srcKey, dstKey) !== undefined ||
      markerTuples.get(srcKey, dstKey) !== undefined ||
      udpTable.get(srcKey, dstKey) !== undefined ||
      udpFinished.get(srcKey, dstKey) >= 0
    )
      return;
    quotedStreams.set(srcKey, dstKey, udpStreams++);
  }

  function takeQuotedStream(srcKey: EndpointKey, dstKey: EndpointKey): number | undefined {
    if (quotedStreams.size === 0) return undefined;
    const stream = quotedStreams.get(srcKey, dstKey);
    if (stream !== undefined) quotedStreams.delete(srcKey, dstKey);
    return stream;
  }

  function addressKey(state: UdpConversationState, reversed: boolean): string {
    return reversed
      ? `${state.server.address}|${state.client.address}`
      : `${state.client.address}|${state.server.address}`;
  }

  function holdUdp(state: UdpConversationState, serverKey: EndpointKey): void {
    udpActive.set(state, serverKey);
    const key = addressKey(state, false);
    let set = udpByAddresses.get(key);
    if (set === undefined) {
      set = new Set();
      udpByAddresses.set(key, set);
    }
    set.add(state);
  }

  function retireCrowdedUdp(): void {
    for (const [state, serverKey] of udpActive) {
      if (udpActive.size <= MAX_UDP_OPEN) break;
      udpActive.delete(state);
      const key = addressKey(state, false);
      const set = udpByAddresses.get(key)!;
      set.delete(state);
      if (set.size === 0) udpByAddresses.delete(key);
      if (udpTable.get(state.clientKey, serverKey) === state) {
        udpTable.delete(state.clientKey, serverKey);
        udpFinished.set(state.clientKey, serverKey, state.stream);
      }
      finishUdp(state, strayRepliesOf(state, udpByAddresses.get(addressKey(state, true)) ?? []));
    }
  }

  function finishUdp(state: UdpConversationState, strays: StrayReply[]): void {
    if (!state.full) return;
    addKindCounters(conversationKinds, state.kinds);
    if (state.id !== null) list(finishUdpConversation(state, state.id, strays));
  }

  function add(packet: DecodedPacket): void {
    if (finished) throw new Error("analyser: add() after finish()");
    if (packets === 0) {
      captureStartUs = packet.timeUs;
      captureStartNanos = packet.nanos;
      firstTimeUs = packet.timeUs;
      firstLink = { type: packet.link.type, code: packet.link.code };
    }
    packets++;
    sums.bytes += packet.frameLength;
    sums.capturedBytes += packet.capturedLength;
    sums.lastTimeUs = packet.timeUs;
    const shown = reassembler.add(packet);
    if (shown === undefined) {
      recordProblems(packet);
      return;
    }
    recordProblems(shown);
    classify(shown);
  }

  function recordProblems(packet: DecodedPacket): void {
    const cut = packet.cut;
    if (cut !== undefined) {
      cutPackets++;
      firstCut ??= {
        packet: packet.number,
        layer: cut.layer,
        code: cut.code,
        offset: cut.offset,
        message: cut.message,
      };
    }
    if (packet.problems.length > 0) {
      problemPackets++;
      problemTotal += packet.problems.length;
      for (const problem of packet.problems) {
        if (problems.length >= MAX_PROBLEMS_LISTED) break;
        problems.push({
          packet: packet.number,
          layer: problem.layer,
          code: problem.code,
          offset: problem.offset,
          message: problem.message,
        });
      }
    }
  }

  function classify(packet: DecodedPacket): void {
    const transport = packet.transport;
    if (packet.network === undefined) {
      ignore(packet, "nonIp");
      return;
    }
    if (transport === undefined) {
      let bucket: keyof MutableIgnored = "otherProtocol";
      if (isMarkerIcmp(packet)) bucket = "markerIcmp";
      else if (fragmentsOf(packet) === undefined && isIpFragment(packet)) bucket = "fragments";
      else reserveQuotedStream(packet);
      ignore(packet, bucket);
      return;
    }
    const srcKey = endpointKey(packet, "src");
    const dstKey = endpointKey(packet, "dst");
    if (transport.protocol === "udp" && isMarker(packet)) {
      const known =
        markerTuples.get(srcKey, dstKey) !== undefined ||
        udpTable.get(srcKey, dstKey) !== undefined ||
        udpFinished.get(srcKey, dstKey) >= 0;
      if (!known) {
        markerTuples.set(srcKey, dstKey, true);
        udpStreams++;
      }
      ignore(packet, "marker");
      return;
    }
    const full = port === undefined || transport.srcPort === port || transport.dstPort === port;
    if (transport.protocol === "tcp") {
      if (tcpTable.add(packet, transport, srcKey, dstKey, full) === "late" && full) late(packet, transport);
    } else addUdp(packet, srcKey, dstKey, full);
    if (!full) ignore(packet, "otherPort");
  }

  function finish(header?: CaptureHeader): CaptureAnalysis {
    if (finished) throw new Error("analyser: finish() called twice");
    finished = true;
    reassembler.flush();
    tcpTable.finish();
    const held = onConversation === undefined ? udpStates : [...udpActive.keys()];
    const strays = findStrayReplies(held);
    for (const state of held) finishUdp(state, strays.get(state) ?? []);
    const conversationOverhead = sumKinds(conversationKinds);
    const total = createCounter();
    addCounter(total, conversationOverhead);
    addCounter(total, ignoredOverhead);
    const kinds: KindCounters = { ...conversationKinds };
    if (ignoredOverhead.packets > 0) kinds.ignored = ignoredOverhead;
    const linkCode = header?.linkType ?? firstLink?.code ?? null;
    return {
      version: 1,
      capture: {
        file: header?.file ?? null,
        format: header?.format ?? null,
        linkType: linkCode === null ? "unknown" : linkTypeName(linkCode),
        linkTypeCode: linkCode,
        packets,
        bytes: sums.bytes,
        capturedBytes: sums.capturedBytes,
        firstTimeUs,
        lastTimeUs: firstTimeUs === null ? null : sums.lastTimeUs,
        durationUs: firstTimeUs === null ? 0 : sums.lastTimeUs - firstTimeUs,
        port: port ?? null,
        ignored: { ...ignored },
        problems: { packets: problemPackets, list: problems, truncated: problems.length < problemTotal },
        conversationCount,
        conversationsDropped: conversationCount - listed,
        latePackets,
        fragmentsEvicted,
        cut: { packets: cutPackets, first: firstCut },
      },
      conversations: results,
      overhead: {
        total: toBucket(total),
        conversations: toBucket(conversationOverhead),
        ignored: toBucket(ignoredOverhead),
        byKind: toKindBuckets(kinds),
        noPayloadPackets: noPayloadPackets(kinds),
      },
    };
  }

  return { add, finish };
}

// true → fallback, false → 0, a number → itself (at least 0).
function capOf(option: boolean | number | undefined, fallback: number): number {
  if (option === undefined || option === true) return fallback;
  if (option === false) return 0;
  return Math.max(0, option);
}
