// What tshark 4.0 says about a capture, as plain JSON-able data: the per-frame fields socklab's analysis
// document must agree with, and the `-z conv,tcp` / `-z conv,udp` tables. One tshark run per capture (the
// fields are printed first, then the tables). Stored beside the checked-in parity fixtures, so the data must
// stay independent of socklab's own types.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { TCP_LABEL_TABLE } from "../../../harness/analyse/tcp-labels.ts";

const run = promisify(execFile);

/** The TCP fields of a frame, as tshark prints them (null when tshark shows no such field). */
export interface TsharkTcp {
  readonly stream: number;
  readonly seq: number | null;
  readonly ack: number | null;
  readonly ackFlag: boolean;
  readonly nxtseq: number | null;
  readonly len: number | null;
  /** The `tcp.analysis.*` fields present, as tshark field names. */
  readonly analysis: string[];
  readonly duplicateAckNum: number | null;
  readonly duplicateAckFrame: number | null;
  readonly reusedPorts: boolean;
  readonly completeness: number | null;
  /** tcp.hdr_len (null when the header is cut before its data offset). */
  readonly hdrLen: number | null;
}

/**
 * The frame's own IP header (the first one: not a header quoted by an ICMP error), in bytes: `header` is
 * ip.hdr_len, or IPv6's 40 and its hop-by-hop, routing, destination-options and fragment headers; `total`
 * is ip.len, or ipv6.plen + 40.
 */
export interface TsharkIp {
  readonly header: number;
  readonly total: number;
}

export interface TsharkFrame {
  readonly number: number;
  /** frame.time_relative in nanoseconds. */
  readonly relativeNs: number;
  /** frame.time_epoch as "seconds.nanoseconds". */
  readonly epoch: string;
  readonly len: number;
  readonly capLen: number;
  readonly protocols: string;
  readonly tcp: TsharkTcp | null;
  readonly udp: { readonly stream: number; readonly length: number | null } | null;
  readonly ip: TsharkIp | null;
  /**
   * An IPv4/IPv6 fragment tshark did not reassemble (a datagram's piece shown on its own frame), whose TCP
   * or UDP header, if any, is the start of the datagram.
   */
  readonly unreassembledFragment: boolean;
  /** A piece of an IPv4 or IPv6 datagram (more fragments, or an offset), reassembled or not. */
  readonly fragment: boolean;
}

/** One row of a `-z conv,…` table: A → B is tshark's "->" column, B → A its "<-" one. */
export interface TsharkConversation {
  readonly a: string;
  readonly b: string;
  readonly framesAtoB: number;
  readonly bytesAtoB: string;
  readonly framesBtoA: number;
  readonly bytesBtoA: string;
  /** "Relative Start" in nanoseconds. */
  readonly startNs: number;
}

export interface TsharkView {
  readonly frames: TsharkFrame[];
  readonly conversations: { readonly tcp: TsharkConversation[]; readonly udp: TsharkConversation[] };
}

const LABEL_FIELDS = [...TCP_LABEL_TABLE.map((entry) => entry.tsharkField)];

// Without repeats: a label's field may also be one of the others (tshark would print it once).
const FIELDS = [
  ...new Set([
    "frame.number",
    "frame.time_relative",
    "frame.time_epoch",
    "frame.len",
    "frame.cap_len",
    "frame.protocols",
    "tcp.stream",
    "tcp.seq",
    "tcp.ack",
    "tcp.flags.ack",
    "tcp.nxtseq",
    "tcp.len",
    "tcp.analysis.duplicate_ack_num",
    "tcp.analysis.duplicate_ack_frame",
    "tcp.analysis.reused_ports",
    "tcp.completeness",
    "udp.stream",
    "udp.length",
    "ip.flags.mf",
    "ip.frag_offset",
    "ipv6.fraghdr.more",
    "ipv6.fraghdr.offset",
    "ip.reassembled.length",
    "ipv6.reassembled.length",
    "tcp.hdr_len",
    "ip.hdr_len",
    "ip.len",
    "ipv6.plen",
    "ipv6.hopopts.len_oct",
    "ipv6.routing.len_oct",
    "ipv6.dstopts.len_oct",
    "ipv6.fraghdr.nxt",
    ...LABEL_FIELDS,
  ]),
];

function numberOrNull(text: string | undefined): number | null {
  return text === undefined || text === "" ? null : Number(text);
}

/** "0.000013000" or "-2.573509149" (seconds with up to 9 decimals) as nanoseconds. */
export function secondsToNs(text: string): number {
  const negative = text.startsWith("-");
  const [whole, fraction = ""] = (negative ? text.slice(1) : text).split(".");
  const ns = Number(whole) * 1e9 + Number(fraction.padEnd(9, "0").slice(0, 9));
  return negative ? -ns : ns;
}

// A boolean field as tshark 4.0 prints it ("1"/"0"; later versions print "True"/"False").
function truthy(text: string): boolean {
  return text === "1" || text === "True";
}

// The first occurrence of a field (an ICMP error's quoted headers repeat the IP and transport fields).
function firstNumber(text: string): number | null {
  return numberOrNull(text.split(",")[0]);
}

