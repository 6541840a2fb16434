// Task 1.4 — binary data packed with struct over TCP (localhost:10001, format `=iif`, values 1, 4, 2.7). The
// captured payload must be exactly struct.pack(format, *values); a byte-order mismatch between client and
// server is named, with the bytes read both ways. Note the handout calls `=` network byte order: it is native
// order with standard sizes (little-endian here); `!` is network (big-endian) order.

import {
  carrying,
  clientsExitCheck,
  crossRunCheck,
  crossRuns,
  defineTask,
  endOfInputAdvice,
  fail,
  findPrintedValues,
  handshakeCheck,
  matchesValues,
  orderlyCloseCheck,
  outputRefs,
  pass,
  type RunContext,
  type RunRecord,
  runOf,
  serverReadyCheck,
  streamBytes,
  swappedOrder,
  type TaskEvidence,
  taskCheck,
  tcpConversations,
  toStructValues,
  typedInputOption,
  valueChars,
  z,
} from "../harness/grade/index.ts";
import {
  formatTuple,
  formatValue,
  pack,
  parseStructFormat,
  type StructChar,
  type StructLayout,
  type StructValue,
  unpack,
} from "../harness/protocol/index.ts";
import { annotatedDump, type DumpField } from "../harness/report/hex-dump.ts";

const options = z
  .object({
    format: z
      .string()
      .default("=iif")
      .refine((f) => parseStructFormat(f).ok, { message: "not a valid struct format (e.g. '=iif', '!hhf')" }),
    values: z.array(z.union([z.number(), z.string(), z.boolean()])).default([1, 4, 2.7]),
    input: typedInputOption,
  })
  // The values must be what the format packs (as struct.pack would take them): the manifest is refused with
  // its line, rather than the task left ungraded.
  .superRefine((o, context) => {
    const layout = parseStructFormat(o.format);
    if (!layout.ok) return;
    const packed = pack(layout.value, toStructValues(layout.value, o.values));
    if (!packed.ok)
      context.addIssue({
        code: "custom",
        path: ["values"],
        message: `do not fit the format "${o.format}": ${packed.problem.message}`,
      });
  });
type Options = z.infer<typeof options>;

interface Declared {
  readonly layout: StructLayout;
  readonly values: StructValue[];
  readonly packed: Uint8Array;
  /** The format character of each value. */
  readonly chars: StructChar[];
}

function declared(evidence: TaskEvidence<Options>): Declared {
  return declaredFrom(evidence.env.entry.options);
}

