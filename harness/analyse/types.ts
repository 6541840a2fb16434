// The analysis of one capture as plain JSON-able data: the `socklab analyse --json` document. Every field is
// documented in docs/analysis-json.md; change both together and bump `version` when a change breaks readers.
//
// Conventions: numbers, never bigints; absent values are `null`, never missing; sequence numbers are
// relative (Wireshark's: the SYN is 0, the first data byte is 1) and reduced modulo 2^32 as tshark shows
// them (`tcp.seq`, `tcp.ack`, `tcp.nxtseq`), so a range crossing 2^32 has `to < from`; byte ranges are
// half-open `{ from, to }` (bytes from..to-1); times are microseconds since the Unix epoch (`…Us`) unless the
// name says otherwise (`…Ns`: integer nanoseconds).

import type { LinkTypeName } from "../decode/index.ts";
import type { TcpLabel } from "./tcp-labels.ts";

/** Wireshark's `tcp.analysis.*` flags, listed with their bits and tshark fields in tcp-labels.ts. */
export type { TcpLabel };

/** The whole document. */
export interface CaptureAnalysis {
  readonly version: 1;
  readonly capture: CaptureSummary;
  /** In order of first packet; `id` is the index in this list. */
  readonly conversations: Conversation[];
  readonly overhead: CaptureOverhead;
}

export interface CaptureSummary {
  /** The path the user named, or null when packets were fed to the analyser directly. */
  readonly file: string | null;
  readonly format: "pcap" | "pcap-ns" | "pcapng" | null;
  readonly linkType: LinkTypeName;
  readonly linkTypeCode: number | null;
  readonly packets: number;
  /** Σ frame lengths (bytes on the wire, orig_len). */
  readonly bytes: number;
  /** Σ bytes stored in the file (smaller than `bytes` when the snap length cut packets). */
  readonly capturedBytes: number;
  readonly firstTimeUs: number | null;
  readonly lastTimeUs: number | null;
  readonly durationUs: number;
  /** The port filter the analysis ran with, or null. */
  readonly port: number | null;
  readonly ignored: IgnoredCounts;
  readonly problems: DecodeProblemList;
  /** TCP and UDP conversations found, including those left out of `conversations` by `keepConversations`. */
  readonly conversationCount: number;
  /** Conversations analysed but left out of `conversations` (the `keepConversations` cap). */
  readonly conversationsDropped: number;
  /**
   * Streaming only: packets of conversations already handed over (finished early) when they came; they
   * count in the conversations' overhead but in no conversation. Always 0 without streaming.
   */
  readonly latePackets: number;
  /**
   * IP fragments dropped by the reassembly memory cap (64 MiB of fragment data held), also counted in
   * `ignored.fragments`. Wireshark keeps every fragment: when this is not 0, datagrams tshark reassembles
   * may be missing here.
   */
  readonly fragmentsEvicted: number;
  /**
   * Packets whose headers the snap length cut (every layer before the cut is kept, lengths come from the
   * IP header, and tshark's analysis shows no labels on them), and the first such cut.
   */
  readonly cut: { readonly packets: number; readonly first: DecodeProblemEntry | null };
}

/** Packets that belong to no conversation. Each packet is counted once, in the first matching bucket. */
export interface IgnoredCounts {
  /** socklab's capture-barrier marker: UDP to port 9 whose payload starts with `GRADER-END-`. */
  readonly marker: number;
  /** ICMP / ICMPv6 port-unreachable errors quoting a datagram to port 9 (the marker's echo). */
  readonly markerIcmp: number;
  /** Packets without a decodable IPv4/IPv6 header (ARP, unknown link types, truncated IP headers). */
  readonly nonIp: number;
  /** IP packets that are neither TCP nor UDP (other ICMP, IGMP, …) or whose TCP/UDP header is unusable. */
  readonly otherProtocol: number;
  /** TCP/UDP packets of conversations left out by the `port` filter. */
  readonly otherPort: number;
  /**
   * IPv4/IPv6 fragments that are part of no reassembled datagram: never completed by the end of the
   * capture (a lost fragment, or a duplicate arriving after its datagram was complete), dropped by the
   * reassembly memory cap, or not reassembled because the capture cut their data.
   */
  readonly fragments: number;
  readonly total: number;
}

export interface DecodeProblemList {
  /** Packets with at least one decode problem. */
  readonly packets: number;
  /** The first problems found, in packet order (capped). */
  readonly list: DecodeProblemEntry[];
  readonly truncated: boolean;
}

export interface DecodeProblemEntry {
  readonly packet: number;
  readonly layer: string;
  readonly code: string;
  readonly offset: number;
  readonly message: string;
}

export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

export type Direction = "c2s" | "s2c";
export type Side = "client" | "server";

export type Conversation = TcpConversation | UdpConversation;