// The frame's own IP header and length from its first IPv4 or IPv6 fields; the IPv6 extension headers'
// fields are taken only when the frame's first IP header is IPv6 (so they are its own, or a quote's after
// it: the corpus quotes no extension headers).
function ipOf(cell: (field: string) => string, protocols: string): TsharkIp | null {
  const first = protocols.split(":").find((p) => p === "ip" || p === "ipv6");
  if (first === "ip") {
    const header = firstNumber(cell("ip.hdr_len"));
    const total = firstNumber(cell("ip.len"));
    return header === null || total === null ? null : { header, total };
  }
  if (first === "ipv6") {
    const plen = firstNumber(cell("ipv6.plen"));
    if (plen === null) return null;
    const options = ["ipv6.hopopts.len_oct", "ipv6.routing.len_oct", "ipv6.dstopts.len_oct"];
    const extensions = options.reduce((n, field) => n + (firstNumber(cell(field)) ?? 0), 0);
    const fragment = cell("ipv6.fraghdr.nxt") === "" ? 0 : 8;
    return { header: 40 + extensions + fragment, total: plen + 40 };
  }
  return null;
}

function fragment(cell: (field: string) => string): boolean {
  return (
    truthy(cell("ip.flags.mf")) ||
    Number(cell("ip.frag_offset") || 0) > 0 ||
    truthy(cell("ipv6.fraghdr.more")) ||
    Number(cell("ipv6.fraghdr.offset") || 0) > 0
  );
}

function frameOf(cells: string[]): TsharkFrame {
  const cell = (field: string) => cells[FIELDS.indexOf(field)] ?? "";
  const tcpStream = numberOrNull(cell("tcp.stream"));
  const udpStream = numberOrNull(cell("udp.stream"));
  return {
    number: Number(cell("frame.number")),
    relativeNs: secondsToNs(cell("frame.time_relative")),
    epoch: cell("frame.time_epoch"),
    len: Number(cell("frame.len")),
    capLen: Number(cell("frame.cap_len")),
    protocols: cell("frame.protocols"),
    tcp:
      tcpStream === null
        ? null
        : {
            stream: tcpStream,
            seq: numberOrNull(cell("tcp.seq")),
            ack: numberOrNull(cell("tcp.ack")),
            ackFlag: truthy(cell("tcp.flags.ack")),
            nxtseq: numberOrNull(cell("tcp.nxtseq")),
            len: numberOrNull(cell("tcp.len")),
            analysis: LABEL_FIELDS.filter((field) => cell(field) !== ""),
            duplicateAckNum: numberOrNull(cell("tcp.analysis.duplicate_ack_num")),
            duplicateAckFrame: numberOrNull(cell("tcp.analysis.duplicate_ack_frame")),
            reusedPorts: cell("tcp.analysis.reused_ports") !== "",
            completeness: numberOrNull(cell("tcp.completeness")),
            hdrLen: firstNumber(cell("tcp.hdr_len")),
          },
    udp: udpStream === null ? null : { stream: udpStream, length: numberOrNull(cell("udp.length")) },
    ip: ipOf(cell, cell("frame.protocols")),
    unreassembledFragment:
      fragment(cell) && cell("ip.reassembled.length") === "" && cell("ipv6.reassembled.length") === "",
    fragment: fragment(cell),
  };
}

// A row of a conversation table: "A <-> B  framesBA bytesBA unit  framesAB bytesAB unit  total…  start  duration".
function conversationOf(line: string): TsharkConversation | null {
  const t = line.trim().split(/\s+/);
  if (t[1] !== "<->" || t.length < 14) return null;
  return {
    a: t[0]!,
    b: t[2]!,
    framesBtoA: Number(t[3]),
    bytesBtoA: `${t[4]} ${t[5]}`,
    framesAtoB: Number(t[6]),
    bytesAtoB: `${t[7]} ${t[8]}`,
    startNs: secondsToNs(t[12]!),
  };
}

/** A frame holding an ICMP or ICMPv6 message (whose quoted TCP/UDP header tshark dissects too). */
export function isIcmp(frame: TsharkFrame): boolean {
  return /(^|:)icmp(v6)?(:|$)/.test(frame.protocols);
}

/** Parses tshark's output: tab-separated field lines, then the conversation tables. */
export function parseTsharkOutput(text: string): TsharkView {
  const frames: TsharkFrame[] = [];
  const conversations = { tcp: [] as TsharkConversation[], udp: [] as TsharkConversation[] };
  let table: "tcp" | "udp" | null = null;
  let inTables = false;
  for (const line of text.split("\n")) {
    if (line.startsWith("=====")) {
      inTables = true;
      continue;
    }
    if (!inTables) {
      if (line !== "") frames.push(frameOf(line.split("\t")));
      continue;
    }
    if (line.startsWith("TCP Conversations")) table = "tcp";
    else if (line.startsWith("UDP Conversations")) table = "udp";
    else if (table !== null) {
      const row = conversationOf(line);
      if (row !== null) conversations[table].push(row);
    }
  }
  return { frames, conversations };
}

/**
 * Runs tshark on a capture (reassembly and every preference at tshark's defaults; -n: no name lookups). Two
 * passes (-2): in one pass tcp.completeness shows the conversation as it stood before each frame; in the
 * second every frame shows the final value, which is what socklab's conversation reports.
 */
export async function tsharkView(file: string): Promise<TsharkView> {
  const args = ["-r", file, "-2", "-n", "-T", "fields", "-E", "separator=/t", "-E", "occurrence=f"];
  args.push(...FIELDS.flatMap((field) => ["-e", field]), "-z", "conv,tcp", "-z", "conv,udp");
  const { stdout } = await run("tshark", args, { maxBuffer: 1 << 28 });
  return parseTsharkOutput(stdout);
}
