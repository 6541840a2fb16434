// The struct formats a Python program packs and unpacks, wherever the format is written: a literal, a
// module-level constant (`FMT = "!BHIf"`, also imported from a shared module), a `struct.Struct(...)`
// object, or a variable that falls back to one of those. Each use keeps the names of the values packed
// (`struct.pack(FMT, kind, sensor, seq, temp)`) or unpacked into (`kind, sensor, seq, temp = ...`).
import { parseStructFormat } from "../../protocol/index.ts";
import type { StructUse } from "./program-facts.ts";
import type { LogicalLine, Token } from "./python-lexer.ts";
import { assignment } from "./python-module.ts";
import type { PythonProgram } from "./python-program.ts";
import {
  allCalls,
  callsIn,
  isName,
  isOp,
  literalOf,
  nameOf,
  soleName,
  splitTopLevel,
} from "./python-tokens.ts";

interface Resolved {
  readonly format: string;
  readonly via: string | null;
}

function validFormat(text: string): boolean {
  const parsed = parseStructFormat(text);
  return parsed.ok && parsed.value.valueCount > 0;
}

/** Finds what a format expression stands for: a literal, a constant, or a variable assigned one. */
function resolver(program: PythonProgram) {
  const locals = new Map<string, readonly Token[]>();
  for (const line of program.lines) {
    const a = assignment(line);
    if (a && !locals.has(a.name)) locals.set(a.name, a.value);
  }
  // argparse defaults: add_argument("--format", default="<Iid") read as args.format
  for (const { call } of allCalls(program.lines)) {
    if (call.last !== "add_argument") continue;
    const flag = call.args.map((a) => literalOf(a)).find((v): v is string => typeof v === "string");
    const value = call.args.find((a) => isName(a[0], "default") && isOp(a[1], "="));
    const dest = flag?.replace(/^-+/, "").replaceAll("-", "_");
    if (dest && value && !locals.has(dest)) locals.set(dest, value.slice(2));
  }
  const resolve = (tokens: readonly Token[], depth: number, via: string | null): Resolved | null => {
    if (depth > 4) return null;
    const literal = literalOf(tokens);
    if (typeof literal === "string") return validFormat(literal) ? { format: literal, via } : null;
    const name = nameOf(tokens);
    if (name && tokens.length <= 3) {
      const value = program.constant(name) ?? locals.get(name);
      if (value) return resolve(value, depth + 1, via ?? name);
    }
    // `fmt = sys.argv[2] if len(sys.argv) > 2 else FORMAT`: the first piece that is a format
    for (const [i, t] of tokens.entries()) {
      if (t.kind === "string" && !t.prefix.includes("f") && validFormat(t.text))
        return { format: t.text, via };
      if (t.kind === "name" && !isOp(tokens[i + 1], "(") && !isOp(tokens[i - 1], ".")) {
        const value = program.constant(t.text) ?? locals.get(t.text);
        if (value && value !== tokens) {
          const found = resolve(value, depth + 1, via ?? t.text);
          if (found) return found;
        }
      }
    }
    return null;
  };
  return {
    resolve: (tokens: readonly Token[]) => resolve(tokens, 0, null),
    local: (name: string) => locals.get(name) ?? null,
  };
}

/** The names given to the values of a use, one per value of the format. */
function valueNames(count: number, args: readonly (readonly Token[])[]): (readonly Token[] | null)[] {
  const out: (readonly Token[] | null)[] = [];
  for (const [i, arg] of args.entries()) {
    if (isOp(arg[0], "*")) {
      const after = args.length - i - 1;
      while (out.length < count - after) out.push(null);
    } else out.push(arg);
  }
  while (out.length < count) out.push(null);
  return out.slice(0, count);
}