interface ConversationBase {
  /** Index in `conversations` (0-based, order of first packet). */
  readonly id: number;
  /** tshark's `tcp.stream` / `udp.stream` for this conversation (counts conversations left out too). */
  readonly stream: number;
  readonly ipVersion: 4 | 6;
  /** TCP: the sender of the SYN (else of the first packet); UDP: the sender of the first datagram. */
  readonly client: Endpoint;
  readonly server: Endpoint;
  readonly packets: number;
  readonly firstPacket: number;
  readonly lastPacket: number;
  readonly firstTimeUs: number;
  readonly lastTimeUs: number;
  readonly durationUs: number;
  readonly overhead: ConversationOverhead;
  /** The packet timeline, or null when `keepPackets` was false. */
  readonly timeline: PacketRow[] | null;
  /** True when a cap (`keepPackets` in all, `packetsPerConversation` each) cut the timeline short. */
  readonly timelineTruncated: boolean;
  /** Packets of this conversation left out of its timeline by those caps. */
  readonly timelineOmitted: number;
}

// ---------------------------------------------------------------- TCP

export interface TcpConversation extends ConversationBase {
  readonly protocol: "tcp";
  /**
   * Started by a SYN with a new ISN on a 4-tuple already used (Wireshark's `tcp.analysis.reused_ports` on its
   * first packet; false, as tshark shows it, when the snap length cut that SYN's TCP header).
   */
  readonly reusedPorts: boolean;
  readonly handshake: Handshake;
  readonly c2s: TcpDirectionSummary;
  readonly s2c: TcpDirectionSummary;
  readonly close: TcpClose;
  readonly completeness: Completeness;
  /** How many packets carry each label. */
  readonly labels: Record<TcpLabel, number>;
}

export interface SynOptions {
  readonly mss: number | null;
  readonly windowScale: number | null;
  readonly sackPermitted: boolean;
  readonly timestamps: boolean;
  /** TCP option bytes (header length − 20). */
  readonly optionBytes: number;
  /** Option kinds in order (NOP = 1 included). */
  readonly kinds: number[];
}

export interface Handshake {
  /** SYN, SYN/ACK and ACK all seen and every field as expected. */
  readonly complete: boolean;
  readonly syn: { readonly packet: number; readonly isn: number; readonly options: SynOptions } | null;
  readonly synAck: {
    readonly packet: number;
    readonly isn: number;
    /** Absolute acknowledgement number; expected client ISN + 1. */
    readonly ack: number;
    readonly options: SynOptions;
  } | null;
  /** The ACK completing the handshake (absolute numbers; expected seq = client ISN + 1, ack = server ISN + 1). */
  readonly ack: { readonly packet: number; readonly seq: number; readonly ack: number } | null;
  /** SYN to its ACK, as Wireshark's `tcp.analysis.initial_rtt`, or null: whole µs (rounded down). */
  readonly initialRttUs: number | null;
  /** The same in integer nanoseconds (exact for nanosecond captures), or null. */
  readonly initialRttNs: number | null;
  readonly synRetransmissions: number;
  readonly synAckRetransmissions: number;
  readonly findings: HandshakeFinding[];
}

export type HandshakeFindingCode =
  | "no-syn"
  | "missing-syn-ack"
  | "wrong-syn-ack-ack"
  | "missing-ack"
  | "wrong-ack-seq"
  | "wrong-ack-ack"
  | "reset-during-handshake";

export interface HandshakeFinding {
  readonly code: HandshakeFindingCode;
  /** The packet the finding is about, or null when the packet is missing. */
  readonly packet: number | null;
  /** The field compared, e.g. "ack" or "flags". */
  readonly field: string;
  readonly expected: number | string;
  readonly seen: number | string | null;
  readonly message: string;
}

export interface TcpDirectionSummary {
  readonly direction: Direction;
  readonly sender: Side;
  /** Absolute initial sequence number (from the SYN), or null if the SYN was not seen. */
  readonly isn: number | null;
  /** Absolute number relative numbers count from (ISN, or first seq − 1 when no SYN was seen). */
  readonly baseSeq: number;
  readonly packets: number;
  readonly dataPackets: number;
  /** Payload bytes sent, retransmissions included. */
  readonly payloadBytes: number;
  /** Distinct payload bytes sent (sequence space covered). */
  readonly uniqueBytes: number;
  /** Payload bytes sent more than once (tcptrace's rexmt bytes). */
  readonly retransmittedBytes: number;
  readonly retransmittedPackets: number;
  /** Byte ranges sent again (capped; `retransmissionsTruncated`). */
  readonly retransmissions: RetransmittedRange[];
  readonly retransmissionsTruncated: boolean;
  /** Relative sequence number after the highest byte sent (SYN and FIN count one). */
  readonly nextSeq: number;
  readonly acked: AckSummary;
  readonly stream: StreamSummary;
  readonly window: WindowSummary;
}

