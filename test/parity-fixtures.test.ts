// socklab analyse --json held to tshark on the parity fixtures (fixtures/captures/parity/), against tshark's
// view stored beside each capture (scripts/parity-expectations.mjs): the frame-by-frame comparison of
// test/e2e/tshark-parity.test.ts on a few small real captures, without tshark or root.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CaptureAnalysis, TcpPacketRow } from "../harness/analyse/types.ts";
import { compareAnalysis, compareCapture } from "./support/parity/compare.ts";
import { formatDiscrepancies } from "./support/parity/discrepancy.ts";
import { socklabDocument } from "./support/parity/socklab.ts";
import { secondsToNs, type TsharkView } from "./support/parity/tshark.ts";

const folder = join(import.meta.dirname, "..", "fixtures", "captures", "parity");
const captures = readdirSync(folder).filter((name) => /\.pcap(ng)?$/.test(name));

describe("socklab analyse agrees with tshark's stored view of the parity fixtures", () => {
  it("has a stored view for every capture", () => {
    expect(captures.length).toBeGreaterThan(0);
    const views = readdirSync(folder).filter((name) => name.endsWith(".tshark.json"));
    expect(views.sort()).toEqual(captures.map((name) => `${name}.tshark.json`).sort());
  });

  it.each(captures)("%s", async (name) => {
    const view = JSON.parse(readFileSync(join(folder, `${name}.tshark.json`), "utf8")) as TsharkView;
    const list = await compareCapture(join(folder, name), view);
    expect(formatDiscrepancies(name, list, 8)).toBe(`${name}: no discrepancies`);
  });
});

// The comparer must be able to fail: one value changed on either side is reported, with both values.
describe("the parity comparer", () => {
  it("reads tshark's times to the nanosecond, before the first frame too", () => {
    expect(secondsToNs("0.000013")).toBe(13_000);
    expect(secondsToNs("9.803378001")).toBe(9_803_378_001);
    expect(secondsToNs("-2.573509149")).toBe(-2_573_509_149);
    expect(secondsToNs("-0.499926000")).toBe(-499_926_000);
  });

  const name = "port-reuse-rst.pcap";
  const view = () => JSON.parse(readFileSync(join(folder, `${name}.tshark.json`), "utf8")) as TsharkView;
  const tcpRow = (doc: CaptureAnalysis, number: number) =>
    doc.conversations.flatMap((c) => c.timeline ?? []).find((r) => r.number === number) as TcpPacketRow;

  it.each([
    ["tcp.seq", (doc: CaptureAnalysis, n: number) => Object.assign(tcpRow(doc, n), { seq: 7 })],
    [
      "tcp.analysis labels",
      (doc: CaptureAnalysis, n: number) => Object.assign(tcpRow(doc, n), { labels: ["keep-alive"] }),
    ],
    [
      "frame.time_relative (ns)",
      (doc: CaptureAnalysis, n: number) => Object.assign(tcpRow(doc, n), { relativeNs: 1 }),
    ],
  ] as const)("reports a changed %s in socklab's document", async (field, change) => {
    const doc = await socklabDocument(join(folder, name));
    const frame = view().frames.find((f) => f.tcp !== null && (f.tcp.len ?? 0) > 0)!.number;
    expect(compareAnalysis(view(), doc).filter((d) => d.field === field)).toEqual([]);
    change(doc, frame);
    const found = compareAnalysis(view(), doc).filter((d) => d.field === field);
    expect(found.map((d) => d.where)).toEqual([`frame ${frame}`]);
  });

  it.each([
    ["overhead network (Σ IP headers)", "network"],
    ["overhead transport (Σ tcp.hdr_len, 8 per UDP datagram)", "transport"],
    ["overhead payload (Σ tcp.len, udp.length − 8)", "payload"],
  ] as const)("reports a changed %s in socklab's overhead", async (field, layer) => {
    const doc = await socklabDocument(join(folder, name));
    expect(compareAnalysis(view(), doc).filter((d) => d.field === field)).toEqual([]);
    const bucket = layer === "network" ? doc.overhead.total : doc.overhead.conversations;
    Object.assign(bucket, { [layer]: bucket[layer] + 1 });
    const found = compareAnalysis(view(), doc).filter((d) => d.field === field);
    expect(found.map((d) => d.socklab)).toEqual([bucket[layer]]);
  });

  it("reports tshark's conversation table differing from socklab's frames", async () => {
    const doc = await socklabDocument(join(folder, name));
    const changed = view();
    changed.conversations.tcp[0] = { ...changed.conversations.tcp[0]!, framesAtoB: 99 };
    const found = compareAnalysis(changed, doc).filter((d) => d.field === "-z conv,tcp frames/bytes");
    expect(found).toHaveLength(1);
    expect(JSON.stringify(found[0]!.tshark)).toContain('"frames":99');
  });
});
