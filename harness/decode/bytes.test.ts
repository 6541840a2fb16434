import { describe, expect, test } from "vitest";
import { readU16, readU32, readU32Le } from "./bytes.ts";

const bytes = Uint8Array.from([0x12, 0x34, 0x56, 0x78, 0xff, 0xff, 0xff, 0xfe]);

describe("byte readers", () => {
  test.each([
    [0, 0x1234],
    [2, 0x5678],
    [4, 0xffff],
    [1, 0x3456],
  ])("readU16 at %d is %d", (at, value) => {
    expect(readU16(bytes, at)).toBe(value);
  });

  test.each([
    [0, 0x12345678],
    [4, 0xfffffffe], // unsigned: the top bit set does not make it negative
    [2, 0x5678ffff],
  ])("readU32 at %d is %d", (at, value) => {
    expect(readU32(bytes, at)).toBe(value);
  });

  test.each([
    [0, 0x78563412],
    [4, 0xfeffffff],
  ])("readU32Le at %d is %d", (at, value) => {
    expect(readU32Le(bytes, at)).toBe(value);
  });

  test("reads missing bytes past the end as 0", () => {
    expect(readU16(bytes, 7)).toBe(0xfe00);
    expect(readU32(bytes, 6)).toBe(0xfffe0000);
    expect(readU32Le(bytes, 6)).toBe(0x0000feff);
  });
});
