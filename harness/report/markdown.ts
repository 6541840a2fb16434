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

/**
 * Prose in a table cell: backslashes, pipes and brackets escaped (no link or image can start), `<` as an
 * entity (no HTML or autolink can start).
 */
function cellProse(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/[[\]]/g, (c) => `\\${c}`)
    .replace(/</g, "&lt;");
}

/**
 * Escapes text for a Markdown table cell: newlines, pipes, backslashes and HTML-ish angle brackets in its
 * prose; inside its code spans (made by `code`, whose contents show literally) only the pipes, which GFM
 * tables split on first. A code span is a backtick run closed by the next run of the same length, as
 * CommonMark reads it; every `<` outside one is escaped, so no tag can start before a span and swallow it.
 */
export function cell(value: unknown): string {
  if (value instanceof OwnMarkdown) return value.text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
  const text = visibleText(value === undefined || value === null ? "" : String(value)).replace(/\r?\n/g, " ");
  let out = "";
  let at = 0;
  for (const open of text.matchAll(/`+/g)) {
    const start = open.index;
    if (start < at) continue;
    const run = open[0];
    const close = closingRun(text, start + run.length, run.length);
    if (close === -1) continue;
    out += cellProse(text.slice(at, start));
    out += `${run}${text.slice(start + run.length, close).replace(/\|/g, "\\|")}${run}`;
    at = close + run.length;
  }
  return out + cellProse(text.slice(at));
}

/**
 * Markdown socklab wrote itself from its own names (a link to a report or capture beside it): a table cell
 * keeps it as it is. Never for text a student controls.
 */
export class OwnMarkdown {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Where the next backtick run of exactly `length` starts at or after `from`, or -1. */
function closingRun(text: string, from: number, length: number): number {
  const runs = /`+/g;
  runs.lastIndex = from;
  for (let m = runs.exec(text); m !== null; m = runs.exec(text)) {
    if (m[0].length === length) return m.index;
  }
  return -1;
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
