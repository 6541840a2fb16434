// pack and unpack, one row per behaviour; bytes and messages are what python3.11 gives on x86_64 Linux.

import { describe, expect, test } from "vitest";
import { parseStructFormat } from "./struct-format.ts";
import { pack, type StructValue, unpack } from "./struct-pack.ts";

const b = (text: string) => new TextEncoder().encode(text);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const fromHex = (text: string) => Uint8Array.from(Buffer.from(text.replaceAll(" ", ""), "hex"));
const packed = (format: string, values: StructValue[]) => {
  const result = pack(format, values);
  return result.ok ? hex(result.value) : result.problem;
};

describe("pack", () => {
  test.each<[string, StructValue[], string]>([
    // each character
    ["c", [b("a")], "61"],
    ["b", [-1], "ff"],
    ["B", [255], "ff"],
    ["?", [true], "01"],
    ["?", [2], "01"], // truthiness
    ["?", [0], "00"],
    ["?", [Number.NaN], "01"], // bool(nan) is True in Python
    ["?", [new Uint8Array()], "00"],
    ["<h", [-2], "feff"],
    [">H", [0xbeef], "beef"],
    ["<i", [1], "01000000"],
    [">I", [0xdeadbeef], "deadbeef"],
    ["<l", [-1], "ffffffff"],
    ["@l", [-1], "ffffffffffffffff"],
    [">L", [1n], "00000001"],
    ["<q", [-2n], "feffffffffffffff"],
    [">Q", [2n ** 64n - 1n], "ffffffffffffffff"],
    ["n", [-1n], "ffffffffffffffff"],
    ["N", [1], "0100000000000000"],
    ["P", [-1], "ffffffffffffffff"], // P takes negatives
    ["<e", [1], "003c"],
    [">e", [65504], "7bff"],
    [">e", [1 + 3 * 2 ** -11], "3c02"], // round half to even
    [">e", [-0], "8000"],
    [">e", [Number.NaN], "7e00"],
    ["<f", [2.7], "cdcc2c40"],
    [">f", [Infinity], "7f800000"],
    ["@f", [1e300], "0000807f"], // native f is a bare C cast: no OverflowError
    [">d", [1], "3ff0000000000000"],
    [">d", [3n], "4008000000000000"], // an int where a float goes
    [">d", [true], "3ff0000000000000"],
    ["<i", [true], "01000000"], // bool is an int
    ["<i", [-0], "00000000"],
    // s and p: NUL padding, truncation, Pascal length byte
    ["5s", [b("ab")], "6162000000"],
    ["2s", [b("abc")], "6162"],
    ["0s", [b("abc")], ""],
    ["5p", [b("ab")], "0261620000"],
    ["3p", [b("abcdef")], "026162"],
    ["1p", [b("abc")], "00"],
    ["0px", [b("")], "ff"], // CPython writes 0p's length byte onto whatever follows
    ["b0ph", [1, b(""), 2], "01ff0200"],
    // prefixes and alignment
    ["@bi", [1, 2], "01000000 02000000"],
    ["=bi", [1, 2], "01 02000000"],
    [">bi", [1, 2], "01 00000002"],
    ["@ci", [b("a"), 2], "61000000 02000000"],
    ["@iq", [1, 2n], "01000000 00000000 0200000000000000"],
    ["@qi", [1, 2], "0100000000000000 02000000"],
    // counts
    ["3b", [1, 2, 3], "010203"],
    ["<2h", [1, -1], "0100ffff"],
    ["0i", [], ""],
    ["4x", [], "00000000"],
    ["", [], ""],
  ])("pack(%j, %o) = %s", (format, values, bytes) => {
    expect(packed(format, values)).toBe(bytes.replaceAll(" ", ""));
  });

  test("p's length byte stops at 255", () => {
    const result = pack("300p", [new Uint8Array(300).fill(0x61)]);
    expect(result.ok && [result.value[0], result.value[255], result.value[299]]).toEqual([255, 0x61, 0x61]);
  });

  test.each<[string, StructValue[], string, string, string, number, number]>([
    // [format, values, code, exception, message, index, offset]
    ["b", [128], "out-of-range", "struct.error", "byte format requires -128 <= number <= 127", 0, 0],
    [">h", [40000], "out-of-range", "struct.error", "'h' format requires -32768 <= number <= 32767", 0, 0],
    ["<q", [2n ** 63n], "out-of-range", "struct.error", "argument out of range", 0, 0],
    [">Q", [-1], "out-of-range", "struct.error", "int too large to convert", 0, 0],
    ["bb", [1, 300], "out-of-range", "struct.error", "byte format requires -128 <= number <= 127", 1, 1],
    [
      "@bi",
      [1, 2 ** 31],
      "out-of-range",
      "struct.error",
      "'i' format requires -2147483648 <= number <= 2147483647",
      1,
      4,
    ],
    ["i", [1.5], "not-an-integer", "struct.error", "required argument is not an integer", 0, 0],
    ["i", [b("a")], "not-an-integer", "struct.error", "required argument is not an integer", 0, 0],
    ["i", [Number.NaN], "not-an-integer", "struct.error", "required argument is not an integer", 0, 0],
    ["d", [b("a")], "not-a-float", "struct.error", "required argument is not a float", 0, 0],
    ["<d", [2n ** 1024n], "not-a-float", "struct.error", "required argument is not a float", 0, 0],
    ["<e", [65520], "float-overflow", "OverflowError", "float too large to pack with e format", 0, 0],
    ["<e", [100000n], "out-of-range", "struct.error", "int too large to convert", 0, 0],
    ["<f", [1e300], "float-overflow", "OverflowError", "float too large to pack with f format", 0, 0],
    [
      "=f",
      [3.4028235677973366e38],
      "float-overflow",
      "OverflowError",
      "float too large to pack with f format",
      0,
      0,
    ],
    ["<f", [10n ** 39n], "out-of-range", "struct.error", "int too large to convert", 0, 0],
    ["c", [b("ab")], "not-a-char", "struct.error", "char format requires a bytes object of length 1", 0, 0],
    ["c", [97], "not-a-char", "struct.error", "char format requires a bytes object of length 1", 0, 0],
    ["s", [1], "not-bytes", "struct.error", "argument for 's' must be a bytes object", 0, 0],
    ["p", [true], "not-bytes", "struct.error", "argument for 'p' must be a bytes object", 0, 0],
  ])("pack(%j, %o) refused: %s", (format, values, code, exception, message, index, offset) => {
    expect(pack(format, values)).toEqual({ ok: false, problem: { code, exception, message, offset, index } });
  });

  test.each<[string, StructValue[], string]>([
    ["i", [], "pack expected 1 items for packing (got 0)"],
    ["3s", [b("a"), b("b")], "pack expected 1 items for packing (got 2)"],
    ["x", [1], "pack expected 0 items for packing (got 1)"],
    ["2?4x3h", [1], "pack expected 5 items for packing (got 1)"],
  ])("pack(%j, %o) has the wrong number of values", (format, values, message) => {
    expect(pack(format, values)).toEqual({
      ok: false,
      problem: { code: "wrong-value-count", exception: "struct.error", message, offset: 0 },
    });
  });

  test("a format problem comes first", () => {
    expect(pack("y", [])).toEqual({
      ok: false,
      problem: {
        code: "bad-char",
        exception: "struct.error",
        message: "bad char in struct format",
        offset: 0,
      },
    });
  });

  test.each([
    ["1000000000000000x", "MemoryError", ""],
    ["9223372036854775774x", "MemoryError", ""],
    ["9223372036854775775x", "OverflowError", "byte string is too large"], // within bytes' header of 2^63
  ])("pack(%j) cannot allocate: %s", (format, exception, message) => {
    expect(pack(format, [])).toEqual({
      ok: false,
      problem: { code: "too-large", exception, message, offset: 0 },
    });
  });

  test("takes a parsed layout", () => {
    const layout = parseStructFormat("!HI");
    expect(layout.ok && packed("!HI", [1, 2])).toBe("000100000002");
    expect(layout.ok && pack(layout.value, [1, 2])).toEqual(pack("!HI", [1, 2]));
  });
});

