// socklab analyse --json held to tshark, frame by frame: per frame the stream, relative sequence numbers,
// lengths, analysis labels and time; per conversation tshark's `-z conv` counts, tcp.completeness and port
// reuse; per capture the totals. Produces a discrepancy list, readable per field.
//
// Usage: node --import tsx test/support/parity/compare.ts CAPTURE... [--limit N]
//   (runs tshark and socklab analyse --json --packets all --stream-bytes 0 on each capture; exit 1 on any
//   discrepancy)
//
// What is not compared, and why:
// - Frames whose protocols include ICMP/ICMPv6: tshark dissects the TCP/UDP header quoted inside an ICMP
//   error and shows its fields; socklab puts the error in no conversation (its document has no row for it).
//   Such a frame must have no row in socklab's document; tshark's quoted fields are not compared.
// - tcp.ack on a packet without the ACK flag: the field holds whatever the sender left there and tshark still
//   shows it (relative to nothing meaningful); socklab's document gives `ack: null` there by definition.
// - tcp.analysis.retransmission beside fast_retransmission or spurious_retransmission: tshark adds the plain
//   retransmission field to both (one flag bit, two fields); socklab's label list has the one label.
// Times: a row's `relativeNs` (its `relativeUs` in a document without it) is compared with
// frame.time_relative to the nanosecond; times since the epoch to the microsecond (see compareTotals).
import { pathToFileURL } from "node:url";
import { TCP_LABEL_TABLE } from "../../../harness/analyse/tcp-labels.ts";
import type {
  CaptureAnalysis,
  Conversation,
  PacketRow,
  TcpPacketRow,
} from "../../../harness/analyse/types.ts";
import { main } from "../../../harness/cli/main.ts";
import { type TsharkConversation, type TsharkFrame, type TsharkView, tsharkView } from "./tshark.ts";

/** One value on which socklab and tshark differ. */
export interface Discrepancy {
  readonly scope: "frame" | "conversation" | "capture";
  /** "frame 14", "tcp stream 2", "udp 10.0.0.1:5000 <-> 10.0.0.2:5005 from 0.012000000 s", "capture". */
  readonly where: string;
  /** tshark's field (or the name of the comparison). */
  readonly field: string;
  readonly tshark: unknown;
  readonly socklab: unknown;
}

/** socklab analyse --json --packets all --stream-bytes 0, run through the CLI's entry point in this process. */
export async function socklabDocument(file: string): Promise<CaptureAnalysis> {
  const chunks: string[] = [];
  const errors: string[] = [];
  const decoder = new TextDecoder();
  const code = await main(["analyse", file, "--json", "--packets", "all", "--stream-bytes", "0"], {
    out: (text) => chunks.push(`${text}\n`),
    write: (text) => chunks.push(typeof text === "string" ? text : decoder.decode(text, { stream: true })),
    err: (text) => errors.push(text),
    colour: false,
  });
  if (code !== 0) throw new Error(`socklab analyse ${file} exited with ${code}: ${errors.join("\n")}`);
  return JSON.parse(chunks.join("")) as CaptureAnalysis;
}

const LABEL_OF_FIELD = new Map<string, string>(TCP_LABEL_TABLE.map((e) => [e.tsharkField, e.label]));
const LABEL_ORDER = TCP_LABEL_TABLE.map((e) => e.label as string);

/** socklab's labels that tshark's analysis fields stand for, in Wireshark's evaluation order. */
export function expectedLabels(fields: readonly string[]): string[] {
  const labels = new Set(fields.map((f) => LABEL_OF_FIELD.get(f)).filter((l) => l !== undefined));
  if (labels.has("fast-retransmission") || labels.has("spurious-retransmission"))
    labels.delete("retransmission");
  return LABEL_ORDER.filter((l) => labels.has(l));
}

/** A byte count as tshark's conversation tables print it (wsutil's format_size, SI prefixes, truncated). */
export function tsharkSize(bytes: number): string {
  const units = ["T", "G", "M", "k"];
  for (let i = 0; i < units.length; i++) {
    const scale = 1000 ** (units.length - i);
    if (Math.floor(bytes / scale) >= 10) return `${Math.floor(bytes / scale)} ${units[i]}B`;
  }
  return `${bytes} bytes`;
}

function isIcmp(frame: TsharkFrame): boolean {
  return /(^|:)icmp(v6)?(:|$)/.test(frame.protocols);
}

function rowNs(row: PacketRow): number {
  const ns = (row as { relativeNs?: number }).relativeNs;
  return typeof ns === "number" ? ns : row.relativeUs * 1000;
}

