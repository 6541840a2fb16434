// A short, safe look at a payload for timelines: printable ASCII with escapes, and hex.

import type { PayloadPreview } from "./types.ts";

/** Bytes shown in a preview. */
export const PREVIEW_BYTES = 32;

const HEX = "0123456789abcdef";

/** The first PREVIEW_BYTES of `payload` as escaped text and hex; `length` is the full payload length. */
export function payloadPreview(payload: Uint8Array, length: number = payload.length): PayloadPreview {
  const shown = payload.subarray(0, Math.min(PREVIEW_BYTES, payload.length));
  // Joined and hex-encoded in one go, so each is one flat string: built by `+=`, a preview would be a tree
  // of a hundred string pieces, and a timeline keeps many previews.
  const text: string[] = [];
  for (const byte of shown) text.push(escapeByte(byte));
  const hex = Buffer.from(shown.buffer, shown.byteOffset, shown.length).toString("hex");
  return { text: text.join(""), hex, truncated: length > shown.length };
}

/** One byte as printable ASCII, or as \n \r \t \\ \0 \xNN. */
export function escapeByte(byte: number): string {
  switch (byte) {
    case 0x0a:
      return "\\n";
    case 0x0d:
      return "\\r";
    case 0x09:
      return "\\t";
    case 0x5c:
      return "\\\\";
    case 0x00:
      return "\\0";
  }
  if (byte >= 0x20 && byte < 0x7f) return String.fromCharCode(byte);
  return `\\x${HEX[byte >> 4]}${HEX[byte & 0x0f]}`;
}
