// Integer ranges and CPython 3.11's message per prefix and character (checked against python3.11).

import { describe, expect, test } from "vitest";
import type { StructChar, StructPrefix } from "./struct-format.ts";
import { integerRangeMessage, isIntegerChar, isUnsignedChar } from "./struct-integers.ts";

const OUT = "argument out of range";
const TOO_LARGE = "int too large to convert";
const I32 = "-2147483648 <= number <= 2147483647";

describe("integerRangeMessage", () => {
  test.each<[StructPrefix, StructChar, bigint, string | undefined]>([
    // b B: np_byte and np_ubyte in every table
    ["@", "b", 127n, undefined],
    ["@", "b", 128n, "byte format requires -128 <= number <= 127"],
    [">", "b", -129n, "byte format requires -128 <= number <= 127"],
    ["<", "B", -1n, "ubyte format requires 0 <= number <= 255"],
    ["!", "B", 256n, "ubyte format requires 0 <= number <= 255"],
    ["@", "b", 2n ** 63n, OUT],
    // h H: native functions for @ < =, size checks for > !
    ["@", "h", -32768n, undefined],
    ["@", "h", 40000n, "short format requires -32768 <= number <= 32767"],
    ["=", "h", 40000n, "short format requires -32768 <= number <= 32767"],
    ["<", "h", 40000n, "short format requires -32768 <= number <= 32767"],
    [">", "h", 40000n, "'h' format requires -32768 <= number <= 32767"],
    ["<", "H", -1n, "ushort format requires 0 <= number <= 65535"],
    [">", "H", -1n, OUT],
    [">", "H", 65536n, "'H' format requires 0 <= number <= 65535"],
    ["!", "H", 65535n, undefined],
    // i I l L
    ["@", "i", 2n ** 31n, `'i' format requires ${I32}`],
    ["<", "i", -(2n ** 31n) - 1n, `'i' format requires ${I32}`],
    [">", "i", 2n ** 63n, OUT],
    ["<", "I", -1n, OUT],
    [">", "I", 2n ** 32n, "'I' format requires 0 <= number <= 4294967295"],
    [">", "I", 2n ** 64n, OUT],
    ["<", "l", 2n ** 31n, `'l' format requires ${I32}`],
    ["=", "L", 2n ** 32n, "'L' format requires 0 <= number <= 4294967295"],
    ["@", "l", 2n ** 31n, undefined],
    ["@", "l", 2n ** 63n, OUT],
    ["@", "L", -1n, OUT],
    ["@", "L", 2n ** 64n - 1n, undefined],
    // q Q n N: PyLong_AsLongLong & co, except > and ! (_PyLong_AsByteArray)
    ["<", "q", 2n ** 63n, OUT],
    ["@", "q", -(2n ** 63n), undefined],
    [">", "q", 2n ** 63n, TOO_LARGE],
    ["<", "Q", -1n, OUT],
    [">", "Q", -1n, TOO_LARGE],
    ["!", "Q", 2n ** 64n, TOO_LARGE],
    ["!", "Q", 2n ** 64n - 1n, undefined],
    ["@", "n", 2n ** 63n, OUT],
    ["@", "N", -1n, OUT],
    // P: anything a C long or unsigned long holds
    ["@", "P", -(2n ** 63n), undefined],
    ["@", "P", 2n ** 64n - 1n, undefined],
    ["@", "P", 2n ** 64n, TOO_LARGE],
    ["@", "P", -(2n ** 63n) - 1n, TOO_LARGE],
  ])("%s%s %d → %s", (prefix, char, value, message) => {
    expect(integerRangeMessage(prefix, char, value)).toBe(message);
  });

  test("refuses a character that is not an integer", () => {
    expect(() => integerRangeMessage("<", "d", 1n)).toThrow(/internal/);
  });
});

test.each<[StructChar, boolean, boolean]>([
  ["b", true, false],
  ["B", true, true],
  ["P", true, true],
  ["q", true, false],
  ["e", false, false],
  ["?", false, false],
  ["s", false, false],
])("%s: integer %s, unsigned %s", (char, integer, unsigned) => {
  expect([isIntegerChar(char), isUnsignedChar(char)]).toEqual([integer, unsigned]);
});
