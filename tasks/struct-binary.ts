// Task 1.4 — binary data packed with struct over TCP (localhost:10001, format `=iif`, values 1, 4, 2.7). The
// captured payload must be exactly struct.pack(format, *values); a byte-order mismatch between client and
// server is named, with the bytes read both ways. Note the handout calls `=` network byte order: it is native
// order with standard sizes (little-endian here); `!` is network (big-endian) order.

import {
  clientsExitCheck,
  crossRunCheck,
  crossRuns,
  defineTask,
  fail,
  handshakeCheck,
  matchesValues,
  orderlyCloseCheck,
  outputRefs,
  pass,
  printedTuple,
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
  valueChars,
  z,
} from "../harness/grade/index.ts";
import {
  formatTuple,
  formatValue,
  pack,
  parseStructFormat,
  type StructLayout,
  type StructValue,
  unpack,
} from "../harness/protocol/index.ts";
import { annotatedDump, type DumpField } from "../harness/report/hex-dump.ts";

const options = z.object({
  format: z
    .string()
    .default("=iif")
    .refine((f) => parseStructFormat(f).ok, { message: "not a valid struct format (e.g. '=iif', '!hhf')" }),
  values: z.array(z.union([z.number(), z.string(), z.boolean()])).default([1, 4, 2.7]),
});
type Options = z.infer<typeof options>;

interface Declared {
  readonly layout: StructLayout;
  readonly values: StructValue[];
  readonly packed: Uint8Array;
}

function declared(evidence: TaskEvidence<unknown>): Declared {
  const o = evidence.env.entry.options as Options;
  const layout = parseStructFormat(o.format);
  if (!layout.ok) throw new Error(`bad format ${o.format}`);
  const values = toStructValues(layout.value, o.values);
  const packed = pack(layout.value, values);
  if (!packed.ok) throw new Error(`the manifest's values do not fit ${o.format}: ${packed.problem.message}`);
  return { layout: layout.value, values, packed: packed.value };
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const tuple = (layout: StructLayout, values: readonly StructValue[]) => formatTuple(layout, values);

/** The bytes the client sent on the run's first connection. */
function sentBytes(run: RunRecord): Uint8Array | null {
  const conv = tcpConversations(run)[0];
  return conv ? streamBytes(conv.c2s.stream) : null;
}

async function awaitServerValues(ctx: RunContext): Promise<void> {
  await ctx.server.waitForOutput(/\(.*\)/, 2000, "the server to print the unpacked values");
}

/** The server printed the declared values (float32 rounding allowed). */
function serverPrinted(run: RunRecord, d: Declared) {
  const printed = run.server ? printedTuple(run.server.outcome.stdout, d.values.length) : null;
  return { ok: matchesValues(printed, d.values), printed };
}

function printedVerdict(run: RunRecord, d: Declared, who: string) {
  const { ok, printed } = serverPrinted(run, d);
  if (ok) return null;
  return fail({
    message: `${who} did not print the declared values`,
    expected: tuple(d.layout, d.values),
    actual: printed ? `(${printed.join(", ")})` : "no tuple in its output",
    evidence: run.server ? outputRefs(run, run.server) : [],
  });
}

export default defineTask<Options>({
  id: "struct-binary",
  title: "Binary data with struct over TCP",
  section: "1.4",
  summary:
    "The client packs two integers and a float with struct.pack and sends them over TCP; the server unpacks " +
    "and prints them. socklab compares the captured bytes with struct.pack(format, *values), checks the " +
    "server's printed values, and names a byte-order mismatch. `=` means native byte order with standard " +
    "sizes (little-endian on x86), not network order — that is `!` (big-endian).",
  defaults: { host: "localhost", port: 10001 },
  options,
  runs: ({ entry, reference }) => crossRuns({ entry, reference, protocol: "tcp", after: awaitServerValues }),
  checks: [
    serverReadyCheck({ points: 1 }),
    clientsExitCheck({ points: 1 }),
    handshakeCheck({ points: 1 }),
    taskCheck({
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
        const row = tcpConversations(run)[0]?.timeline?.find(
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
    taskCheck({
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
        if (
          asDeclared.ok &&
          matchesValues(
            asDeclared.value.map(String),
            d.values.map((v) => (typeof v === "number" ? v : v)),
          )
        ) {
          return pass(
            `read with "${d.layout.format}" the bytes give ${tuple(d.layout, asDeclared.value)}, as declared`,
          );
        }
        const other = swappedOrder(d.layout);
        const asOther = other ? unpack(other, sent) : null;
        if (other && asOther?.ok && matchesValues(asOther.value.map(String), d.values)) {
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
    taskCheck({
      id: "server-values",
      title: "the server prints the values",
      points: 2,
      dependsOn: "server-ready",
      run: (evidence) => {
        const run = runOf(evidence, "main");
        const d = declared(evidence);
        const { ok, printed } = serverPrinted(run, d);
        if (ok)
          return pass(
            `the server printed (${printed!.join(", ")})`,
            run.server ? outputRefs(run, run.server, /\(/) : [],
          );
        return fail({
          message: "the server did not print the values the client packed",
          expected: `${tuple(d.layout, d.values)} (float32 rounding such as 2.700000047683716 is fine)`,
          actual: printed
            ? `(${printed.join(", ")})`
            : run.server?.outcome.stdout.trim().slice(0, 200) || "no output",
          evidence: run.server ? outputRefs(run, run.server) : [],
          help: "Read exactly struct.calcsize(format) bytes (loop on recv), unpack them with the client's format, and print the tuple.",
        });
      },
    }),
    orderlyCloseCheck({ points: 1 }),
    crossRunCheck({
      id: "cross-reference-client",
      title: "the server unpacks the reference client's bytes",
      points: 1,
      run: "reference-client",
      proves: "the student's server printed the values the reference client packed",
      help: "Your server must read exactly calcsize(format) bytes and unpack them with the declared format.",
      judge: (run, evidence) => printedVerdict(run, declared(evidence), "the student's server"),
    }),
    crossRunCheck({
      id: "cross-reference-server",
      title: "the reference server unpacks the client's bytes",
      points: 1,
      run: "reference-server",
      studentIsClient: true,
      proves: "the reference server printed the values the student's client packed",
      help: "Pack with the declared format and values; the reference server unpacks them with that format.",
      judge: (run, evidence) => printedVerdict(run, declared(evidence), "the reference server"),
    }),
  ],
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