describe("unpack", () => {
  test.each<[string, string, StructValue[]]>([
    ["<hH", "ffff ffff", [-1, 65535]],
    [">iI", "ffffffff ffffffff", [-1, 4294967295]],
    ["<bB", "ffff", [-1, 255]],
    ["<l", "ffffffff", [-1]],
    ["@l", "ffffffffffffffff", [-1n]], // 8-byte integers are bigints
    ["@L", "ffffffffffffffff", [2n ** 64n - 1n]],
    ["<qQ", "ffffffffffffffff ffffffffffffffff", [-1n, 2n ** 64n - 1n]],
    ["nN", "ffffffffffffffff ffffffffffffffff", [-1n, 2n ** 64n - 1n]],
    ["P", "ffffffffffffffff", [2n ** 64n - 1n]], // unsigned, though pack took -1
    ["??", "0200", [true, false]],
    ["c", "61", [b("a")]],
    ["3s", "616200", [b("ab\0")]],
    ["0s", "", [new Uint8Array()]],
    ["3p", "056162", [b("ab")]], // the length byte is capped at count − 1
    ["4p", "01616263", [b("a")]],
    ["1p", "05", [new Uint8Array()]],
    ["<e", "0100", [2 ** -24]],
    [">e", "7c00", [Infinity]],
    [">e", "7e00", [Number.NaN]],
    ["<f", "cdcc2c40", [2.700000047683716]],
    [">d", "4008000000000000", [3]],
    ["@bi", "01 aaaaaa 02000000", [1, 2]], // padding bytes are skipped, whatever they hold
    ["2x", "abcd", []],
    ["", "", []],
  ])("unpack(%j, %s)", (format, bytes, values) => {
    expect(unpack(format, fromHex(bytes))).toEqual({ ok: true, value: values });
  });

  test.each([
    ["i", "010203", "unpack requires a buffer of 4 bytes"],
    ["i", "0102030405", "unpack requires a buffer of 4 bytes"],
    ["@bi", "0102030405", "unpack requires a buffer of 8 bytes"],
    ["9223372036854775807x", "", "unpack requires a buffer of 9223372036854775807 bytes"],
  ])("unpack(%j, %s) needs exactly calcsize bytes", (format, bytes, message) => {
    expect(unpack(format, fromHex(bytes))).toEqual({
      ok: false,
      problem: { code: "buffer-size", exception: "struct.error", message, offset: 0 },
    });
  });

  test.each([
    ["0p", ""],
    ["b0p", "01"],
  ])("unpack(%j) fails as CPython's does on 0p", (format, bytes) => {
    const result = unpack(format, fromHex(bytes));
    expect(!result.ok && [result.problem.exception, result.problem.message]).toEqual([
      "SystemError",
      "Negative size passed to PyBytes_FromStringAndSize",
    ]);
  });

  test("reads a view at any offset and returns copies", () => {
    const backing = fromHex("ff 0001 6162 ff");
    const view = backing.subarray(1, 5);
    const result = unpack(">H2s", view);
    expect(result).toEqual({ ok: true, value: [1, b("ab")] });
    if (result.ok) (result.value[1] as Uint8Array)[0] = 0;
    expect(backing[3]).toBe(0x61);
  });

  test("round trips through pack", () => {
    const values: StructValue[] = [b("x"), -5, true, 300, -7n, 2.5, b("hey")];
    const result = pack("<cb?Hqd3p", values);
    expect(result.ok && unpack("<cb?Hqd3p", result.value)).toEqual({
      ok: true,
      value: [b("x"), -5, true, 300, -7n, 2.5, b("he")],
    });
  });
});