function epochNs(epoch: string): bigint {
  const [whole, fraction = ""] = epoch.split(".");
  return BigInt(whole!) * 1_000_000_000n + BigInt(fraction.padEnd(9, "0").slice(0, 9));
}

function nextSeq(row: TcpPacketRow): number {
  return row.seq + row.payloadLength + (row.flags.includes("S") ? 1 : 0) + (row.flags.includes("F") ? 1 : 0);
}

const endpoint = (e: { address: string; port: number }) => `${e.address}:${e.port}`;

interface Located {
  readonly conversation: Conversation;
  readonly row: PacketRow;
}

function compareFrames(view: TsharkView, doc: CaptureAnalysis, out: Discrepancy[]): void {
  const rows = new Map<number, Located>();
  for (const conversation of doc.conversations) {
    if (conversation.timelineOmitted > 0) {
      out.push({
        scope: "conversation",
        where: `${conversation.protocol} stream ${conversation.stream}`,
        field: "timelineOmitted (--packets all keeps every row)",
        tshark: 0,
        socklab: conversation.timelineOmitted,
      });
    }
    for (const row of conversation.timeline ?? []) {
      const seen = rows.get(row.number);
      if (seen !== undefined) {
        out.push({
          scope: "frame",
          where: `frame ${row.number}`,
          field: "rows for one frame",
          tshark: 1,
          socklab: `${seen.conversation.protocol} stream ${seen.conversation.stream} and ${conversation.protocol} stream ${conversation.stream}`,
        });
      }
      rows.set(row.number, { conversation, row });
    }
  }
  const numbers = new Set(view.frames.map((f) => f.number));
  for (const number of rows.keys()) {
    if (!numbers.has(number)) {
      out.push({
        scope: "frame",
        where: `frame ${number}`,
        field: "frame",
        tshark: "no such frame",
        socklab: "a row",
      });
    }
  }
  for (const frame of view.frames) {
    const where = `frame ${frame.number}`;
    const add = (field: string, tshark: unknown, socklab: unknown) => {
      if (JSON.stringify(tshark) !== JSON.stringify(socklab))
        out.push({ scope: "frame", where, field, tshark, socklab });
    };
    const found = rows.get(frame.number);
    const ours = found ? `${found.conversation.protocol} stream ${found.conversation.stream}` : "no row";
    const transport = isIcmp(frame) ? null : frame.tcp ? "tcp" : frame.udp ? "udp" : null;
    if (transport === null) {
      if (found) add("tcp.stream / udp.stream", isIcmp(frame) ? "none (ICMP)" : "none", ours);
      continue;
    }
    const stream = transport === "tcp" ? frame.tcp!.stream : frame.udp!.stream;
    add(`${transport}.stream`, `${transport} stream ${stream}`, ours);
    if (!found || found.conversation.protocol !== transport) continue;
    add("frame.time_relative (ns)", frame.relativeNs, rowNs(found.row));
    const row = found.row;
    if (transport === "udp") {
      if (frame.udp!.length !== null) add("udp.length", frame.udp!.length, row.payloadLength + 8);
      continue;
    }
    const tcp = frame.tcp!;
    const tcpRow = row as TcpPacketRow;
    if (tcp.seq !== null) add("tcp.seq", tcp.seq, tcpRow.seq);
    if (tcp.ackFlag && tcp.ack !== null) add("tcp.ack", tcp.ack, tcpRow.ack);
    if (tcp.nxtseq !== null) add("tcp.nxtseq", tcp.nxtseq, nextSeq(tcpRow));
    if (tcp.len !== null) add("tcp.len", tcp.len, tcpRow.payloadLength);
    add("tcp.analysis labels", expectedLabels(tcp.analysis), tcpRow.labels);
    add(
      "tcp.analysis.duplicate_ack_num/_frame",
      tcp.duplicateAckNum === null ? null : { number: tcp.duplicateAckNum, of: tcp.duplicateAckFrame },
      tcpRow.duplicateAck,
    );
  }
}

