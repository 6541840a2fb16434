import { describe, expect, it } from "vitest";
import { escapeByte, PREVIEW_BYTES, payloadPreview } from "./preview.ts";

describe("payload preview", () => {
  it.each([
    [0x41, "A"],
    [0x0a, "\\n"],
    [0x0d, "\\r"],
    [0x09, "\\t"],
    [0x5c, "\\\\"],
    [0x00, "\\0"],
    [0x7f, "\\x7f"],
    [0xff, "\\xff"],
  ])("escapes byte %i as %s", (byte, text) => {
    expect(escapeByte(byte)).toBe(text);
  });

  it("shows text and hex of a short payload in full", () => {
    expect(payloadPreview(new TextEncoder().encode("hi\n"))).toEqual({
      text: "hi\\n",
      hex: "68690a",
      truncated: false,
    });
  });

  it("cuts a long payload and says so", () => {
    const preview = payloadPreview(new Uint8Array(100).fill(0x61));
    expect(preview.text).toBe("a".repeat(PREVIEW_BYTES));
    expect(preview.hex).toHaveLength(2 * PREVIEW_BYTES);
    expect(preview.truncated).toBe(true);
  });

  it("says truncated when the capture held less than the payload", () => {
    expect(payloadPreview(new Uint8Array([1, 2]), 10).truncated).toBe(true);
  });
});
