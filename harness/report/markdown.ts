// Small pure helpers for writing Markdown: escaped table cells, tables, code spans and fenced blocks.

/** Escapes text for a Markdown table cell (pipes, newlines, HTML-ish angle brackets). */
export function cell(value: unknown): string {
  const text = value === undefined || value === null ? "" : String(value);
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/\r?\n/g, " ");
}

/** A Markdown table from a header row and data rows (cells are escaped). */
export function table(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const head = `| ${headers.map(cell).join(" | ")} |`;
  const rule = `| ${headers.map(() => "---").join(" | ")} |`;
  const body = rows.map((row) => `| ${headers.map((_, i) => cell(row[i])).join(" | ")} |`);
  return [head, rule, ...body].join("\n");
}

/** Inline code that survives backticks inside the text. */
export function code(text: string): string {
  const fence = text.includes("`") ? "``" : "`";
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A fenced code block with an optional language. */
export function fenced(text: string, language = ""): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${language}\n${text.replace(/\n$/, "")}\n${fence}`;
}

/** Formats a byte count with thousands separators. */
export function bytes(n: number): string {
  return n.toLocaleString("en-US");
}

/** A percentage with one decimal, or "–" when the whole is zero. */
export function percent(part: number, whole: number): string {
  return whole === 0 ? "–" : `${((100 * part) / whole).toFixed(1)} %`;
}
