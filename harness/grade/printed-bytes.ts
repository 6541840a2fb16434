// Whether a program printed bytes it received, read liberally: as text (UTF-8 or Latin-1), as Python shows
// bytes (`b'caf\xc3\xa9'`), with anything around it (labels, quotes, timestamps, logging prefixes) and on
// either stream. A stream received in several messages may be printed in several pieces (one line per
// reply), in order.
import { pythonBytesRepr } from "../protocol/index.ts";
import type { PrintedLine } from "./printed-values.ts";

/** The shortest piece of a payload looked for on its own when it is printed in pieces. */
const MIN_PIECE = 4;

/** The ways a payload may appear in a program's output, trimmed of blank ends. */
export function printedForms(bytes: Uint8Array): string[] {
  const forms = new Set<string>();
  const utf8 = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  forms.add(utf8.trim());
  forms.add(Buffer.from(bytes).toString("latin1").trim());
  forms.add(
    pythonBytesRepr(bytes)
      .slice(2, -1)
      .replace(/^(\\[nrt])+|(\\[nrt])+$/g, ""),
  );
  return [...forms].filter((f) => f !== "");
}

/** Whether `needle` appears in `haystack` whole, or as consecutive pieces in order (each ≥ MIN_PIECE). */
export function coveredInOrder(haystack: string, needle: string): boolean {
  if (haystack.includes(needle)) return true;
  let at = 0;
  let rest = needle;
  while (rest.length > 0) {
    // The longest prefix of what is left that appears at or after `at`.
    let lo = Math.min(MIN_PIECE, rest.length);
    if (haystack.indexOf(rest.slice(0, lo), at) < 0) {
      // A blank or a line break between pieces may be the program's own separator, not the payload's.
      if (/^\s/.test(rest)) {
        rest = rest.trimStart();
        continue;
      }
      return false;
    }
    let hi = rest.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (haystack.indexOf(rest.slice(0, mid), at) >= 0) lo = mid;
      else hi = mid - 1;
    }
    at = haystack.indexOf(rest.slice(0, lo), at) + lo;
    rest = rest.slice(lo);
  }
  return true;
}

/** The first line showing (part of) the payload when the output shows all of it, else null. */
export function findPrintedBytes(lines: readonly PrintedLine[], bytes: Uint8Array): PrintedLine | null {
  const forms = printedForms(bytes);
  if (forms.length === 0) return null;
  const text = lines.map((l) => l.text).join("\n");
  const form = forms.find((f) => coveredInOrder(text, f));
  if (!form) return null;
  const head = form.slice(0, Math.min(MIN_PIECE, form.length));
  return lines.find((l) => l.text.includes(head)) ?? lines[0] ?? null;
}
