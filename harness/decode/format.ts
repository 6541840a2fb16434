// tcpdump notation for decoded packets, as `tcpdump -n -S` prints them (absolute sequence numbers, no
// timestamp, no "IP"/"IP6" prefix): `127.0.0.1.41234 > 127.0.0.1.65432: Flags [S.], seq 123, ack 456,
// win 65483, options [mss 65495,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0`.

import { readU16, readU32 } from "./bytes.ts";
import type { DecodedPacket, TcpLayer, TcpOptions } from "./packet-types.ts";
import { seqAdd } from "./seq.ts";
import { TcpView } from "./tcp.ts";

// tcpdump's order of flag letters (print-tcp.c tcp_flag_values).
const FLAG_LETTERS: readonly (readonly [number, string])[] = [
  [0x01, "F"],
  [0x02, "S"],
  [0x04, "R"],
  [0x08, "P"],
  [0x10, "."],
  [0x20, "U"],
  [0x40, "E"],
  [0x80, "W"],
];

/** TCP flags as tcpdump letters ("S.", "P.", "F."), or "none". */
export function formatTcpFlags(flags: number): string {
  let out = "";
  for (const [bit, letter] of FLAG_LETTERS) if ((flags & bit) !== 0) out += letter;
  return out === "" ? "none" : out;
}

/** TCP options as tcpdump prints them inside `options [...]`, from the header bytes. */
export function formatTcpOptions(tcp: TcpView): string {
  const b = tcp.bytes;
  const parts: string[] = [];
  let at = tcp.offset + 20;
  const end = tcp.offset + tcp.optionsEnd;
  while (at < end) {
    const kind = b[at]!;
    if (kind === 1) {
      parts.push("nop");
      at++;
      continue;
    }
    const length = b[at + 1]!;
    switch (kind) {
      case 2:
        parts.push(`mss ${readU16(b, at + 2)}`);
        break;
      case 3:
        parts.push(`wscale ${b[at + 2]!}`);
        break;
      case 4:
        parts.push("sackOK");
        break;
      case 5: {
        let blocks = "";
        for (let i = at + 2; i + 8 <= at + length; i += 8)
          blocks += `{${readU32(b, i)}:${readU32(b, i + 4)}}`;
        parts.push(`sack ${(length - 2) / 8} ${blocks}`);
        break;
      }
      case 8:
        parts.push(`TS val ${readU32(b, at + 2)} ecr ${readU32(b, at + 6)}`);
        break;
      default: {
        let hex = "";
        for (let i = at + 2; i < at + length; i++) hex += b[i]!.toString(16).padStart(2, "0");
        parts.push(hex === "" ? `unknown-${kind}` : `unknown-${kind} 0x${hex}`);
      }
    }
    at += length;
  }
  if (tcp.problem !== undefined) parts.push("[bad opt]");
  else if (end < tcp.offset + tcp.headerLength && tcp.optionsCaptured) parts.push("eol");
  return parts.join(",");
}

/** TCP options from their parsed form, for TCP layers that are not views over bytes. */
export function formatParsedTcpOptions(options: TcpOptions): string {
  let sackDone = false;
  const parts: string[] = [];
  for (const kind of options.kinds) {
    if (kind === 1) parts.push("nop");
    else if (kind === 2) parts.push(`mss ${options.mss}`);
    else if (kind === 3) parts.push(`wscale ${options.windowScale}`);
    else if (kind === 4) parts.push("sackOK");
    else if (kind === 8) parts.push(`TS val ${options.timestamp?.value} ecr ${options.timestamp?.echo}`);
    else if (kind === 5 && !sackDone) {
      sackDone = true;
      parts.push(`sack ${options.sack.length} ${options.sack.map(([l, r]) => `{${l}:${r}}`).join("")}`);
    } else if (kind !== 5) parts.push(`unknown-${kind}`);
  }
  return parts.join(",");
}

/**
 * The part after the addresses for a TCP segment: `Flags [P.], seq 1:6, ack 1, win 512, length 5`. A header
 * the snap length cut ends where tcpdump stops, at `[|tcp]`: after the ports when the fixed header was cut,
 * or after the options captured whole (`options [mss 65495,sackOK, [|tcp]`).
 */
// Built as parts joined once: one flat string, where `+=` would leave a tree of pieces (timelines keep many).
export function formatTcp(tcp: TcpLayer, payloadLength: number): string {
  return tcpParts(tcp, payloadLength).join("");
}

function tcpParts(tcp: TcpLayer, payloadLength: number): Array<string | number> {
  if (tcp.capturedHeaderLength < 20) return [" [|tcp]"];
  const flags = tcp.flags;
  const out: Array<string | number> = ["Flags [", formatTcpFlags(flags), "]"];
  // tcpdump prints seq only for segments that occupy sequence space (data, SYN, FIN) or reset.
  if (payloadLength > 0 || (flags & 0x07) !== 0) {
    out.push(", seq ", tcp.seq);
    if (payloadLength > 0) out.push(":", seqAdd(tcp.seq, payloadLength));
  }
  if (tcp.ackFlag) out.push(", ack ", tcp.ack);
  out.push(", win ", tcp.window);
  if (tcp.urg) out.push(", urg ", tcp.urgentPointer);
  if (tcp.headerLength > 20) {
    const options = tcp instanceof TcpView ? formatTcpOptions(tcp) : formatParsedTcpOptions(tcp.options);
    if (!tcp.optionsCaptured) {
      out.push(", options [", options === "" ? "" : `${options},`, " [|tcp]");
      return out;
    }
    out.push(", options [", options, "]");
  }
  out.push(", length ", payloadLength);
  return out;
}

/** A whole packet in tcpdump notation, with any decode problems appended as `[|layer code]`. */
export function formatPacket(packet: DecodedPacket): string {
  const { network, transport } = packet;
  let text: string;
  if (network === undefined) {
    text = `${packet.link.type} frame, length ${packet.frameLength}`;
  } else if (transport?.protocol === "tcp") {
    const ends = [network.src, ".", transport.srcPort, " > ", network.dst, ".", transport.dstPort, ": "];
    text = ends.concat(tcpParts(transport, packet.payloadLength)).join("");
  } else if (transport?.protocol === "udp") {
    const name = transport.lite ? "UDP-Lite" : "UDP";
    // Joined, not a template: a template builds a tree of string pieces, and rows keep their summaries.
    text = [
      network.src,
      ".",
      transport.srcPort,
      " > ",
      network.dst,
      ".",
      transport.dstPort,
      ": ",
      name,
      ", length ",
      packet.payloadLength,
    ].join("");
  } else {
    const name = protocolLabel(network.protocol);
    // Both socklab views have fragmentOffset; the Ipv6Layer contract does not.
    const offset = (network as { fragmentOffset?: number }).fragmentOffset ?? 0;
    const fragment = offset !== 0 ? `, frag offset ${offset}` : "";
    text = `${network.src} > ${network.dst}: ${name}${fragment}, length ${packet.payloadLength}`;
  }
  for (const p of packet.problems) text += ` [|${p.layer} ${p.code}]`;
  return text;
}

function protocolLabel(protocol: number): string {
  switch (protocol) {
    case 1:
      return "ICMP";
    case 58:
      return "ICMP6";
    case 6:
      return "TCP";
    case 17:
      return "UDP";
    case 136:
      return "UDP-Lite";
    default:
      return `ip-proto-${protocol}`;
  }
}
