// Small pure helpers for writing Markdown: escaped table cells, tables, code spans and fenced blocks. What a
// student's program printed goes through them inert: control characters shown as `\xNN` (a report opened in
// a terminal runs no escape sequence), fences longer than any backtick run inside, long lines cut.

/** The longest line a report shows; longer ones are cut and the cut is said. */
export const MAX_LINE = 1000;

/** Shows control characters (but line breaks and tabs) as `\xNN`, so text cannot drive a terminal. */
export function visibleText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, (c) =>
    c === "\r" ? "" : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
}

/** Cuts every line longer than `max` characters, saying how much was cut. */
export function cutLongLines(text: string, max = MAX_LINE): string {
  return text.replace(
    new RegExp(`[^\\n]{${max + 1},}`, "g"),
    (line) =>
      `${line.slice(0, max)}… (line cut: ${(line.length - max).toLocaleString("en")} more characters)`,
  );
}

/** Escapes text for a Markdown table cell (pipes, newlines, HTML-ish angle brackets). */
export function cell(value: unknown): string {
  const text = value === undefined || value === null ? "" : String(value);
  return visibleText(text)
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/</g, "&lt;")
    .replace(/\r?\n/g, " ");
}

/** A Markdown table from a header row and data rows (cells are escaped). */
export function table(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const head = `| ${headers.map(cell).join(" | ")} |`;
  const rule = `| ${headers.map(() => "---").join(" | ")} |`;
  const body = rows.map((row) => `| ${headers.map((_, i) => cell(row[i])).join(" | ")} |`);
  return [head, rule, ...body].join("\n");
}

/** Inline code that survives backticks inside the text: its fence is longer than any backtick run in it. */
export function code(text: string): string {
  const shown = cutLongLines(visibleText(text)).replace(/\r?\n/g, " ");
  const longest = Math.max(0, ...[...shown.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = shown.startsWith("`") || shown.endsWith("`") ? " " : "";
  return `${fence}${pad}${shown}${pad}${fence}`;
}

/** A fenced code block with an optional language: control characters visible, long lines cut. */
export function fenced(text: string, language = ""): string {
  const shown = cutLongLines(visibleText(text));
  const longest = Math.max(2, ...[...shown.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${language}\n${shown.replace(/\n$/, "")}\n${fence}`;
}

/** Formats a byte count with thousands separators. */
export function bytes(n: number): string {
  return n.toLocaleString("en-US");
}

/** A percentage with one decimal, or "–" when the whole is zero. */
export function percent(part: number, whole: number): string {
  return whole === 0 ? "–" : `${((100 * part) / whole).toFixed(1)} %`;
}