export interface RetransmittedRange {
  /** "data": payload bytes; "syn"/"fin": the flag's sequence number was sent again. */
  readonly kind: "data" | "syn" | "fin";
  readonly from: number;
  readonly to: number;
  readonly bytes: number;
  /** The packet that sent the range again. */
  readonly packet: number;
  /** Packets that had sent (part of) the range before (empty when the earlier sender is no longer known). */
  readonly originalPackets: number[];
  /** Whether the peer had already acknowledged the whole range when it was sent again. */
  readonly alreadyAcked: boolean;
}

export interface AckSummary {
  /** The highest relative ACK the peer sent for this direction, and the packet that carried it. */
  readonly highestAck: number | null;
  readonly highestAckPacket: number | null;
  /** Every byte sent (and the SYN and FIN, if sent) was acknowledged by the peer. */
  readonly allAcked: boolean;
  /** Bytes (with SYN/FIN) sent but never acknowledged. */
  readonly unackedBytes: number;
  /** null when no SYN / FIN was sent in this direction. */
  readonly synAcked: boolean | null;
  readonly finAcked: boolean | null;
}

export interface StreamSummary {
  /** Bytes delivered in order (gaps skipped). */
  readonly length: number;
  /** SHA-256 (hex) of the delivered bytes, or null when hashing was turned off. */
  readonly sha256: string | null;
  /** The delivered bytes as base64 when kept (`keepStreams`), else null. */
  readonly base64: string | null;
  /** How many delivered bytes `base64` holds (less than `length` when the cap was hit). */
  readonly bytesKept: number;
  /** Sequence ranges never seen in the capture (relative, half-open). */
  readonly gaps: Range[];
  /** No gaps. */
  readonly intact: boolean;
  /** Data segments that arrived beyond a hole and were queued. */
  readonly outOfOrderSegments: number;
  /** Bytes dropped as already delivered (retransmissions, overlaps). */
  readonly overlapBytes: number;
  /** New bytes sent after the stream was closed (its FIN acknowledged, or a reset): not in the stream. */
  readonly bytesAfterClose: number;
}

export interface Range {
  readonly from: number;
  readonly to: number;
}

export interface WindowSummary {
  /** The raw window field of the first packet, and min/max of the scaled window over the conversation. */
  readonly first: number | null;
  readonly scale: number | null;
  readonly min: number | null;
  readonly max: number | null;
  readonly zeroWindowPackets: number;
}

export interface FinInfo {
  readonly packet: number;
  readonly timeUs: number;
  /** Relative sequence number of the FIN. */
  readonly seq: number;
  readonly acked: boolean;
  readonly ackPacket: number | null;
  /** FIN packets sent again. */
  readonly retransmissions: number;
}

export type RstPhase = "handshake" | "established" | "after-own-fin" | "after-peer-fin" | "after-both-fins";

export interface RstInfo {
  readonly by: Side;
  readonly packet: number;
  readonly timeUs: number;
  /** Relative sequence number of the RST. */
  readonly seq: number;
  readonly phase: RstPhase;
  /** Payload bytes the peer sent after the resetting side last sent data (hint of data it never read). */
  readonly unansweredPeerBytes: number;
  /** Bytes the peer had sent that the resetting side never acknowledged. */
  readonly peerBytesUnacked: number;
  /** Further RSTs in the conversation. */
  readonly count: number;
}

export interface TcpClose {
  /** "graceful": a FIN each way, both ACKed; "reset": an RST ended it; "half-closed": FINs missing or not ACKed. */
  readonly state: "graceful" | "reset" | "half-closed" | "open";
  /** Who sent the first FIN. */
  readonly initiator: Side | null;
  readonly clientFin: FinInfo | null;
  readonly serverFin: FinInfo | null;
  readonly rst: RstInfo | null;
}

/** Wireshark's `tcp.completeness`: SYN=1, SYN-ACK=2, ACK=4, DATA=8, FIN=16, RST=32. */
export interface Completeness {
  readonly value: number;
  readonly flags: Array<"syn" | "syn-ack" | "ack" | "data" | "fin" | "rst">;
}

// ---------------------------------------------------------------- UDP

export interface UdpConversation extends ConversationBase {
  readonly protocol: "udp";
  readonly c2s: UdpDirectionSummary;
  readonly s2c: UdpDirectionSummary;
  readonly replies: UdpReplies;
}

export interface UdpDirectionSummary {
  readonly direction: Direction;
  readonly datagrams: number;
  readonly payloadBytes: number;
  readonly minSize: number | null;
  readonly maxSize: number | null;
  /** Payload sizes and packet numbers, one entry per datagram (capped). */
  readonly sizes: number[];
  readonly packetNumbers: number[];
  readonly truncated: boolean;
}

