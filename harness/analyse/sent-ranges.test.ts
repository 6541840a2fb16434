import { describe, expect, it } from "vitest";
import {
  compactSentRanges,
  coveredBytes,
  createSentRanges,
  type Overlap,
  recordSent,
} from "./sent-ranges.ts";

// Each case sends segments [from, to, packet] in order; the last one's new bytes and overlaps are checked.
const CASES: ReadonlyArray<{
  name: string;
  sent: Array<[number, number, number]>;
  fresh: number;
  overlaps: Overlap[];
}> = [
  { name: "first segment", sent: [[1, 101, 4]], fresh: 100, overlaps: [] },
  {
    name: "next segment in order",
    sent: [
      [1, 101, 4],
      [101, 201, 5],
    ],
    fresh: 100,
    overlaps: [],
  },
  {
    name: "exact resend",
    sent: [
      [1, 101, 4],
      [1, 101, 9],
    ],
    fresh: 0,
    overlaps: [{ from: 1, to: 101, packets: [4] }],
  },
  {
    name: "resend spanning two earlier segments",
    sent: [
      [1, 101, 4],
      [101, 201, 5],
      [51, 151, 9],
    ],
    fresh: 0,
    overlaps: [{ from: 51, to: 151, packets: [4, 5] }],
  },
  {
    name: "resend overlapping the end and adding new bytes",
    sent: [
      [1, 101, 4],
      [51, 151, 9],
    ],
    fresh: 50,
    overlaps: [{ from: 51, to: 101, packets: [4] }],
  },
  {
    name: "segment filling a hole and overlapping both sides",
    sent: [
      [1, 11, 4],
      [21, 31, 5],
      [6, 26, 9],
    ],
    fresh: 10,
    overlaps: [
      { from: 6, to: 11, packets: [4] },
      { from: 21, to: 26, packets: [5] },
    ],
  },
  {
    name: "out-of-order segment before the others",
    sent: [
      [101, 201, 4],
      [1, 101, 5],
    ],
    fresh: 100,
    overlaps: [],
  },
  {
    name: "empty segment",
    sent: [
      [1, 101, 4],
      [50, 50, 9],
    ],
    fresh: 0,
    overlaps: [],
  },
];

describe("sent byte ranges", () => {
  it.each(CASES)("$name", ({ sent, fresh, overlaps }) => {
    const ranges = createSentRanges();
    let last = 0;
    let found: Overlap[] = [];
    for (const [from, to, packet] of sent) {
      found = [];
      last = recordSent(ranges, from, to, packet, found);
    }
    expect(last).toBe(fresh);
    expect(found).toEqual(overlaps);
  });

  it("keeps ranges sorted and disjoint, covering every byte once", () => {
    const ranges = createSentRanges();
    for (const [from, to] of [
      [50, 60],
      [1, 20],
      [10, 55],
      [100, 110],
      [0, 200],
    ]) {
      recordSent(ranges, from!, to!, 1, []);
    }
    expect(coveredBytes(ranges)).toBe(200);
    for (let i = 1; i < ranges.starts.length; i++) expect(ranges.starts[i]).toBe(ranges.ends[i - 1]);
  });

  it("merges acknowledged ranges once there are many, forgetting who sent them", () => {
    const ranges = createSentRanges();
    for (let i = 0; i < 2000; i++) recordSent(ranges, i * 10, i * 10 + 10, i + 1, []);
    compactSentRanges(ranges, 15_000);
    expect(ranges.starts.length).toBe(501);
    expect(coveredBytes(ranges)).toBe(20_000);
    const again: Overlap[] = [];
    recordSent(ranges, 0, 10, 9999, again);
    expect(again).toEqual([{ from: 0, to: 10, packets: [] }]);
    const recent: Overlap[] = [];
    recordSent(ranges, 19_990, 20_000, 9999, recent);
    expect(recent).toEqual([{ from: 19_990, to: 20_000, packets: [2000] }]);
  });

  it("leaves few ranges alone", () => {
    const ranges = createSentRanges();
    for (let i = 0; i < 10; i++) recordSent(ranges, i * 10, i * 10 + 10, i + 1, []);
    compactSentRanges(ranges, Number.POSITIVE_INFINITY);
    expect(ranges.starts.length).toBe(10);
  });
});
