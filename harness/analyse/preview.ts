// A short, safe look at a payload for timelines: printable ASCII with escapes, and hex.

import type { PayloadPreview } from "./types.ts";

/** Bytes shown in a preview. */
export const PREVIEW_BYTES = 32;

const HEX = "0123456789abcdef";

/** The first PREVIEW_BYTES of `payload` as escaped text and hex; `length` is the full payload length. */
export function payloadPreview(payload: Uint8Array, length: number = payload.length): PayloadPreview {
  const shown = payload.subarray(0, Math.min(PREVIEW_BYTES, payload.length));
  let text = "";
  let hex = "";
  for (const byte of shown) {
    text += escapeByte(byte);
    hex += HEX[byte >> 4]! + HEX[byte & 0x0f]!;
  }
  return { text, hex, truncated: length > shown.length };
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
