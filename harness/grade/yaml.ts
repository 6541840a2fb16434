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
  return { ok: true, value: doc.toJS() };
}

/** A YAML text for a plain value (used by `socklab init`). */
export { stringify as toYaml } from "yaml";
