// calcsize, layouts and format errors; every expectation is what CPython 3.11 answers on x86_64 Linux.

import { describe, expect, test } from "vitest";
import { calcsize, parseStructFormat, valueChars } from "./struct-format.ts";

describe("calcsize", () => {
  test.each([
    ["", 0],
    ["<", 0],
    // one of each character, standard and native
    ["x", 1],
    ["c", 1],
    ["b", 1],
    ["B", 1],
    ["?", 1],
    ["<h", 2],
    ["<H", 2],
    ["<i", 4],
    ["<I", 4],
    ["<l", 4],
    ["<L", 4],
    ["<q", 8],
    ["<Q", 8],
    ["<e", 2],
    ["<f", 4],
    ["<d", 8],
    ["@l", 8],
    ["@L", 8],
    ["n", 8],
    ["N", 8],
    ["P", 8],
    ["@e", 2],
    // each prefix on the same items
    ["bi", 8],
    ["@bi", 8],
    ["=bi", 5],
    ["<bi", 5],
    [">bi", 5],
    ["!bi", 5],
    // native alignment: padding before an item, never after the last
    ["@ci", 8],
    ["@iq", 16],
    ["@qi", 12],
    ["@bh", 4],
    ["@b?", 2],
    ["@be", 4],
    ["@bf", 8],
    ["@bd", 16],
    ["@bl", 16],
    ["=bl", 5],
    ["@bP", 16],
    ["@bn", 16],
    ["@b0i", 4], // a zero count still aligns
    ["@b0ib", 5],
    ["@3s i", 8],
    ["@5px", 6],
    // counts
    ["3i", 12],
    ["0s", 0],
    ["10s", 10],
    ["5p", 5],
    ["4x", 4],
    ["0i", 0],
    ["<2h3b", 7],
    // whitespace between items (and at the end) is skipped
    ["< i \t\n\v\f\r h ", 6],
    [" i", 4],
  ])("calcsize(%j) = %d", (format, size) => {
    expect(calcsize(format)).toEqual({ ok: true, value: size });
  });

  test("sizes up to CPython's 2^63 − 1 are exact in exactSize", () => {
    const parsed = parseStructFormat("9223372036854775807x");
    expect(parsed.ok && [parsed.value.exactSize, parsed.value.size]).toEqual([2n ** 63n - 1n, 2 ** 63]);
  });
});

describe("format errors", () => {
  const bad = "bad char in struct format";
  const tooLong = "total struct size too long";
  test.each([
    ["y", "bad-char", bad, 0],
    ["ii y", "bad-char", bad, 3],
    ["<n", "bad-char", bad, 1],
    ["=N", "bad-char", bad, 1],
    [">P", "bad-char", bad, 1],
    ["!n", "bad-char", bad, 1],
    [" <i", "bad-char", bad, 1], // the prefix must come first
    ["<<i", "bad-char", bad, 1],
    ["3 i", "bad-char", bad, 1], // no whitespace between a count and its character
    ["i\x1c", "bad-char", bad, 1], // not Python whitespace
    ["3", "repeat-without-char", "repeat count given without format specifier", 0],
    ["i12", "repeat-without-char", "repeat count given without format specifier", 1],
    ["i\0", "embedded-null", "embedded null character", 1],
    ["y\0", "embedded-null", "embedded null character", 1], // checked before the characters
    ["99999999999999999999x", "size-too-long", tooLong, 0],
    ["9223372036854775808x", "size-too-long", tooLong, 0],
    ["b9223372036854775807s", "size-too-long", tooLong, 1],
    ["1152921504606846976q", "size-too-long", tooLong, 0],
    ["9223372036854775807x0i", "size-too-long", tooLong, 20], // alignment alone overflows
  ])("%j: %s", (format, code, message, offset) => {
    expect(calcsize(format)).toEqual({
      ok: false,
      problem: { code, exception: "struct.error", message, offset },
    });
  });

  test.each([
    ["xé", "character '\\xe9' in position 1", 1],
    ["x€é", "characters in position 1-2", 1],
    ["😀x€", "character '\\U0001f600' in position 0", 0],
    ["i😀€", "characters in position 1-2", 1],
    ["\ud800", "character '\\ud800' in position 0", 0],
    ["y\0é", "character '\\xe9' in position 2", 2], // encoding comes first of all
  ])("%j is not ASCII: %s", (format, where, offset) => {
    expect(calcsize(format)).toEqual({
      ok: false,
      problem: {
        code: "not-ascii",
        exception: "UnicodeEncodeError",
        message: `'ascii' codec can't encode ${where}: ordinal not in range(128)`,
        offset,
      },
    });
  });
});

describe("layout", () => {
  test("items, offsets and padding of a native format", () => {
    const parsed = parseStructFormat("b 3h0i5s?q");
    expect(parsed.ok && parsed.value).toEqual({
      format: "b 3h0i5s?q",
      prefix: "@",
      native: true,
      littleEndian: true,
      size: 24,
      exactSize: 24n,
      valueCount: 7,
      items: [
        { char: "b", count: 1, itemSize: 1, offset: 0, padding: 0, formatOffset: 0 },
        { char: "h", count: 3, itemSize: 2, offset: 2, padding: 1, formatOffset: 2 },
        { char: "i", count: 0, itemSize: 4, offset: 8, padding: 0, formatOffset: 4 },
        { char: "s", count: 5, itemSize: 5, offset: 8, padding: 0, formatOffset: 6 },
        { char: "?", count: 1, itemSize: 1, offset: 13, padding: 0, formatOffset: 8 },
        { char: "q", count: 1, itemSize: 8, offset: 16, padding: 2, formatOffset: 9 },
      ],
    });
  });

  test.each([
    ["", "@", true, true],
    ["@", "@", true, true],
    ["=", "=", false, true],
    ["<", "<", false, true],
    [">", ">", false, false],
    ["!", "!", false, false],
  ])("prefix %j", (format, prefix, native, littleEndian) => {
    const parsed = parseStructFormat(format);
    expect(parsed.ok && [parsed.value.prefix, parsed.value.native, parsed.value.littleEndian]).toEqual([
      prefix,
      native,
      littleEndian,
    ]);
  });

  test.each([
    ["<2x3s0pc2?", ["s", "p", "c", "?", "?"]],
    ["", []],
    ["4x", []],
  ])("value characters of %j", (format, chars) => {
    const parsed = parseStructFormat(format);
    expect(parsed.ok && valueChars(parsed.value)).toEqual(chars);
    expect(parsed.ok && parsed.value.valueCount).toBe(chars.length);
  });

  test("value characters stop at the limit", () => {
    const parsed = parseStructFormat("1000000000b");
    expect(parsed.ok && valueChars(parsed.value, 2)).toEqual(["b", "b"]);
  });
});
