// IPv4 and IPv6 addresses: text to bytes (for the builder) and bytes to text (for the decoders).
// IPv6 text follows RFC 5952: lower case, leading zeros dropped, the longest run of two or more zero groups
// (the first one on a tie) written as "::".

import { readU16 } from "./bytes.ts";

/** Parses dotted-quad IPv4 text into 4 bytes; throws on malformed text (builder input, not packet data). */
export function parseIpv4(text: string): Uint8Array {
  const parts = text.split(".");
  if (parts.length !== 4) throw new Error(`not an IPv4 address: ${text}`);
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) throw new Error(`not an IPv4 address: ${text}`);
    out[i] = Number(part);
  }
  return out;
}

/** Parses IPv6 text (with "::" and an optional trailing dotted quad) into 16 bytes; throws on malformed text. */
export function parseIpv6(text: string): Uint8Array {
  const bad = () => new Error(`not an IPv6 address: ${text}`);
  let body = text;
  const lastColon = body.lastIndexOf(":");
  if (body.slice(lastColon + 1).includes(".")) {
    // An embedded dotted quad stands for the last two groups.
    const v4 = parseIpv4(body.slice(lastColon + 1));
    const group = (hi: number, lo: number) => ((hi << 8) | lo).toString(16);
    body = `${body.slice(0, lastColon + 1)}${group(v4[0]!, v4[1]!)}:${group(v4[2]!, v4[3]!)}`;
  }
  const halves = body.split("::");
  if (halves.length > 2) throw bad();
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  const words = [...head, ...rest].map((g) => {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw bad();
    return Number.parseInt(g, 16);
  });
  const total = words.length;
  if (halves.length === 1 ? total !== 8 : total > 7) throw bad();
  const zeros = new Array<number>(8 - total).fill(0);
  const all = [...words.slice(0, head.length), ...zeros, ...words.slice(head.length)];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    out[2 * i] = all[i]! >> 8;
    out[2 * i + 1] = all[i]! & 0xff;
  }
  return out;
}

/** Formats 4 bytes at `offset` as dotted-quad text. */
export function formatIpv4(bytes: Uint8Array, offset: number): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/** Formats 16 bytes at `offset` as RFC 5952 IPv6 text. */
export function formatIpv6(bytes: Uint8Array, offset: number): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push(readU16(bytes, offset + 2 * i));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (ws: number[]) => ws.map((w) => w.toString(16)).join(":");
  if (bestStart < 0) return hex(words);
  return `${hex(words.slice(0, bestStart))}::${hex(words.slice(bestStart + bestLength))}`;
}
