import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { acknowledge, addSegment, createReassembly, finishReassembly, keptBytes } from "./reassembly.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const decoded = (stream: ReturnType<typeof createReassembly>) => new TextDecoder().decode(keptBytes(stream));
const sha = (text: string) => createHash("sha256").update(text).digest("hex");

type Step = ["data", number, string] | ["ack", number] | ["fin", number];

const CASES: ReadonlyArray<{
  name: string;
  steps: Step[];
  text: string;
  gaps: Array<{ from: number; to: number }>;
  overlap: number;
}> = [
  {
    name: "in order",
    steps: [
      ["data", 1, "abc"],
      ["data", 4, "def"],
    ],
    text: "abcdef",
    gaps: [],
    overlap: 0,
  },
  {
    name: "a resend is trimmed",
    steps: [
      ["data", 1, "abc"],
      ["data", 1, "abc"],
    ],
    text: "abc",
    gaps: [],
    overlap: 3,
  },
  {
    name: "an overlap is trimmed",
    steps: [
      ["data", 1, "abc"],
      ["data", 2, "bcd"],
    ],
    text: "abcd",
    gaps: [],
    overlap: 2,
  },
  {
    name: "out of order is queued",
    steps: [
      ["data", 4, "def"],
      ["data", 1, "abc"],
    ],
    text: "abcdef",
    gaps: [],
    overlap: 0,
  },
  {
    name: "a hole the peer acknowledged is a gap",
    steps: [
      ["data", 1, "abc"],
      ["data", 7, "ghi"],
      ["ack", 10],
    ],
    text: "abcghi",
    gaps: [{ from: 4, to: 7 }],
    overlap: 0,
  },
  {
    name: "a hole still open at the end is a gap",
    steps: [
      ["data", 1, "abc"],
      ["data", 9, "ijk"],
    ],
    text: "abcijk",
    gaps: [{ from: 4, to: 9 }],
    overlap: 0,
  },
  {
    name: "an ACK of the FIN is no gap",
    steps: [
      ["data", 1, "abc"],
      ["fin", 4],
      ["ack", 5],
    ],
    text: "abc",
    gaps: [],
    overlap: 0,
  },
  {
    name: "an ACK beyond data never seen is a gap",
    steps: [
      ["data", 1, "abc"],
      ["ack", 8],
    ],
    text: "abc",
    gaps: [{ from: 4, to: 8 }],
    overlap: 0,
  },
];

describe("stream reassembly", () => {
  it("copies a segment that waits for a hole, even from a Buffer (whose slice() is a view)", () => {
    const stream = createReassembly({ keepBytes: 100, hash: false });
    const block = Buffer.from("xxxxWORLD");
    addSegment(stream, 6, 5, block.subarray(4));
    block.fill(0); // the reader's block, reused or not, is no longer the segment's
    addSegment(stream, 1, 5, Buffer.from("HELLO"));
    finishReassembly(stream);
    expect(Buffer.from(keptBytes(stream)).toString()).toBe("HELLOWORLD");
  });

  it.each(CASES)("$name", ({ steps, text, gaps, overlap }) => {
    const stream = createReassembly({ keepBytes: 1 << 20, hash: true });
    for (const step of steps) {
      if (step[0] === "data") addSegment(stream, step[1], step[2].length, bytes(step[2]));
      else if (step[0] === "ack") acknowledge(stream, step[1]);
      else stream.finAt = step[1];
    }
    finishReassembly(stream);
    expect(decoded(stream)).toBe(text);
    expect(stream.length).toBe(text.length);
    expect(stream.gaps ?? []).toEqual(gaps);
    expect(stream.overlapBytes).toBe(overlap);
    expect(stream.sha256).toBe(sha(text));
  });

  it("keeps at most the cap but hashes everything", () => {
    const stream = createReassembly({ keepBytes: 4, hash: true });
    addSegment(stream, 1, 3, bytes("abc"));
    addSegment(stream, 4, 3, bytes("def"));
    addSegment(stream, 7, 3, bytes("ghi"));
    finishReassembly(stream);
    expect(decoded(stream)).toBe("abcd");
    expect(stream.length).toBe(9);
    expect(stream.sha256).toBe(sha("abcdefghi"));
  });

  it("hashes without keeping bytes, through its stage, across stage flushes", () => {
    const big = "x".repeat(70_000);
    const stream = createReassembly({ keepBytes: 0, hash: true });
    addSegment(stream, 1, 5, bytes("hello"));
    addSegment(stream, 6, big.length, bytes(big));
    addSegment(stream, 6 + big.length, 3, bytes("end"));
    finishReassembly(stream);
    expect(keptBytes(stream).length).toBe(0);
    expect(stream.sha256).toBe(sha(`hello${big}end`));
  });

  it("tracks positions only when it keeps and hashes nothing", () => {
    const stream = createReassembly({ keepBytes: 0, hash: false });
    addSegment(stream, 5, 4, null);
    addSegment(stream, 1, 4, null);
    addSegment(stream, 3, 4, null);
    finishReassembly(stream);
    expect(stream).toMatchObject({ length: 8, overlapBytes: 4, sha256: null, outOfOrderSegments: 1 });
  });

  it("counts data after it finished as late, not as stream", () => {
    const stream = createReassembly({ keepBytes: 100, hash: false });
    addSegment(stream, 1, 3, bytes("abc"));
    finishReassembly(stream);
    addSegment(stream, 4, 3, bytes("def"));
    addSegment(stream, 1, 3, bytes("abc"));
    expect(stream.length).toBe(3);
    expect(stream.lateBytes).toBe(3);
  });
});