/** Every struct pack and unpack in the code a program reaches. */
export function pythonStructs(program: PythonProgram): StructUse[] {
  const { resolve, local: locals } = resolver(program);
  const plain = new Set<string>();
  for (const m of [program.module, ...program.imported])
    for (const imp of m.imports)
      if (imp.module === "struct" && Array.isArray(imp.names)) for (const { as } of imp.names) plain.add(as);
  // struct.Struct objects: NAME = struct.Struct(FMT)
  const objects = new Map<string, Resolved>();
  for (const line of program.lines) {
    const eq = line.tokens.findIndex((t) => isOp(t, "="));
    if (eq < 1) continue;
    const call = callsIn(line.tokens.slice(eq + 1))[0];
    if (!call || (call.callee !== "struct.Struct" && !(call.callee === "Struct" && plain.has("Struct"))))
      continue;
    const found = call.args[0] ? resolve(call.args[0]) : null;
    if (found) objects.set(line.tokens[eq - 1]!.text, { format: found.format, via: found.via });
  }
  const uses: StructUse[] = [];
  // struct.pack(FMT, *VALUES) with VALUES = (12, 34, 5.25): each literal stands for its value
  const spreadLiterals = (values: readonly (readonly Token[])[], count: number): Token[][] | null => {
    const only = values.length === 1 ? values[0]! : null;
    const name = only && isOp(only[0], "*") ? soleName(only.slice(1)) : null;
    const value = name ? (program.constant(name) ?? locals(name)) : null;
    if (!value || !(isOp(value[0], "(") || isOp(value[0], "["))) return null;
    const items = splitTopLevel(value.slice(1, -1));
    return items.length === count && items.every((i) => literalOf(i) !== null) ? items : null;
  };
  const constantOf = (tokens: readonly Token[] | null) => {
    if (!tokens) return { value: null, name: null };
    const literal = literalOf(tokens);
    if (literal !== null) return { value: literal, name: null };
    const name = soleName(tokens);
    const value = name ? program.constant(name) : null;
    const constant = value ? literalOf(value) : null;
    if (constant !== null) return { value: constant, name };
    // an upper-case name is a constant even when its value is out of sight
    return { value: null, name: name && /^[A-Z][A-Z0-9_]*$/.test(name) ? name : null };
  };
  const add = (
    op: "pack" | "unpack",
    found: Resolved,
    values: (readonly Token[] | null)[],
    line: LogicalLine,
  ) => {
    const parsed = parseStructFormat(found.format);
    if (!parsed.ok) return;
    const count = parsed.value.valueCount;
    if (op === "pack") {
      const names = values.map((v) => (v ? nameOf(v) : null));
      const constants = values.map(constantOf);
      uses.push({
        op,
        ...found,
        names: names.map((n, i) => (constants[i]!.name || constants[i]!.value !== null ? null : n)),
        constants: constants.map((c) => c.value),
        constantNames: constants.map((c) => c.name),
      });
      return;
    }
    const t = line.tokens;
    const eq = t.findIndex((x) => isOp(x, "="));
    const targets = eq > 0 ? splitTopLevel(t.slice(0, eq).filter((x) => !isOp(x, "(") && !isOp(x, ")"))) : [];
    const names = targets.length === count ? targets.map((x) => nameOf(x)) : Array(count).fill(null);
    uses.push({
      op,
      ...found,
      names,
      constants: Array(count).fill(null),
      constantNames: Array(count).fill(null),
    });
  };
  for (const line of program.lines) {
    for (const call of callsIn(line.tokens)) {
      const owner =
        call.callee
          .slice(0, -call.last.length - 1)
          .split(".")
          .pop() ?? "";
      const direct =
        call.callee === `struct.${call.last}` || (call.callee === call.last && plain.has(call.last));
      const object = objects.get(owner);
      let found: Resolved | null = null;
      let values: readonly (readonly Token[])[] = [];
      let op: "pack" | "unpack" | null = null;
      if (direct && (call.last === "pack" || call.last === "pack_into")) {
        found = call.args[0] ? resolve(call.args[0]) : null;
        values = call.args.slice(call.last === "pack" ? 1 : 3);
        op = "pack";
      } else if (direct && ["unpack", "unpack_from", "iter_unpack"].includes(call.last)) {
        found = call.args[0] ? resolve(call.args[0]) : null;
        op = "unpack";
      } else if (object && (call.last === "pack" || call.last === "pack_into")) {
        found = object;
        values = call.args.slice(call.last === "pack" ? 0 : 2);
        op = "pack";
      } else if (object && (call.last === "unpack" || call.last === "unpack_from")) {
        found = object;
        op = "unpack";
      }
      if (!found || !op) continue;
      const parsed = parseStructFormat(found.format);
      if (!parsed.ok) continue;
      const spread = op === "pack" ? spreadLiterals(values, parsed.value.valueCount) : null;
      add(op, found, spread ?? (op === "pack" ? valueNames(parsed.value.valueCount, values) : []), line);
    }
  }
  return uses;
}

/** Whether a name looks like a message's sequence number (seq, seq_no, seqnum, counter, n…). */
export function isSequenceName(name: string): boolean {
  return /^(?:n|seq|seqno|seq_?num|seq_?no|seq_?number|sequence|secuencia|sequencia|num_?seq|n_?seq|nseq|counter|contador|compteur|msg_?id|id_?msg|numero|num)$/i.test(
    name,
  );
}
