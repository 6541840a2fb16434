// Per conversation: tcp.completeness and port reuse per TCP stream, one socklab conversation per stream, and
// tshark's `-z conv,tcp` / `-z conv,udp` frames and bytes each way.
import type { CaptureAnalysis, Conversation } from "../../../harness/analyse/types.ts";
import type { Discrepancy } from "./discrepancy.ts";
import { isIcmp, type TsharkConversation, type TsharkFrame, type TsharkView } from "./tshark.ts";

/** A byte count as tshark's conversation tables print it (wsutil's format_size, SI prefixes, truncated). */
export function tsharkSize(bytes: number): string {
  const units = ["T", "G", "M", "k"];
  for (let i = 0; i < units.length; i++) {
    const scale = 1000 ** (units.length - i);
    if (Math.floor(bytes / scale) >= 10) return `${Math.floor(bytes / scale)} ${units[i]}B`;
  }
  return `${bytes} bytes`;
}

const endpoint = (e: { address: string; port: number }) => `${e.address}:${e.port}`;

/** Appends to `out` every conversation-level discrepancy. */
export function compareConversations(view: TsharkView, doc: CaptureAnalysis, out: Discrepancy[]): void {
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
