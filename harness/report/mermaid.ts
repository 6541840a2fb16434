// Mermaid sequence diagrams of a conversation: handshake, data and close as arrows between client and server,
// in the spirit of Wireshark's Flow Graph (flags, Seq/Ack, Len on each arrow).

/** One arrow: what the diagram needs to know about a packet. */
export interface SequenceRow {
  readonly number: number;
  readonly direction: "c2s" | "s2c";
  /** tcpdump letters for TCP ("S", "S.", "P.", "F.", "R"), empty for UDP. */
  readonly flags: string;
  readonly seq?: number;
  readonly ack?: number;
  readonly length: number;
  readonly labels: readonly string[];
}

export interface SequenceOptions {
  readonly client: string;
  readonly server: string;
  /** At most this many arrows; the middle of a long conversation is folded into a note. Default 40. */
  readonly maxArrows?: number;
}

const flagWords: Record<string, string> = {
  S: "SYN",
  F: "FIN",
  R: "RST",
  P: "PSH",
  U: "URG",
  E: "ECE",
  W: "CWR",
};

/** "S." → "SYN, ACK"; "" (UDP) → "UDP". */
export function flagsInWords(flags: string): string {
  if (flags === "") return "UDP";
  const words = [...flags].filter((c) => c !== ".").map((c) => flagWords[c] ?? c);
  if (flags.includes(".")) words.push("ACK");
  return words.join(", ");
}

// Mermaid message text may not contain ';', '#' or ':' unescaped: keep it to safe characters.
function safe(text: string): string {
  return text.replace(/[;#:]/g, " ").replace(/\s+/g, " ").trim();
}

function arrow(row: SequenceRow): string {
  const from = row.direction === "c2s" ? "C" : "S";
  const to = row.direction === "c2s" ? "S" : "C";
  const parts = [`[${row.number}] ${flagsInWords(row.flags)}`];
  if (row.seq !== undefined) parts.push(`seq=${row.seq}`);
  if (row.ack !== undefined && row.flags.includes(".")) parts.push(`ack=${row.ack}`);
  parts.push(`len=${row.length}`);
  const labels = row.labels.length > 0 ? ` [${row.labels.join(", ")}]` : "";
  const style = row.flags.includes("R") ? "-x" : "->>";
  return `  ${from}${style}${to}: ${safe(parts.join(" ") + labels)}`;
}

/** A `sequenceDiagram` block (without the ```mermaid fence). */
export function sequenceDiagram(rows: readonly SequenceRow[], options: SequenceOptions): string {
  const max = Math.max(6, options.maxArrows ?? 40);
  const lines = [
    "sequenceDiagram",
    `  participant C as Client ${safe(options.client)}`,
    `  participant S as Server ${safe(options.server)}`,
  ];
  if (rows.length <= max) {
    for (const row of rows) lines.push(arrow(row));
  } else {
    const head = Math.ceil(max / 2);
    const tail = max - head;
    for (const row of rows.slice(0, head)) lines.push(arrow(row));
    const skipped = rows.length - head - tail;
    lines.push(`  Note over C,S: … ${skipped} more packets (see the timeline) …`);
    for (const row of rows.slice(rows.length - tail)) lines.push(arrow(row));
  }
  return lines.join("\n");
}
