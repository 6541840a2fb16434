// A difference between tshark's view of a capture and socklab's analysis document of it, and the readable
// list the tests and the comparer's command line print.

/** One value on which socklab and tshark differ. */
export interface Discrepancy {
  readonly scope: "frame" | "conversation" | "capture";
  /** "frame 14", "tcp stream 2", "udp 10.0.0.1:5000 <-> 10.0.0.2:5005 from 0.012000000 s", "capture". */
  readonly where: string;
  /** tshark's field (or the name of the comparison). */
  readonly field: string;
  readonly tshark: unknown;
  readonly socklab: unknown;
}

const show = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

/**
 * The discrepancies as text: a count per field, then for each field its first `limit` occurrences with both
 * values (frames in file order).
 */
export function formatDiscrepancies(name: string, list: readonly Discrepancy[], limit = 5): string {
  if (list.length === 0) return `${name}: no discrepancies`;
  const byField = new Map<string, Discrepancy[]>();
  for (const d of list) byField.set(d.field, [...(byField.get(d.field) ?? []), d]);
  const lines = [`${name}: ${list.length} discrepancies`];
  for (const [field, items] of byField) {
    lines.push(`  ${field}: ${items.length}`);
    for (const d of items.slice(0, limit))
      lines.push(`    ${d.where}: tshark ${show(d.tshark)} | socklab ${show(d.socklab)}`);
    if (items.length > limit) lines.push(`    … ${items.length - limit} more`);
  }
  return lines.join("\n");
}
