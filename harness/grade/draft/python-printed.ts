// The lines a Python program prints with a sequence number in them — f-strings, %-formats, .format() and
// concatenations — as the text around the number, so that `socklab init` can draft the reliable task's
// `delivered:` pattern. A helper that returns such a line (`describe()` → "seq=3 …") gives its text to
// the caller that prefixes it (`"delivered " + describe(r)` → "delivered seq=3 …").
import type { PrintedNumber } from "./program-facts.ts";
import type { LogicalLine, Token } from "./python-lexer.ts";
import type { PythonProgram } from "./python-program.ts";
import { isSequenceName } from "./python-struct.ts";
import { isDocstring, isName, isOp, splitTopLevel } from "./python-tokens.ts";

interface Piece {
  readonly text: string;
  /** The expression of a field ({seq}, %d's argument), null for literal text. */
  readonly field: string | null;
}

/** An f-string's text as literal pieces and fields. */
function fStringPieces(text: string): Piece[] {
  const pieces: Piece[] = [];
  let literal = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if ((c === "{" || c === "}") && text[i + 1] === c) {
      literal += c;
      i++;
      continue;
    }
    if (c !== "{") {
      literal += c;
      continue;
    }
    let depth = 1;
    let j = i + 1;
    while (j < text.length && depth > 0) {
      if (text[j] === "{") depth++;
      if (text[j] === "}") depth--;
      j++;
    }
    pieces.push({ text: literal, field: null });
    literal = "";
    const expr = text.slice(i + 1, j - 1).replace(/(?:![rsa])?(?::[^}]*)?$/, "");
    pieces.push({ text: "", field: expr.trim() });
    i = j - 1;
  }
  pieces.push({ text: literal, field: null });
  return pieces;
}

/** A %-format or .format() string as pieces, its fields named by the arguments given. */
function formatPieces(text: string, args: readonly string[], style: "%" | "{}"): Piece[] {
  const pieces: Piece[] = [];
  const pattern = style === "%" ? /%[-+ #0-9.]*[diusfrx%]/g : /\{[^{}]*\}/g;
  let last = 0;
  let k = 0;
  for (const m of text.matchAll(pattern)) {
    if (m[0] === "%%") continue;
    pieces.push({ text: text.slice(last, m.index), field: null });
    const named = style === "{}" ? m[0].slice(1, -1).split(/[:!]/)[0]! : "";
    const index = /^\d+$/.test(named) ? Number(named) : k;
    pieces.push({ text: "", field: named && !/^\d+$/.test(named) ? named : (args[index] ?? "") });
    k++;
    last = (m.index ?? 0) + m[0].length;
  }
  pieces.push({ text: text.slice(last), field: null });
  return pieces;
}

const lastName = (expr: string) => /([A-Za-z_]\w*)\s*(?:\)|\])*\s*$/.exec(expr)?.[1] ?? "";

/** A printed number, and whether its text before starts the line (no field printed before it). */
interface Found extends PrintedNumber {
  readonly fromStart: boolean;
}

/** The numbers printed in a string's pieces: the literal text just before and after a sequence field. */
function numbersIn(pieces: readonly Piece[], helpers: ReadonlyMap<string, readonly Found[]>): Found[] {
  const found: Found[] = [];
  let before = "";
  let fromStart = true;
  for (const [i, piece] of pieces.entries()) {
    if (piece.field === null) {
      before += piece.text;
      continue;
    }
    const call = /^([A-Za-z_]\w*)\s*\(/.exec(piece.field)?.[1];
    const helped = call ? helpers.get(call) : undefined;
    const after = pieces[i + 1]?.field === null ? pieces[i + 1]!.text : "";
    for (const h of helped ?? [])
      found.push(h.fromStart ? { ...h, before: before + h.before, fromStart } : { ...h, fromStart: false });
    if (!helped && isSequenceName(lastName(piece.field)))
      found.push({ before, after, variable: lastName(piece.field), fromStart });
    before = "";
    fromStart = false;
  }
  return found;
}

function argNames(tokens: readonly Token[]): string[] {
  return splitTopLevel(tokens).map((a) => {
    const names = a.filter((t) => t.kind === "name");
    const first = names[0]?.text ?? "";
    const call = a.length > 1 && isOp(a[1], "(") ? `${first}(` : null;
    return call ?? names[names.length - 1]?.text ?? "";
  });
}

/** The string pieces a line builds, for each string in it. */
function linePieces(line: LogicalLine): Piece[][] {
  // "a" "b": Python joins adjacent literals into one
  const t: Token[] = [];
  for (const token of line.tokens) {
    const last = t[t.length - 1];
    if (token.kind === "string" && last?.kind === "string")
      t[t.length - 1] = { kind: "string", text: last.text + token.text, prefix: last.prefix + token.prefix };
    else t.push(token);
  }
  const out: Piece[][] = [];
  for (let i = 0; i < t.length; i++) {
    const token = t[i]!;
    if (token.kind !== "string" || token.prefix.includes("b")) continue;
    if (token.prefix.includes("f")) {
      out.push(fStringPieces(token.text));
      continue;
    }
    const next = t[i + 1];
    if (isOp(next, "%")) {
      const rest = t.slice(i + 2);
      const args = isOp(rest[0], "(") ? argNames(rest.slice(1, -1)) : argNames(rest.slice(0, 1));
      out.push(formatPieces(token.text, args, "%"));
    } else if (isOp(next, ".") && isName(t[i + 2], "format") && isOp(t[i + 3], "(")) {
      out.push(formatPieces(token.text, argNames(t.slice(i + 4, -1)), "{}"));
    } else if (isOp(next, "+")) {
      const rest = t.slice(i + 2);
      const name = rest[0]?.kind === "name" ? rest[0].text : "";
      const call = isOp(rest[1], "(") ? `${name}(` : null;
      const field =
        call && (name === "str" || name === "repr")
          ? rest[2]?.kind === "name"
            ? rest[2].text
            : ""
          : (call ?? name);
      out.push([
        { text: token.text, field: null },
        { text: "", field },
      ]);
    } else if (/%[-+ #0-9.]*[dius]/.test(token.text) && isOp(next, ",")) {
      // logging.info("delivered seq=%d", seq)
      out.push(formatPieces(token.text, argNames(t.slice(i + 2, -1)), "%"));
    }
  }
  return out;
}

/** Every line the program's code prints (or returns to print) with a sequence number in it. */
export function pythonPrinted(program: PythonProgram): PrintedNumber[] {
  const defOf = new Map<LogicalLine, string>();
  for (const m of [program.module, ...program.imported])
    for (const [name, lines] of m.defs) for (const line of lines) defOf.set(line, name);
  const lines = program.lines.filter((l) => !isDocstring(l));
  // Helpers first: a function whose return builds a numbered line, so that callers can prefix it.
  const helpers = new Map<string, Found[]>();
  for (let round = 0; round < 3; round++) {
    for (const line of lines) {
      const def = defOf.get(line);
      if (!def || !isName(line.tokens[0], "return")) continue;
      const found = linePieces(line).flatMap((p) => numbersIn(p, helpers));
      if (found.length > 0) helpers.set(def, found);
    }
  }
  return lines.flatMap((line) =>
    linePieces(line).flatMap((p) =>
      numbersIn(p, helpers).map(({ before, after, variable }) => ({ before, after, variable })),
    ),
  );
}
