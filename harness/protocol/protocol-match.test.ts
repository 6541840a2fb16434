// packMatch and matchesConflict, one row per value rule.

import { describe, expect, test } from "vitest";
import { fieldSlots } from "./protocol-fields.ts";
import { type MatchBytes, matchesConflict, packMatch } from "./protocol-match.ts";
import { parseStructFormat } from "./struct-format.ts";

const hex = (bytes: Uint8Array | string) =>
  typeof bytes === "string" ? bytes : Buffer.from(bytes).toString("hex");
const packed = (format: string, value: unknown) => {
  const parsed = parseStructFormat(format);
  if (!parsed.ok) throw new Error(parsed.problem.message);
  const [slot] = fieldSlots(parsed.value, ["f"]);
  return hex(packMatch(parsed.value, slot!, value));
};

describe("packMatch", () => {
  test.each<[string, unknown, string]>([
    ["!B", 1, "01"],
    ["!H", 0x1234, "1234"],
    ["<H", 0x1234, "3412"],
    ["!q", 5n, "0000000000000005"],
    ["!f", 1.5, "3fc00000"],
    ["!?", true, "01"],
    ["!c", "z", "7a"],
    ["!4s", "AB", "41420000"],
    ["!4p", "AB", "02414200"],
    ["!B", 256, 'field "f" ("B") cannot hold 256: struct.error: ubyte format requires 0 <= number <= 255'],
    ["!B", 1.5, 'field "f" ("B") cannot hold 1.5: struct.error: required argument is not an integer'],
    ["!B", "1", 'expected a number for field "f" ("B"), got "1"'],
    ["!?", 1, 'expected true or false for field "f" ("?"), got 1'],
    ["!f", null, 'expected a number for field "f" ("f"), got null'],
    ["!c", "ab", 'expected exactly one byte for field "f" ("c"), got "ab"'],
    ["!4s", "ABCDE", '"ABCDE" is longer than the 4 bytes of field "f" ("s")'],
    ["!4p", "ABCD", '"ABCD" is longer than the 3 bytes of field "f" ("p")'],
    ["!4s", 7, 'expected a string for field "f" ("s"), got 7'],
  ])("%s %o", (format, value, expected) => {
    expect(packed(format, value)).toBe(expected);
  });
});

describe("matchesConflict", () => {
  const fixes = (...entries: [number, number[]][]): { matchBytes: MatchBytes[] } => ({
    matchBytes: entries.map(([offset, bytes]) => ({ field: "f", offset, bytes: Uint8Array.from(bytes) })),
  });
  test.each<[string, { matchBytes: MatchBytes[] }, { matchBytes: MatchBytes[] }, boolean]>([
    ["the same byte fixed differently", fixes([0, [1]]), fixes([0, [2]]), true],
    ["the same byte fixed alike", fixes([0, [1]]), fixes([0, [1]]), false],
    ["different bytes", fixes([0, [1]]), fixes([1, [2]]), false],
    ["overlapping fields differing in the overlap", fixes([0, [0, 1]]), fixes([1, [2]]), true],
    ["overlapping fields agreeing in the overlap", fixes([0, [0, 1]]), fixes([1, [1, 9]]), false],
    ["one message without match values", fixes(), fixes([0, [1]]), false],
  ])("%s", (_, a, b, conflict) => {
    expect(matchesConflict(a, b)).toBe(conflict);
  });
});
