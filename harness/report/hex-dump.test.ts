import { describe, expect, it } from "vitest";
import { annotatedDump, hexDump } from "./hex-dump.ts";

describe("hexDump", () => {
  it("prints offset, hex and ASCII per 16 bytes", () => {
    const text = hexDump(new TextEncoder().encode("Hello, world!!!!X"));
    expect(text.split("\n")).toEqual([
      "0000  48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 21 21 21  |Hello, world!!!!|",
      "0010  58                                                |X|",
    ]);
  });

  it("says how many bytes it left out", () => {
    expect(hexDump(new Uint8Array(40), 16)).toContain("… 24 more bytes");
  });
});

describe("annotatedDump", () => {
  // struct.pack("=iif", 1, 4, 2.7) on a little-endian machine.
  const bytes = Uint8Array.from([1, 0, 0, 0, 4, 0, 0, 0, 0xcd, 0xcc, 0x2c, 0x40]);

  it("labels each field's bytes and value", () => {
    const text = annotatedDump(bytes, [
      { name: "i", offset: 0, length: 4, value: "1" },
      { name: "i", offset: 4, length: 4, value: "4" },
      { name: "f", offset: 8, length: 4, value: "2.700000047683716" },
    ]);
    expect(text.split("\n")).toEqual([
      "    0–3  01 00 00 00               i = 1",
      "    4–7  04 00 00 00               i = 4",
      "   8–11  cd cc 2c 40               f = 2.700000047683716",
    ]);
  });

  it("shows padding, missing and extra bytes", () => {
    const text = annotatedDump(bytes.subarray(0, 10), [
      { name: "b", offset: 0, length: 1 },
      { name: "i", offset: 4, length: 8 },
    ]);
    expect(text).toContain("(padding)");
    expect(text).toContain("(missing 2 bytes)");
    expect(annotatedDump(bytes, [{ name: "i", offset: 0, length: 4 }])).toContain("(extra bytes)");
  });
});
