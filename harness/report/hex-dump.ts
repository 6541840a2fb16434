// Hex dumps in the style of `xxd`/Wireshark's bytes pane, optionally annotated with field boundaries
// (for struct-packed payloads: which bytes are which field).

export interface DumpField {
  readonly name: string;
  readonly offset: number;
  readonly length: number;
  /** The decoded value, shown beside the field's bytes. */
  readonly value?: string;
}

const printable = (b: number) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".");

/** Classic 16-bytes-per-row dump: offset, hex, ASCII. */
export function hexDump(bytes: Uint8Array, maxBytes = 512): string {
  const shown = bytes.subarray(0, maxBytes);
  const lines: string[] = [];
  for (let row = 0; row < shown.length; row += 16) {
    const chunk = shown.subarray(row, row + 16);
    const hex = [...chunk].map((b) => b.toString(16).padStart(2, "0"));
    const left = hex.slice(0, 8).join(" ");
    const right = hex.slice(8).join(" ");
    lines.push(
      `${row.toString(16).padStart(4, "0")}  ${left.padEnd(23)}  ${right.padEnd(23)}  |${[...chunk].map(printable).join("")}|`,
    );
  }
  if (bytes.length > shown.length) lines.push(`… ${bytes.length - shown.length} more bytes`);
  return lines.join("\n");
}

/** One line per field: its byte range, its bytes in hex and its value; bytes no field claims are listed too. */
export function annotatedDump(bytes: Uint8Array, fields: readonly DumpField[]): string {
  const sorted = [...fields].sort((a, b) => a.offset - b.offset);
  const lines: string[] = [];
  let at = 0;
  const range = (from: number, to: number) =>
    to - from === 1 ? `${from}`.padStart(7) : `${from}–${to - 1}`.padStart(7);
  const hex = (from: number, to: number) =>
    [...bytes.subarray(from, to)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
  for (const field of sorted) {
    if (field.offset > at)
      lines.push(`${range(at, field.offset)}  ${hex(at, field.offset).padEnd(24)}  (padding)`);
    const end = Math.min(bytes.length, field.offset + field.length);
    const value = field.value === undefined ? "" : ` = ${field.value}`;
    const missing =
      end < field.offset + field.length ? ` (missing ${field.offset + field.length - end} bytes)` : "";
    lines.push(
      `${range(field.offset, field.offset + field.length)}  ${hex(field.offset, end).padEnd(24)}  ${field.name}${value}${missing}`,
    );
    at = Math.max(at, field.offset + field.length);
  }
  if (at < bytes.length)
    lines.push(`${range(at, bytes.length)}  ${hex(at, bytes.length).padEnd(24)}  (extra bytes)`);
  return lines.join("\n");
}
