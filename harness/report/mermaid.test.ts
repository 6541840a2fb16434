import { describe, expect, it } from "vitest";
import { flagsInWords, type SequenceRow, sequenceDiagram } from "./mermaid.ts";

const row = (number: number, direction: "c2s" | "s2c", flags: string, length = 0): SequenceRow => ({
  number,
  direction,
  flags,
  seq: 0,
  ack: 1,
  length,
  labels: [],
});

describe("sequenceDiagram", () => {
  it.each([
    ["S", "SYN"],
    ["S.", "SYN, ACK"],
    ["P.", "PSH, ACK"],
    ["F.", "FIN, ACK"],
    ["R", "RST"],
    ["", "UDP"],
  ])("names flags %j as %j", (flags, words) => {
    expect(flagsInWords(flags)).toBe(words);
  });

  it("draws one arrow per packet in the right direction", () => {
    const text = sequenceDiagram([row(1, "c2s", "S"), row(2, "s2c", "S."), row(3, "c2s", ".")], {
      client: "127.0.0.1:5000",
      server: "127.0.0.1:65432",
    });
    expect(text.split("\n")).toEqual([
      "sequenceDiagram",
      "  participant C as Client 127.0.0.1 5000",
      "  participant S as Server 127.0.0.1 65432",
      "  C->>S: [1] SYN seq=0 len=0",
      "  S->>C: [2] SYN, ACK seq=0 ack=1 len=0",
      "  C->>S: [3] ACK seq=0 ack=1 len=0",
    ]);
  });

  it("draws a reset as a cross and folds long conversations", () => {
    const rows = Array.from({ length: 50 }, (_, i) => row(i + 1, i % 2 ? "s2c" : "c2s", "P.", 5));
    rows.push(row(51, "s2c", "R"));
    const text = sequenceDiagram(rows, { client: "a", server: "b", maxArrows: 10 });
    expect(text).toContain("… 41 more packets");
    expect(text.split("\n").at(-1)).toBe("  S-xC: [51] RST seq=0 len=0");
  });
});
