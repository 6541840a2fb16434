// One TCP segment as the analysis sees it: the header fields it needs, copied out of the decoded packet,
// with the direction and relative sequence numbers filled in by the conversation.

import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type TcpLayer } from "../decode/index.ts";

/** TCP header flag bits, under the short names the analysis uses (their one home is the TCP decoder). */
export const FIN = TCP_FIN;
export const SYN = TCP_SYN;
export const RST = TCP_RST;
export const ACK = TCP_ACK;

export interface TcpSegment {
  readonly number: number;
  readonly timeUs: number;
  /** Integer nanoseconds since the capture's first packet. */
  readonly timeNs: number;
  /** The packet's absolute time is the epoch itself (Wireshark's "no time"). */
  readonly atEpoch: boolean;
  /** The snap length cut the TCP header (its options). */
  readonly headerCut: boolean;
  /** 0: sent by the client, 1: by the server. */
  readonly dir: 0 | 1;
  /** Absolute numbers, unsigned 32-bit. */
  readonly seq: number;
  readonly ack: number;
  readonly flags: number;
  readonly window: number;
  /** Payload length from the IP length fields. */
  readonly seglen: number;
  /** Payload bytes captured (less than seglen when the snap length cut the packet). */
  readonly capturedLength: number;
  /** The captured payload (a view valid only while the packet is being added), or null when not needed. */
  readonly payload: Uint8Array | null;
  /**
   * Relative, unwrapped sequence number of the segment (the SYN is 0, the first data byte 1): a position
   * that keeps counting past 2^32, reduced modulo 2^32 only where the document shows it.
   */
  readonly relSeq: number;
  /** Relative, unwrapped acknowledgement number (meaningful with the ACK flag). */
  readonly relAck: number;
  readonly tcp: TcpLayer;
}

/** Whether the segment is a SYN without ACK. */
export function isPureSyn(flags: number): boolean {
  return (flags & (SYN | ACK)) === SYN;
}