function declaredFrom(o: Options): Declared {
  const layout = parseStructFormat(o.format);
  if (!layout.ok) throw new Error(`bad format ${o.format}`);
  const values = toStructValues(layout.value, o.values);
  const packed = pack(layout.value, values);
  if (!packed.ok) throw new Error(`the manifest's values do not fit ${o.format}: ${packed.problem.message}`);
  return {
    layout: layout.value,
    values,
    packed: packed.value,
    chars: valueChars(layout.value, values.length),
  };
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const tuple = (layout: StructLayout, values: readonly StructValue[]) => formatTuple(layout, values);

/** The bytes the client sent on the run's first connection. */
/** The connection that carried the client's bytes (not a refused first try to ::1). */
function dataConversation(run: RunRecord) {
  return carrying(tcpConversations(run), (c) => c.c2s.stream.length > 0);
}

function sentBytes(run: RunRecord): Uint8Array | null {
  const conv = dataConversation(run);
  return conv ? streamBytes(conv.c2s.stream) : null;
}

/** Waits (at most 2 s after the client ended) until the server has printed the declared values. */
function awaitServerValues(options: Options) {
  const d = declaredFrom(options);
  return async (ctx: RunContext) => {
    await ctx.server.waitForLines(
      (lines) => findPrintedValues(lines, d.values, d.chars) !== null,
      2000,
      "the server to print the unpacked values",
    );
  };
}

/** Where the server printed the declared values, read liberally (any readable rendering, in order). */
function serverPrinted(run: RunRecord, d: Declared) {
  return run.server ? findPrintedValues(run.server.outcome.lines, d.values, d.chars) : null;
}

function printedVerdict(run: RunRecord, d: Declared, who: string) {
  if (serverPrinted(run, d)) return null;
  return fail({
    message: `${who} did not print the declared values`,
    expected: `the values ${d.values.map((v, i) => formatValue(v, d.chars[i])).join(", ")} in this order, in any readable form (a tuple, "a=1 b=4 c=2.70", one per line…)`,
    actual: run.server ? outputSample(run.server.outcome.stdout, run.server.outcome.stderr) : "no server",
    evidence: run.server ? outputRefs(run, run.server) : [],
    help: "Read exactly struct.calcsize(format) bytes (loop on recv), unpack them with the client's format, and print the values.",
  });
}

function outputSample(stdout: string, stderr: string): string {
  const text = `${stdout}${stderr}`.trim();
  return text ? `"${text.slice(-300)}"` : "no output";
}

export default defineTask({
  id: "struct-binary",
  title: "Binary data with struct over TCP",
  section: "1.4",
  summary:
    "The client packs two integers and a float with struct.pack and sends them over TCP; the server unpacks " +
    "and prints them. socklab compares the captured bytes with struct.pack(format, *values), checks the " +
    "server's printed values, and names a byte-order mismatch. `=` means native byte order with standard " +
    "sizes (little-endian on x86), not network order — that is `!` (big-endian).",
  defaults: { host: "localhost", port: 10001 },
  init: { match: [["struct"], ["binary"], ["binario"], ["binaria"], ["pack"], ["packed"]], rank: 40 },
  options,
  runs: ({ entry, reference }) =>
    crossRuns({ entry, reference, protocol: "tcp", after: awaitServerValues(entry.options) }),
  checks: [
    serverReadyCheck({ points: 1 }),
    clientsExitCheck({ points: 1 }),
    handshakeCheck({ points: 1 }),
    taskCheck<Options>({
      id: "payload-packed",
      title: "the payload equals struct.pack(format, *values)",
      points: 2,
      dependsOn: "server-ready",
      run: (evidence) => {
        const run = runOf(evidence, "main");
        const d = declared(evidence);
        const sent = sentBytes(run);
        const format = d.layout.format;
        if (sent && hex(sent) === hex(d.packed)) {
          return pass(
            `the client sent ${sent.length} bytes ${hex(sent)} = struct.pack("${format}", ${d.values.map((v, i) => formatValue(v, valueChars(d.layout, d.values.length)[i])).join(", ")})`,
          );
        }
        const row = dataConversation(run)?.timeline?.find(
          (r) => r.direction === "c2s" && r.payloadLength > 0,
        );
        return fail({
          message: "the bytes on the wire are not struct.pack of the declared format and values",
          expected: `${d.packed.length} bytes ${hex(d.packed)} (struct.pack("${format}", …))`,
          actual: sent ? `${sent.length} bytes ${hex(sent)}` : "no payload from the client",
          evidence: row ? [{ kind: "packet", run: run.name, packet: row.number, summary: row.summary }] : [],
          help: `Pack with struct.pack("${format}", …) — the same format the server unpacks with — and send the result with sendall().`,
        });
      },
    }),
    taskCheck<Options>({
      id: "byte-order",
      title: "client and server agree on byte order",
      points: 1,
      dependsOn: "server-ready",
      run: (evidence) => {
        const run = runOf(evidence, "main");
        const d = declared(evidence);
        const sent = sentBytes(run);
        if (!sent || sent.length !== d.layout.size) {
          return fail({
            message: `the client sent ${sent?.length ?? 0} bytes, not the ${d.layout.size} of "${d.layout.format}"`,
            expected: `${d.layout.size} bytes`,
            actual: sent ? hex(sent) : "nothing",
            help: "struct.calcsize(format) bytes per message; both sides must use the same format.",
          });
        }
        const asDeclared = unpack(d.layout, sent);
        if (asDeclared.ok && matchesValues(asDeclared.value, d.values)) {
          return pass(
            `read with "${d.layout.format}" the bytes give ${tuple(d.layout, asDeclared.value)}, as declared`,
          );
        }
        const other = swappedOrder(d.layout);
        const asOther = other ? unpack(other, sent) : null;
        if (other && asOther?.ok && matchesValues(asOther.value, d.values)) {
          return fail({
            message: "byte-order mismatch: the client packed in the other byte order",
            expected: `"${d.layout.format}" (${d.layout.littleEndian ? "little" : "big"}-endian): ${hex(d.packed)}`,
            actual:
              `${hex(sent)} — read as "${d.layout.format}" it gives ${asDeclared.ok ? tuple(d.layout, asDeclared.value) : "an error"}; ` +
              `read as "${other.format}" (${other.littleEndian ? "little" : "big"}-endian) it gives ${tuple(other, asOther.value)}`,
            help: "Use the same byte-order prefix on both sides: `!` is network order (big-endian); `=` is the machine's native order (little-endian on x86), whatever the handout says.",
          });
        }
        return fail({
          message: "the bytes do not give the declared values in either byte order",
          expected: tuple(d.layout, d.values),
          actual: `${hex(sent)} → ${asDeclared.ok ? tuple(d.layout, asDeclared.value) : "cannot unpack"}`,
          help: "Check the format string and the values the client packs.",
        });
      },
    }),
    taskCheck<Options>({
      id: "server-values",
      title: "the server prints the values",
      points: 2,
      dependsOn: "server-ready",
      run: (evidence) => {
        const run = runOf(evidence, "main");
        const d = declared(evidence);
        const found = serverPrinted(run, d);
        if (found)
          return pass(
            `the server printed ${found.values.join(", ")} (${found.lines.map((l) => `${l.stream} line ${l.number}: "${l.text.slice(0, 80)}"`).join("; ")})`,
            found.lines.map((l) => ({
              kind: "output" as const,
              run: run.name,
              program: run.server!.role.name,
              stream: l.stream,
              line: l.number,
              text: l.text.slice(0, 300),
            })),
          );
        const verdict = printedVerdict(run, d, "the server");
        return verdict ?? fail({ message: "the server did not print the values" });
      },
    }),
    orderlyCloseCheck({ points: 1 }),
    crossRunCheck<Options>({
      id: "cross-reference-client",
      title: "the server unpacks the reference client's bytes",
      points: 1,
      run: "reference-client",
      proves: "the student's server printed the values the reference client packed",
      help: "Your server must read exactly calcsize(format) bytes and unpack them with the declared format.",
      judge: (run, evidence) => printedVerdict(run, declared(evidence), "the student's server"),
    }),
    crossRunCheck<Options>({
      id: "cross-reference-server",
      title: "the reference server unpacks the client's bytes",
      points: 1,
      run: "reference-server",
      studentIsClient: true,
      serverSideOnly: true,
      proves: "the reference server printed the values the student's client packed",
      help: "Pack with the declared format and values; the reference server unpacks them with that format.",
      judge: (run, evidence) => printedVerdict(run, declared(evidence), "the reference server"),
    }),
  ],
  advice: [endOfInputAdvice],
  sections: (evidence) => {
    const d = declared(evidence);
    const sent = sentBytes(runOf(evidence, "main"));
    const chars = valueChars(d.layout, d.values.length);
    const fields: DumpField[] = [];
    let v = 0;
    for (const item of d.layout.items) {
      if (item.char === "x") continue;
      const repeat = item.char === "s" || item.char === "p" ? 1 : item.count;
      for (let k = 0; k < repeat; k++, v++) {
        const offset = item.offset + k * item.itemSize;
        const value = sent && sent.length === d.layout.size ? unpack(d.layout, sent) : null;
        fields.push({
          name: `'${item.char}' value ${v + 1}`,
          offset,
          length: item.itemSize,
          ...(value?.ok ? { value: formatValue(value.value[v]!, chars[v]) } : {}),
        });
      }
    }
    const lines = [
      "## The payload, field by field",
      `Format \`${d.layout.format}\`: ${d.layout.littleEndian ? "little" : "big"}-endian, ${d.layout.size} bytes. ` +
        "`=` is native byte order with standard sizes (little-endian on x86), not network order; `!` (or `>`) is network order (big-endian).",
      `Expected bytes: \`${hex(d.packed)}\`.`,
      sent
        ? `Captured bytes (client → server):\n\n\`\`\`text\n${annotatedDump(sent, fields)}\n\`\`\``
        : "No payload was captured.",
    ];
    return [lines.join("\n\n")];
  },
});
