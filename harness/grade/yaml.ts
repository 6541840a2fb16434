// The adapter for the yaml package (the only file that imports it): parse a document, or say where it broke.
import { isNode, LineCounter, parseDocument } from "yaml";

/** Where a key's value starts in the text, 1-based. */
export interface YamlPosition {
  readonly line: number;
  readonly column: number;
}

/**
 * The parsed value, with where each key path is in the text (`tasks.struct-binary.values`; a key that is not
 * there: where its nearest written parent is), or a message naming the line and column of the first syntax
 * error.
 */
export function parseYaml(
  text: string,
):
  | { ok: true; value: unknown; position(path: string): YamlPosition | null }
  | { ok: false; message: string } {
  const lines = new LineCounter();
  // prettyErrors adds the line and column (and a quoted excerpt, dropped here: one line is the rule).
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, lineCounter: lines });
  const error = doc.errors[0];
  if (error) {
    const where = error.linePos?.[0];
    const at = where ? `line ${where.line}, column ${where.col}: ` : "";
    const first = (error.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
    return { ok: false, message: `${at}${first}` };
  }
  try {
    // The yaml package refuses to expand a document whose aliases multiply without end ("billion laughs").
    const value = doc.toJS({ maxAliasCount: 100 });
    const position = (path: string): YamlPosition | null => {
      const parts = path.split(/\.|(?=\[)/).map((p) => (/^\[\d+\]$/.test(p) ? Number(p.slice(1, -1)) : p));
      for (let n = parts.length; n > 0; n--) {
        const node = doc.getIn(parts.slice(0, n), true);
        if (!isNode(node) || !node.range) continue;
        const { line, col } = lines.linePos(node.range[0]);
        return { line, column: col };
      }
      return null;
    };
    return { ok: true, value, position };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `cannot be read: ${message} (aliases that expand without end)` };
  }
}

/** A YAML text for a plain value (used by `socklab init`). */
export { stringify as toYaml } from "yaml";
