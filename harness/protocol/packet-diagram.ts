// A struct layout drawn the way RFCs draw headers (RFC 791 §3.1), 32 bits to a row, and listed as a
// Markdown table, for the report's description of the student's protocol.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |     type      |            sensor             |      seq      |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// A field that runs on into the next row is named again there as `name (cont.)`; where it fills the same
// bits of both rows the border between them is left open. Alignment padding and `x` bytes show as `(pad)`.

import { fieldSlots } from "./protocol-fields.ts";
import type { StructChar, StructLayout } from "./struct-format.ts";

const ROW_BYTES = 4;
const PAD = "(pad)";

/** The layout as an RFC-style packet diagram, 32-bit rows; one line per row and border, no final newline. */
export function packetDiagram(layout: StructLayout, fieldNames: readonly string[]): string {
  // owner[b]: which span byte b belongs to; labels[s]: the span's name.
  const owner: number[] = [];
  const labels: string[] = [];
  const span = (label: string, size: number) => {
    for (let k = 0; k < size; k++) owner.push(labels.length);
    labels.push(label);
  };
  const slots = fieldSlots(layout, fieldNames);
  let next = 0;
  for (const item of layout.items) {
    if (item.padding > 0) span(PAD, item.padding);
    if (item.char === "x") {
      if (item.count > 0) span(PAD, item.count);
      continue;
    }
    const values = item.char === "s" || item.char === "p" ? 1 : item.count;
    for (let k = 0; k < values; k++) span(slots[next++]!.name, item.itemSize);
  }
  const rows = Math.ceil(owner.length / ROW_BYTES);
  const ruler = [
    ` ${Array.from({ length: 32 }, (_, b) => (b % 10 === 0 ? String(b / 10) : " ")).join(" ")}`.trimEnd(),
    ` ${Array.from({ length: 32 }, (_, b) => String(b % 10)).join(" ")}`,
  ];
  const lines = [...ruler, border(owner, -1, 0)];
  for (let row = 0; row < rows; row++) {
    lines.push(rowLine(owner, labels, row), border(owner, row, row + 1));
  }
  return lines.join("\n");
}

/** The layout as Markdown table lines: field, struct char, C type, offset, size, byte order. */
export function fieldTable(layout: StructLayout, names: readonly string[]): string[] {
  const lines = ["| field | char | type | offset | size | byte order |", "|---|---|---|---:|---:|---|"];
  const slots = fieldSlots(layout, names);
  const order = byteOrder(layout);
  let next = 0;
  for (const item of layout.items) {
    if (item.padding > 0)
      lines.push(`| ${PAD} | | padding | ${item.offset - item.padding} | ${item.padding} | |`);
    if (item.char === "x") {
      if (item.count > 0) lines.push(`| ${PAD} | \`x\` | pad byte | ${item.offset} | ${item.count} | |`);
      continue;
    }
    const values = item.char === "s" || item.char === "p" ? 1 : item.count;
    for (let k = 0; k < values; k++) {
      const slot = slots[next++]!;
      const type = cType(slot.char, slot.size);
      const orderText = slot.size > 1 && !"csp".includes(slot.char) ? order : "";
      const name = slot.name.replaceAll("|", "\\|");
      lines.push(`| ${name} | \`${slot.char}\` | ${type} | ${slot.offset} | ${slot.size} | ${orderText} |`);
    }
  }
  return lines;
}

// The cells of one 32-bit row: each run of bytes of one span becomes a cell with the span's name centred.
function rowLine(owner: readonly number[], labels: readonly string[], row: number): string {
  const start = row * ROW_BYTES;
  const end = Math.min(start + ROW_BYTES, owner.length);
  let line = "|";
  for (let at = start; at < end; ) {
    const span = owner[at]!;
    let stop = at;
    while (stop < end && owner[stop] === span) stop++;
    const continued = at > 0 && owner[at - 1] === span;
    const label = continued ? `${labels[span]} (cont.)` : labels[span]!;
    line += `${centre(label, (stop - at) * 16 - 1)}|`;
    at = stop;
  }
  return line;
}

// The border under row `above` (-1: the top), open over bits that belong to the same span in both rows.
function border(owner: readonly number[], above: number, below: number): string {
  const byteAbove = (bit: number) => (above < 0 ? undefined : owner[above * ROW_BYTES + Math.floor(bit / 8)]);
  const byteBelow = (bit: number) => owner[below * ROW_BYTES + Math.floor(bit / 8)];
  const width = Math.max(rowBits(owner, above), rowBits(owner, below));
  const open = (bit: number) =>
    bit >= 0 && bit < width && byteAbove(bit) !== undefined && byteAbove(bit) === byteBelow(bit);
  let line = "";
  for (let bit = 0; bit < width; bit++) {
    line += open(bit - 1) && open(bit) ? " " : "+";
    line += open(bit) ? " " : "-";
  }
  return `${line}+`;
}

function rowBits(owner: readonly number[], row: number): number {
  if (row < 0) return 0;
  return Math.max(0, Math.min(ROW_BYTES, owner.length - row * ROW_BYTES)) * 8;
}

function centre(label: string, width: number): string {
  const text = label.length > width ? label.slice(0, width) : label;
  const left = Math.floor((width - text.length) / 2);
  return `${" ".repeat(left)}${text}${" ".repeat(width - text.length - left)}`;
}

function byteOrder(layout: StructLayout): string {
  if (layout.prefix === "!") return "big-endian (network)";
  if (layout.prefix === ">") return "big-endian";
  if (layout.prefix === "<") return "little-endian";
  return "native (little-endian)";
}

const C_TYPES: Readonly<Record<StructChar, string>> = {
  x: "pad byte",
  c: "char",
  b: "signed char",
  B: "unsigned char",
  "?": "_Bool",
  h: "short",
  H: "unsigned short",
  i: "int",
  I: "unsigned int",
  l: "long",
  L: "unsigned long",
  q: "long long",
  Q: "unsigned long long",
  n: "ssize_t",
  N: "size_t",
  e: "half float",
  f: "float",
  d: "double",
  s: "char[]",
  p: "char[] (Pascal string)",
  P: "void *",
};

function cType(char: StructChar, size: number): string {
  if (char === "s") return `char[${size}]`;
  if (char === "p") return `char[${size}] (Pascal string)`;
  return C_TYPES[char];
}
