// Values printed as Python 3.11 prints them.

import { describe, expect, test } from "vitest";
import { formatTuple, formatValue, pythonBytesRepr, pythonFloatRepr } from "./python-repr.ts";
import type { StructChar } from "./struct-format.ts";
import { parseStructFormat } from "./struct-format.ts";
import type { StructValue } from "./struct-pack.ts";

const b = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe("pythonFloatRepr", () => {
  test.each([
    [2.700000047683716, "2.700000047683716"],
    [0.1, "0.1"],
    [-2.5, "-2.5"],
    [3, "3.0"],
    [0, "0.0"],
    [-0, "-0.0"],
    [Infinity, "inf"],
    [-Infinity, "-inf"],
    [Number.NaN, "nan"],
    [1e15, "1000000000000000.0"],
    [9999999999999998, "9999999999999998.0"],
    [1e16, "1e+16"], // JavaScript: 10000000000000000
    [123456789012345680, "1.2345678901234568e+17"],
    [1e22, "1e+22"],
    [1.5e300, "1.5e+300"],
    [1.7976931348623157e308, "1.7976931348623157e+308"],
    [0.0001, "0.0001"],
    [0.00012345, "0.00012345"],
    [1e-5, "1e-05"], // JavaScript: 0.00001
    [-1.2345e-5, "-1.2345e-05"],
    [1e-7, "1e-07"],
    [5e-324, "5e-324"],
    [2 ** -24, "5.960464477539063e-08"],
  ])("%d → %s", (x, text) => {
    expect(pythonFloatRepr(x)).toBe(text);
  });
});

describe("pythonBytesRepr", () => {
  test.each([
    ["", "b''"],
    ["ab", "b'ab'"],
    ["a\0\xff", "b'a\\x00\\xff'"],
    ["\t\n\r\x0b\x7f\x80 ~", "b'\\t\\n\\r\\x0b\\x7f\\x80 ~'"],
    ["\\", "b'\\\\'"],
    ["'", 'b"\'"'], // a single quote alone switches to double quotes
    ['"', "b'\"'"],
    ["'\"", "b'\\'\"'"], // both: single quotes, the single one escaped
  ])("%j → %s", (text, repr) => {
    expect(pythonBytesRepr(b(text))).toBe(repr);
  });
});

describe("formatValue", () => {
  test.each<[StructValue, StructChar | undefined, string]>([
    [1, "i", "1"],
    [-7, "b", "-7"],
    [3, "d", "3.0"], // a float character prints a float
    [2.700000047683716, "f", "2.700000047683716"],
    [1e16, "d", "1e+16"],
    [-0, "e", "-0.0"],
    [3, undefined, "3"],
    [2.5, undefined, "2.5"],
    [2n ** 64n, "Q", "18446744073709551616"],
    [-1n, "q", "-1"],
    [true, "?", "True"],
    [false, "?", "False"],
    [b("ab"), "s", "b'ab'"],
    [b("a"), "c", "b'a'"],
  ])("%o as %s → %s", (value, char, text) => {
    expect(formatValue(value, char)).toBe(text);
  });
});

describe("formatTuple", () => {
  test.each<[string, StructValue[], string]>([
    ["", [], "()"],
    ["i", [7], "(7,)"],
    ["<if?2s", [1, 2.5, true, b("ab")], "(1, 2.5, True, b'ab')"],
    ["<2d", [3, Number.NaN], "(3.0, nan)"],
    ["<q", [5n], "(5,)"],
  ])("%j %o → %s", (format, values, text) => {
    const parsed = parseStructFormat(format);
    expect(parsed.ok && formatTuple(parsed.value, values)).toBe(text);
  });
});

describe("displayValue", () => {
  test("shows a single-precision float with the digits it has", async () => {
    const { displayValue } = await import("./python-repr.ts");
    expect(displayValue(Math.fround(20.98), "f")).toBe("20.98");
    expect(displayValue(Math.fround(1013.25), "f")).toBe("1013.25");
    expect(displayValue(Math.fround(0.1), "f")).toBe("0.1");
    expect(displayValue(Math.fround(21), "f")).toBe("21.0");
    expect(displayValue(0.1 + 0.2, "d")).toBe("0.30000000000000004");
    expect(displayValue(7, "I")).toBe("7");
    expect(displayValue("OK", null)).toBe("'OK'");
  });
});
