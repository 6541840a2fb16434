// The reliable task's `delivered:` pattern, drafted from the line the server prints for each delivered
// reading: `print(f"delivered seq={seq} ...")` → 'delivered seq=(?<seq>\d+)'. Lines that say a reading
// was a duplicate, received, buffered or acknowledged are not deliveries; when no line says "delivered"
// (or its Spanish, Catalan, French words) the default stays, and the student is told.
import type { PrintedNumber } from "./program-facts.ts";

const DELIVERY = /deliver|entreg|lliur|livr|consum|procesad|accept|acept/i;
const NOT_DELIVERY =
  /dup|retrans|ignor|drop|descart|recib|receiv|recv|got|buffer|guard|fuera|out of order|ahead|ack|sent|send|envi|waiting|espera|reply|respuesta/i;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** The `delivered:` pattern for a server's numbered lines, or null with the reason. */
export function deliveredPattern(
  printed: readonly PrintedNumber[],
  sequence: string | null,
): { pattern: string; from: string } | { pattern: null; why: string } {
  const numbered = printed.filter(
    (p) => sequence === null || p.variable === sequence || /seq/i.test(p.variable),
  );
  const says = (text: string) => DELIVERY.test(text) && !NOT_DELIVERY.test(text.replace(DELIVERY, ""));
  // "delivered seq={seq}" (the word before the number), else "reading {seq} delivered" (after it)
  const before = numbered.find((p) => says(p.before));
  const after = before ? undefined : numbered.find((p) => says(p.after) && !NOT_DELIVERY.test(p.before));
  const found = before ?? after;
  if (!found) return { pattern: null, why: "no line of the server says it delivered a numbered reading" };
  // what closes an earlier field ("[{now}] delivered") is not part of the delivery text
  const lead = found.before.replace(/^[\s\])}>:,;|-]+/, "");
  const tail = after ? (new RegExp(`^.*?(?:${DELIVERY.source})\\w*`, "i").exec(found.after)?.[0] ?? "") : "";
  const pattern = `${escapeRegex(lead)}(?<seq>\\d+)${escapeRegex(tail)}`;
  try {
    new RegExp(pattern);
  } catch {
    return { pattern: null, why: "the delivery line could not be turned into a pattern" };
  }
  return { pattern, from: `${lead}{${found.variable}}${tail}` };
}