function compareConversations(view: TsharkView, doc: CaptureAnalysis, out: Discrepancy[]): void {
  const byStream = new Map<string, Conversation[]>();
  for (const c of doc.conversations) {
    const key = `${c.protocol} ${c.stream}`;
    byStream.set(key, [...(byStream.get(key) ?? []), c]);
  }
  for (const [key, list] of byStream) {
    if (list.length > 1) {
      out.push({
        scope: "conversation",
        where: `${key}`,
        field: "conversations per stream",
        tshark: 1,
        socklab: list.length,
      });
    }
  }
  // Per TCP stream: tcp.completeness (tshark's second pass shows the final value on every frame) and port
  // reuse, shown on the stream's first frame.
  const last = new Map<number, TsharkFrame>();
  const first = new Map<number, TsharkFrame>();
  for (const frame of view.frames) {
    if (frame.tcp === null || isIcmp(frame)) continue;
    last.set(frame.tcp.stream, frame);
    if (!first.has(frame.tcp.stream)) first.set(frame.tcp.stream, frame);
  }
  for (const [stream, frame] of last) {
    const ours = byStream.get(`tcp ${stream}`)?.[0];
    const where = `tcp stream ${stream}`;
    if (ours === undefined || ours.protocol !== "tcp") {
      out.push({ scope: "conversation", where, field: "conversation", tshark: "a stream", socklab: "none" });
      continue;
    }
    if (frame.tcp!.completeness !== null && frame.tcp!.completeness !== ours.completeness.value) {
      out.push({
        scope: "conversation",
        where,
        field: "tcp.completeness",
        tshark: frame.tcp!.completeness,
        socklab: ours.completeness.value,
      });
    }
    const reused = first.get(stream)!.tcp!.reusedPorts;
    if (reused !== ours.reusedPorts) {
      out.push({
        scope: "conversation",
        where,
        field: "tcp.analysis.reused_ports",
        tshark: reused,
        socklab: ours.reusedPorts,
      });
    }
  }
  const cut = new Set(view.frames.filter((f) => f.capLen < f.len).map((f) => f.number));
  for (const protocol of ["tcp", "udp"] as const)
    compareTable(protocol, view.conversations[protocol], doc, cut, out);
}

// tshark's `-z conv` rows matched to socklab's conversations by endpoints, then by the closest start. A
// conversation with a frame the snap length cut is left out on both sides: tshark counts a frame in its table
// only when the TCP/UDP dissector ran to its end, so a cut frame is in `tcp.stream` N but not in stream N's
// row (or the row is missing), and socklab's one list of a conversation's frames cannot agree with both. The
// per-frame stream comparison covers those conversations.
function compareTable(
  protocol: "tcp" | "udp",
  table: TsharkConversation[],
  doc: CaptureAnalysis,
  cut: ReadonlySet<number>,
  out: Discrepancy[],
): void {
  const start = doc.capture.firstTimeUs ?? 0;
  const hasCut = (c: Conversation) => (c.timeline ?? []).some((row) => cut.has(row.number));
  const candidates = doc.conversations.filter((c) => c.protocol === protocol && !hasCut(c));
  const left = doc.conversations.filter((c) => c.protocol === protocol && hasCut(c));
  const matched = new Set<Conversation>();
  for (const row of [...table].sort((x, y) => x.startNs - y.startNs)) {
    const where = `${protocol} ${row.a} <-> ${row.b} from ${(row.startNs / 1e9).toFixed(9)} s`;
    const same = candidates.filter((c) => {
      const pair = [endpoint(c.client), endpoint(c.server)];
      return !matched.has(c) && pair.includes(row.a) && pair.includes(row.b);
    });
    const ours = same.sort(
      (x, y) =>
        Math.abs((x.firstTimeUs - start) * 1000 - row.startNs) -
        Math.abs((y.firstTimeUs - start) * 1000 - row.startNs),
    )[0];
    const pair = (c: Conversation) => [endpoint(c.client), endpoint(c.server)];
    if (ours === undefined && left.some((c) => pair(c).includes(row.a) && pair(c).includes(row.b))) continue;
    if (ours === undefined) {
      out.push({
        scope: "conversation",
        where,
        field: `-z conv,${protocol}`,
        tshark: "a conversation",
        socklab: "none",
      });
      continue;
    }
    matched.add(ours);
    const aIsClient = endpoint(ours.client) === row.a && endpoint(ours.client) !== endpoint(ours.server);
    const tally = (direction: "c2s" | "s2c") => {
      const rows = (ours.timeline ?? []).filter((r) => r.direction === direction);
      return { frames: rows.length, bytes: tsharkSize(rows.reduce((n, r) => n + r.frameLength, 0)) };
    };
    const [aToB, bToA] = aIsClient ? [tally("c2s"), tally("s2c")] : [tally("s2c"), tally("c2s")];
    const tshark = {
      "A->B": { frames: row.framesAtoB, bytes: row.bytesAtoB },
      "B->A": { frames: row.framesBtoA, bytes: row.bytesBtoA },
    };
    const socklab = { "A->B": aToB, "B->A": bToA };
    if (JSON.stringify(tshark) !== JSON.stringify(socklab)) {
      out.push({ scope: "conversation", where, field: `-z conv,${protocol} frames/bytes`, tshark, socklab });
    }
  }
  for (const c of candidates) {
    if (!matched.has(c)) {
      out.push({
        scope: "conversation",
        where: `${protocol} stream ${c.stream} (${endpoint(c.client)} <-> ${endpoint(c.server)})`,
        field: `-z conv,${protocol}`,
        tshark: "none",
        socklab: "a conversation",
      });
    }
  }
}

