import { describe, expect, it } from "vitest";
import {
  countsByLabel,
  LABEL_BITS,
  labelNames,
  TCP_LABEL_BITS,
  TCP_LABEL_TABLE,
  TCP_LABELS,
} from "./tcp-labels.ts";

describe("Wireshark's TCP analysis labels", () => {
  it("lists 15 labels, each with its own single flag bit and tshark field", () => {
    expect(TCP_LABELS).toHaveLength(15);
    expect(new Set(TCP_LABELS).size).toBe(15);
    expect(new Set(TCP_LABEL_BITS).size).toBe(15);
    for (const bit of TCP_LABEL_BITS) expect(bit & (bit - 1)).toBe(0);
    for (const { tsharkField } of TCP_LABEL_TABLE) expect(tsharkField).toMatch(/^tcp\.analysis\.[a-z_]+$/);
    expect(Object.keys(LABEL_BITS)).toEqual(TCP_LABELS);
  });

  it("names label bits in Wireshark's order", () => {
    expect(labelNames(LABEL_BITS["zero-window-probe-ack"] | LABEL_BITS["zero-window"])).toEqual([
      "zero-window",
      "zero-window-probe-ack",
    ]);
    expect(labelNames(0)).toEqual([]);
    expect(labelNames(TCP_LABEL_BITS.reduce((all, bit) => all | bit, 0))).toEqual(TCP_LABELS);
  });

  it("turns counts indexed like the list into an object with every label, in order", () => {
    const counts = countsByLabel(Int32Array.from(TCP_LABELS, (_, i) => i));
    expect(Object.keys(counts)).toEqual(TCP_LABELS);
    expect(counts["zero-window-probe"]).toBe(0);
    expect(counts.retransmission).toBe(13);
  });
});
