// Python source as logical lines of tokens, for `socklab init`'s reading of a submission (no Python needed):
// comments dropped, lines inside brackets and after a backslash joined, each string literal one token with
// its prefix (f, b, r…) and its text as written between the quotes. Lax by design: a file that would not
// parse still gives its lines.

export type Token =
  | { readonly kind: "name"; readonly text: string }
  | { readonly kind: "number"; readonly text: string }
  | { readonly kind: "string"; readonly text: string; readonly prefix: string }
  | { readonly kind: "op"; readonly text: string };

/** One logical line: its indentation (columns), the physical line it starts on (1-based) and its tokens. */
export interface LogicalLine {
  readonly indent: number;
  readonly line: number;
  readonly tokens: readonly Token[];
}

const TWO_CHAR_OPS = new Set([
  "==",
  "!=",
  "<=",
  ">=",
  "+=",
  "-=",
  "*=",
  "/=",
  "**",
  "//",
  "->",
  ":=",
  "<<",
  ">>",
]);
const NAME_START = /[\p{L}_]/u;
const NAME_CHAR = /[\p{L}\p{N}_]/u;
const STRING_PREFIX = /^(?:[rRbBuUfF]{1,2})$/;

/** Splits Python source into logical lines of tokens. */
export function logicalLines(source: string): LogicalLine[] {
  const lines: LogicalLine[] = [];
  const text = source.replace(/\r\n?/g, "\n");
  let i = 0;
  let lineNo = 1;
  let depth = 0;
  let current: Token[] = [];
  let indent = 0;
  let start = 1;
  let atLineStart = true;
  const flush = () => {
    if (current.length > 0) lines.push({ indent, line: start, tokens: current });
    current = [];
    atLineStart = true;
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (atLineStart && depth === 0) {
      let col = 0;
      while (text[i] === " " || text[i] === "\t") {
        col += text[i] === "\t" ? 8 - (col % 8) : 1;
        i++;
      }
      indent = col;
      start = lineNo;
      atLineStart = false;
      continue;
    }
    if (ch === "\n") {
      lineNo++;
      i++;
      if (depth === 0) flush();
      continue;
    }
    if (ch === " " || ch === "\t" || ch === "\f") {
      i++;
      continue;
    }
    if (ch === "#") {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (ch === "\\" && text[i + 1] === "\n") {
      i += 2;
      lineNo++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const read = readString(text, i, "");
      current.push(read.token);
      lineNo += read.newlines;
      i = read.end;
      continue;
    }
    if (NAME_START.test(ch)) {
      let j = i + 1;
      while (j < text.length && NAME_CHAR.test(text[j]!)) j++;
      const word = text.slice(i, j);
      if ((text[j] === '"' || text[j] === "'") && STRING_PREFIX.test(word)) {
        const read = readString(text, j, word.toLowerCase());
        current.push(read.token);
        lineNo += read.newlines;
        i = read.end;
        continue;
      }
      current.push({ kind: "name", text: word });
      i = j;
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === "." && /[0-9]/.test(text[i + 1] ?? ""))) {
      let j = i + 1;
      while (j < text.length && /[0-9A-Za-z_.]/.test(text[j]!)) {
        if ((text[j] === "e" || text[j] === "E") && (text[j + 1] === "-" || text[j + 1] === "+")) j++;
        j++;
      }
      current.push({ kind: "number", text: text.slice(i, j) });
      i = j;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      current.push({ kind: "op", text: two });
      i += 2;
      continue;
    }
    if ("([{".includes(ch)) depth++;
    if (")]}".includes(ch)) depth = Math.max(0, depth - 1);
    current.push({ kind: "op", text: ch });
    i++;
  }
  flush();
  return lines;
}

function readString(
  text: string,
  at: number,
  prefix: string,
): { token: Token; end: number; newlines: number } {
  const quote = text[at]!;
  const triple = text.slice(at, at + 3) === quote.repeat(3);
  const close = triple ? quote.repeat(3) : quote;
  const raw = prefix.includes("r");
  let j = at + close.length;
  let newlines = 0;
  while (j < text.length) {
    if (text[j] === "\\" && !raw) {
      if (text[j + 1] === "\n") newlines++;
      j += 2;
      continue;
    }
    if (text.startsWith(close, j)) break;
    if (text[j] === "\n") {
      if (!triple) break;
      newlines++;
    }
    j++;
  }
  const body = text.slice(at + close.length, j);
  const end = text.startsWith(close, j) ? j + close.length : j;
  return { token: { kind: "string", text: body, prefix }, end, newlines };
}
