// The three-way handshake, checked field by field: a SYN without ACK from the client; a SYN/ACK from the
// server whose ack is the client's ISN + 1; then an ACK from the client with seq = client ISN + 1 and
// ack = server ISN + 1. Findings say what was expected, what was seen and in which packet.

import type { TcpOptions } from "../decode/index.ts";
import { formatTcpFlags, seqAdd, seqDiff } from "../decode/index.ts";
import { ACK, isPureSyn, RST, SYN, type TcpSegment } from "./tcp-segment.ts";
import type { Handshake, HandshakeFinding, SynOptions } from "./types.ts";

/** What has been seen of the handshake so far. */
export interface HandshakeState {
  readonly firstPacket: number;
  readonly firstFlags: number;
  syn: { packet: number; isn: number; options: SynOptions } | null;
  synRetransmissions: number;
  synAck: { packet: number; isn: number; ack: number; options: SynOptions } | null;
  synAckRetransmissions: number;
  ack: { packet: number; seq: number; ack: number } | null;
  findings: HandshakeFinding[];
}

/** Starts tracking with the conversation's first packet. */
export function createHandshakeState(firstPacket: number, firstFlags: number): HandshakeState {
  return {
    firstPacket,
    firstFlags,
    syn: null,
    synRetransmissions: 0,
    synAck: null,
    synAckRetransmissions: 0,
    ack: null,
    findings: [],
  };
}

/** The handshake-relevant part of a SYN's options. */
export function synOptions(options: TcpOptions, headerLength: number): SynOptions {
  return {
    mss: options.mss ?? null,
    windowScale: options.windowScale ?? null,
    sackPermitted: options.sackPermitted,
    timestamps: options.timestamp !== undefined,
    optionBytes: headerLength - 20,
    // The decoder parses options afresh for each packet: its list can be kept as it is.
    kinds: options.kinds as number[],
  };
}

/**
 * Feeds one segment. Returns true when this segment is the ACK that completes the handshake (the overhead
 * counts it with the handshake rather than as a pure ACK).
 */
export function observeHandshake(state: HandshakeState, seg: TcpSegment): boolean {
  if (state.ack !== null) return false;
  const flags = seg.flags;
  if (seg.dir === 0 && isPureSyn(flags)) {
    if (state.syn === null) {
      state.syn = {
        packet: seg.number,
        isn: seg.seq,
        options: synOptions(seg.tcp.options, seg.tcp.headerLength),
      };
    } else if (seg.seq === state.syn.isn) {
      state.synRetransmissions++;
    }
    return false;
  }
  if (seg.dir === 1 && (flags & (SYN | ACK)) === (SYN | ACK)) {
    if (state.synAck === null) {
      state.synAck = {
        packet: seg.number,
        isn: seg.seq,
        ack: seg.ack,
        options: synOptions(seg.tcp.options, seg.tcp.headerLength),
      };
      if (state.syn !== null && seg.ack !== seqAdd(state.syn.isn, 1)) {
        const expected = seqAdd(state.syn.isn, 1);
        state.findings.push({
          code: "wrong-syn-ack-ack",
          packet: seg.number,
          field: "ack",
          expected,
          seen: seg.ack,
          message: `expected the SYN/ACK (packet ${seg.number}) to acknowledge the client's ISN + 1 (${expected}), but its ack is ${seg.ack} (${describeOffset(seg.ack, expected)})`,
        });
      }
    } else if (seg.seq === state.synAck.isn) {
      state.synAckRetransmissions++;
    }
    return false;
  }
  if ((flags & RST) !== 0 && (state.syn !== null || state.synAck !== null)) {
    const by = seg.dir === 0 ? "client" : "server";
    state.findings.push({
      code: "reset-during-handshake",
      packet: seg.number,
      field: "flags",
      expected: state.synAck === null ? "S." : ".",
      seen: formatTcpFlags(flags),
      message: `the ${by} reset the connection (packet ${seg.number}) before the handshake completed`,
    });
    return false;
  }
  if (seg.dir === 0 && state.synAck !== null && (flags & (SYN | ACK)) === ACK) {
    state.ack = { packet: seg.number, seq: seg.seq, ack: seg.ack };
    if (state.syn !== null && seg.seq !== seqAdd(state.syn.isn, 1)) {
      const expected = seqAdd(state.syn.isn, 1);
      state.findings.push({
        code: "wrong-ack-seq",
        packet: seg.number,
        field: "seq",
        expected,
        seen: seg.seq,
        message: `expected the handshake's ACK (packet ${seg.number}) to have seq = client ISN + 1 (${expected}), but it has ${seg.seq} (${describeOffset(seg.seq, expected)})`,
      });
    }
    const expectedAck = seqAdd(state.synAck.isn, 1);
    if (seg.ack !== expectedAck) {
      state.findings.push({
        code: "wrong-ack-ack",
        packet: seg.number,
        field: "ack",
        expected: expectedAck,
        seen: seg.ack,
        message: `expected the handshake's ACK (packet ${seg.number}) to acknowledge the server's ISN + 1 (${expectedAck}), but its ack is ${seg.ack} (${describeOffset(seg.ack, expectedAck)})`,
      });
    }
    return true;
  }
  return false;
}

/** The handshake's JSON form, with findings for whatever never arrived; `initialRttNs` is the iRTT in ns. */
export function summarizeHandshake(state: HandshakeState, initialRttNs: number | null): Handshake {
  const findings: HandshakeFinding[] = [];
  if (state.syn === null) {
    findings.push({
      code: "no-syn",
      packet: state.firstPacket,
      field: "flags",
      expected: "S",
      seen: formatTcpFlags(state.firstFlags),
      message: `the conversation does not start with a SYN without ACK: its first packet (${state.firstPacket}) has flags [${formatTcpFlags(state.firstFlags)}]`,
    });
  }
  findings.push(...state.findings);
  const resetEarly = state.findings.some((f) => f.code === "reset-during-handshake");
  if (state.syn !== null && state.synAck === null && !resetEarly) {
    findings.push({
      code: "missing-syn-ack",
      packet: null,
      field: "flags",
      expected: "S.",
      seen: null,
      message: `the server never answered the SYN (packet ${state.syn.packet}) with a SYN/ACK`,
    });
  }
  if (state.synAck !== null && state.ack === null && !resetEarly) {
    findings.push({
      code: "missing-ack",
      packet: null,
      field: "flags",
      expected: ".",
      seen: null,
      message: `the client never acknowledged the SYN/ACK (packet ${state.synAck.packet})`,
    });
  }
  return {
    complete: state.syn !== null && state.synAck !== null && state.ack !== null && findings.length === 0,
    syn: state.syn,
    synAck: state.synAck,
    ack: state.ack,
    initialRttUs: initialRttNs === null ? null : Math.floor(initialRttNs / 1000),
    initialRttNs,
    synRetransmissions: state.synRetransmissions,
    synAckRetransmissions: state.synAckRetransmissions,
    findings,
  };
}

// "ISN + 0", "ISN + 2": how far a number is from the expected one, in words.
function describeOffset(seen: number, expected: number): string {
  const diff = seqDiff(seen, expected);
  if (diff === 0) return "as expected";
  return diff > 0 ? `${diff} too high` : `${-diff} too low`;
}
