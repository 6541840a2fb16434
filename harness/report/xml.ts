// Escaping text for XML documents (JUnit reports, SVG plots): characters XML forbids removed, markup escaped.

// ANSI escape sequences, then characters XML 1.0 forbids (C0 controls but tab/newline/return, lone
// surrogates, U+FFFE/U+FFFF) and the discouraged DEL and C1 controls.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]/g;
const INVALID =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text safe for an XML element body. */
export function xmlText(text: string): string {
  return text
    .replace(ANSI, "")
    .replace(INVALID, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/** Text safe for a double-quoted XML attribute (line breaks and tabs kept as character references). */
export function xmlAttribute(text: string): string {
  return xmlText(text)
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\t/g, "&#9;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;");
}
