// Reliable, in-order delivery judged on the server's own account: the sequence numbers it printed as delivered
// (read with the manifest's `delivered` pattern) against the readings the client sent. Distinct reasons for
// missing, duplicated and out-of-order readings, as the UB and CS144 graders give them.

/** What the server delivered, compared with what it should have. */
export interface DeliveryVerdict {
  readonly ok: boolean;
  /** Expected readings never delivered. */
  readonly missing: readonly number[];
  /** Readings delivered more than once (each listed once). */
  readonly duplicates: readonly number[];
  /** The first place the order breaks: `value` delivered right after `previous`. */
  readonly outOfOrder: { readonly index: number; readonly previous: number; readonly value: number } | null;
  /** Delivered numbers nobody sent. */
  readonly unexpected: readonly number[];
}

/** Compares the delivered sequence with the expected one (every reading once, in increasing order). */
export function judgeDelivery(delivered: readonly number[], expected: readonly number[]): DeliveryVerdict {
  const want = new Set(expected);
  const seen = new Map<number, number>();
  for (const n of delivered) seen.set(n, (seen.get(n) ?? 0) + 1);
  const missing = expected.filter((n) => !seen.has(n));
  const duplicates = [...seen].filter(([, times]) => times > 1).map(([n]) => n);
  const unexpected = [...seen.keys()].filter((n) => !want.has(n));
  let outOfOrder: DeliveryVerdict["outOfOrder"] = null;
  for (let i = 1; i < delivered.length && outOfOrder === null; i++) {
    if (delivered[i]! < delivered[i - 1]!) {
      outOfOrder = { index: i, previous: delivered[i - 1]!, value: delivered[i]! };
    }
  }
  const ok =
    missing.length === 0 && duplicates.length === 0 && outOfOrder === null && unexpected.length === 0;
  return { ok, missing, duplicates, outOfOrder, unexpected };
}

/** A manifest's pattern as a JavaScript RegExp: Python's named groups `(?P<seq>…)` are accepted too. */
export function deliveredPattern(text: string): RegExp {
  return new RegExp(text.replace(/\(\?P</g, "(?<"));
}

/** The sequence numbers in a program's output, one per line matching `pattern` (group `seq`, else group 1). */
export function deliveredSequence(output: string, pattern: RegExp): number[] {
  const out: number[] = [];
  for (const line of output.split("\n")) {
    const match = pattern.exec(line);
    const text = match?.groups?.seq ?? match?.[1];
    if (text !== undefined && /^-?\d+$/.test(text)) out.push(Number(text));
  }
  return out;
}

/**
 * The delivered sequence a server printed: on its standard output, or, when none is there, on its standard
 * error (Python's `logging` writes there by default), with the stream it was read from.
 */
export function deliveredBy(
  output: { readonly stdout: string; readonly stderr: string },
  pattern: RegExp,
): { readonly delivered: number[]; readonly stream: "stdout" | "stderr" } {
  const stdout = deliveredSequence(output.stdout, pattern);
  if (stdout.length > 0) return { delivered: stdout, stream: "stdout" };
  const stderr = deliveredSequence(output.stderr, pattern);
  return stderr.length > 0 ? { delivered: stderr, stream: "stderr" } : { delivered: [], stream: "stdout" };
}

/** `0-3 5 7-8` for [0,1,2,3,5,7,8]. */
export function ranges(values: readonly number[]): string {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(" ");
}

/** One line saying what went wrong (or "every reading once, in order"). */
export function describeDelivery(verdict: DeliveryVerdict, delivered: readonly number[]): string {
  if (verdict.ok) return `every reading once, in order (${ranges(delivered)})`;
  const parts: string[] = [];
  if (verdict.missing.length > 0) parts.push(`missing ${ranges(verdict.missing)}`);
  if (verdict.duplicates.length > 0) parts.push(`delivered twice: ${ranges(verdict.duplicates)}`);
  if (verdict.outOfOrder) {
    parts.push(
      `out of order: ${verdict.outOfOrder.value} after ${verdict.outOfOrder.previous} (delivery #${verdict.outOfOrder.index + 1})`,
    );
  }
  if (verdict.unexpected.length > 0) parts.push(`never sent: ${ranges(verdict.unexpected)}`);
  const shown = delivered.slice(0, 30).join(", ");
  return `${parts.join("; ")} — delivered ${shown}${delivered.length > 30 ? ", …" : ""}`;
}