export interface UdpReplies {
  /** Request/reply pairs: each s2c datagram paired with the oldest unanswered c2s one before it (capped). */
  readonly pairs: Array<{ readonly request: number; readonly reply: number; readonly delayUs: number }>;
  readonly pairCount: number;
  readonly unansweredRequests: number;
  /** The server answered at least once to the client's exact address and port. */
  readonly repliedToSource: boolean;
  /** Datagrams that look like replies but went elsewhere: from the server's address to the client's address
   * with another port pair (a reply to the wrong port, or from the wrong port). */
  readonly strayReplies: StrayReply[];
}

export interface StrayReply {
  /** The other conversation's id (null when it was left out of `conversations`). */
  readonly conversation: number | null;
  /** Its `udp.stream`. */
  readonly stream: number;
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly datagrams: number;
  readonly firstPacket: number;
  /** "wrong-destination-port": sent from the server's port to another client port; "wrong-source-port":
   * sent to the client's port from another server port. */
  readonly kind: "wrong-destination-port" | "wrong-source-port";
}

// ---------------------------------------------------------------- Timeline

export type PacketRow = TcpPacketRow | UdpPacketRow;

interface PacketRowBase {
  readonly number: number;
  readonly timeUs: number;
  /** Since the first packet of the capture: whole µs (`timeUs` minus the first packet's). */
  readonly relativeUs: number;
  /** Since the first packet of the capture in integer nanoseconds (tshark's `frame.time_relative`). */
  readonly relativeNs: number;
  /** `relativeNs` in seconds (nanosecond precision, as tshark's `frame.time_relative`). */
  readonly relativeSeconds: number;
  readonly direction: Direction;
  readonly frameLength: number;
  readonly payloadLength: number;
  /** tcpdump notation of the packet. */
  readonly summary: string;
  readonly preview: PayloadPreview;
}

export interface TcpPacketRow extends PacketRowBase {
  readonly protocol: "tcp";
  /** tcpdump letters: S F P R U W E, "." for ACK (e.g. "S.", "P.", "F."). */
  readonly flags: string;
  readonly seq: number;
  /** Relative acknowledgement number, or null without the ACK flag. */
  readonly ack: number | null;
  /** Raw window field. */
  readonly window: number;
  readonly labels: TcpLabel[];
  /** For duplicate ACKs: Wireshark's `duplicate_ack_num` and `duplicate_ack_frame`. */
  readonly duplicateAck: { readonly number: number; readonly of: number } | null;
}

export interface UdpPacketRow extends PacketRowBase {
  readonly protocol: "udp";
  /** The datagram's captured payload as base64 when streams are kept (`keepStreams`), else null. */
  readonly payload: string | null;
  /**
   * For a datagram reassembled from IP fragments (shown on the frame that completed it), the frame
   * numbers of all its fragments in offset order, as tshark's `ip.fragment`/`ipv6.fragment`; else null.
   */
  readonly fragments: number[] | null;
}

export interface PayloadPreview {
  /** Printable ASCII with escapes (\n \r \t \\ \xNN) of the first bytes. */
  readonly text: string;
  readonly hex: string;
  /** More payload than shown. */
  readonly truncated: boolean;
}

// ---------------------------------------------------------------- Overhead

/** What a packet is, for overhead. Packets without payload are split by role. */
export type PacketKind = "tcp-handshake" | "tcp-data" | "tcp-ack" | "tcp-fin" | "tcp-rst" | "udp" | "ignored";

export interface OverheadBucket {
  readonly packets: number;
  readonly link: number;
  readonly network: number;
  readonly transport: number;
  readonly payload: number;
  /** Bytes after the IP packet (Ethernet padding, trailers). */
  readonly trailer: number;
  /** link + network + transport + payload + trailer = Σ frame lengths. */
  readonly total: number;
  /** link + network + transport. */
  readonly headers: number;
  /** headers / payload, or null when there is no payload. */
  readonly ratio: number | null;
}

export interface ConversationOverhead {
  readonly total: OverheadBucket;
  readonly byKind: Partial<Record<PacketKind, OverheadBucket>>;
  /** Packets carrying no payload (handshake, pure ACKs, FIN, RST). */
  readonly noPayloadPackets: number;
}

export interface CaptureOverhead {
  /** Every packet of the capture: `total.total` equals `capture.bytes`. */
  readonly total: OverheadBucket;
  /** Packets of the conversations (kept or dropped by the cap, not those left out by `port`). */
  readonly conversations: OverheadBucket;
  /** Ignored packets (marker, ICMP, non-IP, other protocols, other ports). */
  readonly ignored: OverheadBucket;
  readonly byKind: Partial<Record<PacketKind, OverheadBucket>>;
  readonly noPayloadPackets: number;
}
