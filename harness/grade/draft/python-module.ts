// One Python file as `socklab init` reads it: its module-level statements, its top-level functions and
// classes, what it imports, its constants, and whether it is run as a program. Built on logical lines only.
import { type LogicalLine, logicalLines, type Token } from "./python-lexer.ts";

/** An `import` statement: the module named, and the names taken from it (`*` for all). */
export interface PythonImport {
  readonly module: string;
  /** For `import a.b as c`: c (else the first part, a). */
  readonly alias: string | null;
  /** For `from a import x as y`: [{name: x, as: y}]; null for a plain `import`. */
  readonly names: readonly { readonly name: string; readonly as: string }[] | "*" | null;
}

export interface PythonModule {
  /** The file's path inside the submission, with forward slashes. */
  readonly path: string;
  readonly lines: readonly LogicalLine[];
  /** Statements outside every top-level def and class (what runs on import), without the main guard. */
  readonly body: readonly LogicalLine[];
  /** The block under `if __name__ == "__main__":`. */
  readonly mainGuard: readonly LogicalLine[];
  /** Top-level functions and classes by name, each with its header line. */
  readonly defs: ReadonlyMap<string, readonly LogicalLine[]>;
  readonly imports: readonly PythonImport[];
  /** Module-level and class-level `NAME = value` assignments: the value's tokens (the last assignment). */
  readonly constants: ReadonlyMap<string, readonly Token[]>;
}

const isName = (t: Token | undefined, text?: string): boolean =>
  t?.kind === "name" && (text === undefined || t.text === text);

/** The block of lines after `lines[at]` that are indented deeper than it. */
function blockAfter(lines: readonly LogicalLine[], at: number): LogicalLine[] {
  const head = lines[at]!;
  const block: LogicalLine[] = [];
  for (let j = at + 1; j < lines.length && lines[j]!.indent > head.indent; j++) block.push(lines[j]!);
  return block;
}

function isMainGuard(line: LogicalLine): boolean {
  const t = line.tokens;
  return (
    isName(t[0], "if") &&
    t.some((x) => isName(x, "__name__")) &&
    t.some((x) => x.kind === "string" && x.text === "__main__")
  );
}

function defName(line: LogicalLine): string | null {
  const t = line.tokens;
  const at = isName(t[0], "async") ? 1 : 0;
  if ((isName(t[at], "def") || isName(t[at], "class")) && t[at + 1]?.kind === "name") return t[at + 1]!.text;
  return null;
}

function dotted(tokens: readonly Token[], from: number): { name: string; next: number } {
  let name = "";
  let j = from;
  // leading dots of a relative import, then name (. name)*
  while (tokens[j]?.kind === "op" && tokens[j]!.text === ".") name += tokens[j++]!.text;
  while (tokens[j]?.kind === "name") {
    name += tokens[j++]!.text;
    if (!(tokens[j]?.kind === "op" && tokens[j]!.text === "." && tokens[j + 1]?.kind === "name")) break;
    name += tokens[j++]!.text;
  }
  return { name, next: j };
}

function parseImport(line: LogicalLine): PythonImport[] {
  const t = line.tokens;
  if (isName(t[0], "import")) {
    const out: PythonImport[] = [];
    let j = 1;
    while (j < t.length) {
      const { name, next } = dotted(t, j);
      j = next;
      let alias: string | null = name.split(".")[0] ?? null;
      if (isName(t[j], "as") && t[j + 1]?.kind === "name") {
        alias = t[j + 1]!.text;
        j += 2;
      }
      if (name) out.push({ module: name, alias, names: null });
      if (t[j]?.kind === "op" && t[j]!.text === ",") j++;
      else break;
    }
    return out;
  }
  if (isName(t[0], "from")) {
    const { name, next } = dotted(t, 1);
    if (!isName(t[next], "import")) return [];
    const rest = t.slice(next + 1).filter((x) => !(x.kind === "op" && (x.text === "(" || x.text === ")")));
    if (rest[0]?.kind === "op" && rest[0].text === "*") return [{ module: name, alias: null, names: "*" }];
    const names: { name: string; as: string }[] = [];
    for (let j = 0; j < rest.length; j++) {
      const x = rest[j]!;
      if (x.kind !== "name") continue;
      if (isName(rest[j + 1], "as") && rest[j + 2]?.kind === "name") {
        names.push({ name: x.text, as: rest[j + 2]!.text });
        j += 2;
      } else names.push({ name: x.text, as: x.text });
    }
    return [{ module: name, alias: null, names }];
  }
  return [];
}

/** `NAME = value` (not `==`, not a tuple target): the name and the value's tokens. */
export function assignment(line: LogicalLine): { name: string; value: readonly Token[] } | null {
  const t = line.tokens;
  if (t[0]?.kind !== "name") return null;
  let j = 1;
  if (t[1]?.kind === "op" && t[1].text === ":") {
    // an annotation, `NAME: str = value`
    j = t.findIndex((x) => x.kind === "op" && x.text === "=");
    if (j < 0) return null;
  }
  if (t[j]?.kind === "op" && t[j]!.text === "=") return { name: t[0].text, value: t.slice(j + 1) };
  return null;
}

/** `A, B = 1, 2`: each name with its value's tokens (nothing for any other line). */
function tupleAssignment(line: LogicalLine): [string, Token[]][] {
  const t = line.tokens;
  const eq = t.findIndex((x) => x.kind === "op" && x.text === "=");
  if (eq < 3) return [];
  const split = (tokens: readonly Token[]) => {
    const parts: Token[][] = [[]];
    let depth = 0;
    for (const x of tokens) {
      if (x.kind === "op" && "([{".includes(x.text)) depth++;
      if (x.kind === "op" && ")]}".includes(x.text)) depth--;
      if (depth === 0 && x.kind === "op" && x.text === ",") parts.push([]);
      else parts[parts.length - 1]!.push(x);
    }
    return parts;
  };
  const names = split(t.slice(0, eq));
  const values = split(t.slice(eq + 1));
  if (names.length < 2 || names.length !== values.length) return [];
  if (!names.every((n) => n.length === 1 && n[0]!.kind === "name")) return [];
  return names.map((n, i) => [n[0]!.text, values[i]!]);
}

/** Reads one Python file. */
export function readPythonModule(path: string, source: string): PythonModule {
  const lines = logicalLines(source);
  const body: LogicalLine[] = [];
  const mainGuard: LogicalLine[] = [];
  const defs = new Map<string, LogicalLine[]>();
  const imports: PythonImport[] = [];
  const constants = new Map<string, readonly Token[]>();
  const topIndent = lines[0]?.indent ?? 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    imports.push(...parseImport(line));
    if (line.indent !== topIndent) continue;
    const name = defName(line);
    const block = blockAfter(lines, i);
    if (name) {
      defs.set(name, [line, ...block]);
      if (isName(line.tokens[0], "class")) {
        const inner = block[0]?.indent;
        for (const b of block) {
          const a = b.indent === inner ? assignment(b) : null;
          if (a) constants.set(a.name, a.value);
        }
      }
      i += block.length;
      continue;
    }
    if (isMainGuard(line)) {
      mainGuard.push(...block);
      i += block.length;
      continue;
    }
    const a = assignment(line);
    if (a) constants.set(a.name, a.value);
    for (const [name, value] of tupleAssignment(line)) constants.set(name, value);
    body.push(line, ...block);
    i += block.length;
  }
  return { path, lines, body, mainGuard, defs, imports, constants };
}
