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
  /**
   * An IPv4/IPv6 fragment tshark did not reassemble (a datagram's piece shown on its own frame), whose TCP
   * or UDP header, if any, is the start of the datagram.
   */
  readonly unreassembledFragment: boolean;
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
          },
    udp: udpStream === null ? null : { stream: udpStream, length: numberOrNull(cell("udp.length")) },
    unreassembledFragment:
      (truthy(cell("ip.flags.mf")) ||
        Number(cell("ip.frag_offset") || 0) > 0 ||
        truthy(cell("ipv6.fraghdr.more")) ||
        Number(cell("ipv6.fraghdr.offset") || 0) > 0) &&
      cell("ip.reassembled.length") === "" &&
      cell("ipv6.reassembled.length") === "",
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
