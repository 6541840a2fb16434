// socklab analyse --json held to tshark, frame by frame: per frame the stream, relative sequence numbers,
// lengths, analysis labels and time (compare-frames.ts); per conversation tshark's `-z conv` counts,
// tcp.completeness and port reuse (compare-conversations.ts); per capture the totals (here) and the overhead
// per layer (compare-overhead.ts). Produces a discrepancy list, readable per field (discrepancy.ts).
//
// Usage: node --import tsx test/support/parity/compare.ts CAPTURE... [--limit N]
//   (runs tshark and socklab analyse --json --packets all --stream-bytes 0 on each capture; exit 1 on any
//   discrepancy)
import { pathToFileURL } from "node:url";
import type { CaptureAnalysis } from "../../../harness/analyse/types.ts";
import { compareConversations } from "./compare-conversations.ts";
import { compareFrames } from "./compare-frames.ts";
import { compareOverhead } from "./compare-overhead.ts";
import { type Discrepancy, formatDiscrepancies } from "./discrepancy.ts";
import { socklabDocument } from "./socklab.ts";
import { isIcmp, type TsharkView, tsharkView } from "./tshark.ts";

// frame.time_epoch ("seconds.nanoseconds", "-" before 1970) as nanoseconds.
function epochNs(epoch: string): bigint {
  const negative = epoch.startsWith("-");
  const [whole, fraction = ""] = (negative ? epoch.slice(1) : epoch).split(".");
  const ns = BigInt(whole!) * 1_000_000_000n + BigInt(fraction.padEnd(9, "0").slice(0, 9));
  return negative ? -ns : ns;
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
  compareOverhead(view, doc, out);
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