function compareTotals(view: TsharkView, doc: CaptureAnalysis, out: Discrepancy[]): void {
  const add = (field: string, tshark: unknown, socklab: unknown) => {
    if (JSON.stringify(tshark) !== JSON.stringify(socklab))
      out.push({ scope: "capture", where: "capture", field, tshark, socklab });
  };
  const c = doc.capture;
  const frames = view.frames;
  add("frames", frames.length, c.packets);
  add(
    "Σ frame.len",
    frames.reduce((n, f) => n + f.len, 0),
    c.bytes,
  );
  add(
    "Σ frame.cap_len",
    frames.reduce((n, f) => n + f.capLen, 0),
    c.capturedBytes,
  );
  // A time since the epoch in nanoseconds is past 2^53, which a JSON number cannot hold exactly: the
  // document's epoch times are whole microseconds (rounded down), and its `durationUs` is their difference,
  // so both are compared with tshark's epochs rounded down to the microsecond; a `durationNs`, when the
  // document has one, with the exact difference. Frame times are compared to the ns (`relativeNs`).
  const capture = c as unknown as Record<string, unknown>;
  if (frames.length > 0) {
    const first = epochNs(frames[0]!.epoch);
    const last = epochNs(frames.at(-1)!.epoch);
    add("first frame.time_epoch (µs)", Number(first / 1000n), c.firstTimeUs);
    add("last frame.time_epoch (µs)", Number(last / 1000n), c.lastTimeUs);
    add("capture duration (µs, between whole-µs epochs)", Number(last / 1000n - first / 1000n), c.durationUs);
    if (typeof capture.durationNs === "number")
      add("capture duration (ns)", Number(last - first), capture.durationNs);
  }
  const streams = (protocol: "tcp" | "udp") =>
    new Set(frames.filter((f) => !isIcmp(f) && f[protocol] !== null).map((f) => f[protocol]!.stream)).size;
  const count = (protocol: "tcp" | "udp") => doc.conversations.filter((x) => x.protocol === protocol).length;
  add("tcp streams", streams("tcp"), count("tcp"));
  add("udp streams", streams("udp"), count("udp"));
}

/** Every discrepancy between tshark's view of a capture and socklab's analysis document of it. */
export function compareAnalysis(view: TsharkView, doc: CaptureAnalysis): Discrepancy[] {
  const out: Discrepancy[] = [];
  compareTotals(view, doc, out);
  compareConversations(view, doc, out);
  compareFrames(view, doc, out);
  return out;
}

/**
 * Compares socklab's document of a capture with tshark's view of it (given, or run now). A capture socklab
 * refuses is one discrepancy, with its message: tshark reads every capture of the corpus.
 */
export async function compareCapture(
  file: string,
  view?: TsharkView | Promise<TsharkView>,
): Promise<Discrepancy[]> {
  let doc: CaptureAnalysis;
  try {
    doc = await socklabDocument(file);
  } catch (error) {
    return [
      {
        scope: "capture",
        where: "capture",
        field: "socklab analyse",
        tshark: "read",
        socklab: (error as Error).message,
      },
    ];
  }
  return compareAnalysis(await (view ?? tsharkView(file)), doc);
}

const show = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

/**
 * The discrepancies as text: a count per field, then for each field its first `limit` occurrences with both
 * values (frames in file order).
 */
export function formatDiscrepancies(name: string, list: readonly Discrepancy[], limit = 5): string {
  if (list.length === 0) return `${name}: no discrepancies`;
  const byField = new Map<string, Discrepancy[]>();
  for (const d of list) byField.set(d.field, [...(byField.get(d.field) ?? []), d]);
  const lines = [`${name}: ${list.length} discrepancies`];
  for (const [field, items] of byField) {
    lines.push(`  ${field}: ${items.length}`);
    for (const d of items.slice(0, limit))
      lines.push(`    ${d.where}: tshark ${show(d.tshark)} | socklab ${show(d.socklab)}`);
    if (items.length > limit) lines.push(`    … ${items.length - limit} more`);
  }
  return lines.join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--limit");
  const limit = at >= 0 ? Number(args.splice(at, 2)[1]) : 5;
  let failed = false;
  for (const file of args) {
    const list = await compareCapture(file);
    failed ||= list.length > 0;
    process.stdout.write(`${formatDiscrepancies(file, list, limit)}\n`);
  }
  process.exitCode = failed ? 1 : 0;
}
