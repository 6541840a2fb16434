// The adapter for the yaml package (the only file that imports it): parse a document, or say where it broke.
import { parseDocument } from "yaml";

/** The parsed value, or a message naming the line and column of the first syntax error. */
export function parseYaml(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  // prettyErrors adds the line and column (and a quoted excerpt, dropped here: one line is the rule).
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const where = error.linePos?.[0];
    const at = where ? `line ${where.line}, column ${where.col}: ` : "";
    const first = (error.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
    return { ok: false, message: `${at}${first}` };
  }
  try {
    // The yaml package refuses to expand a document whose aliases multiply without end ("billion laughs").
    return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `cannot be read: ${message} (aliases that expand without end)` };
  }
}

/** A YAML text for a plain value (used by `socklab init`). */
export { stringify as toYaml } from "yaml";
