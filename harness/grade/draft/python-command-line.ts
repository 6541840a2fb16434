// What a Python program reads from its command line and environment: argparse arguments, sys.argv[i]
// (and slices), getopt options, os.environ variables — each with the placeholder it stands for, judged by
// what the code does with it (the second item of the tuple given to bind or connect is a port, the
// argument of range() a count, of sleep() an interval, the first argument of struct.pack a format) and
// else by its name.
import { meaningOfFlag, meaningOfName } from "./argv-placeholders.ts";
import type { ArgOption, ArgSlot, CommandLine, Meaning } from "./program-facts.ts";
import type { LogicalLine, Token } from "./python-lexer.ts";
import {
  allCalls,
  callsIn,
  enclosingHeaders,
  isName,
  isOp,
  literalOf,
  nameOf,
  splitTopLevel,
} from "./python-tokens.ts";
import { argvIndex, usageMeanings } from "./python-usage.ts";

function meaningOf(name: string, usage: ReadonlyMap<string, Meaning>): Meaning | null {
  return usage.get(name) ?? meaningOfName(name);
}

function keyword(args: readonly (readonly Token[])[], key: string): readonly Token[] | null {
  const found = args.find((a) => isName(a[0], key) && isOp(a[1], "="));
  return found ? found.slice(2) : null;
}

function argparseLine(lines: readonly LogicalLine[], usage: ReadonlyMap<string, Meaning>) {
  const positional: ArgSlot[] = [];
  const options: ArgOption[] = [];
  for (const { call } of allCalls(lines)) {
    if (call.last !== "add_argument") continue;
    const flags = call.args.map((a) => literalOf(a)).filter((v): v is string => typeof v === "string");
    if (flags.length === 0) continue;
    const action = literalOf(keyword(call.args, "action") ?? []);
    if (typeof action === "string" && action !== "store" && action !== "append") continue;
    const nargs = literalOf(keyword(call.args, "nargs") ?? []);
    const dest = literalOf(keyword(call.args, "dest") ?? []);
    const integer = isName(keyword(call.args, "type")?.[0], "int");
    if (!flags[0]!.startsWith("-")) {
      const name = typeof dest === "string" ? dest : flags[0]!;
      positional.push({
        name,
        meaning: meaningOf(name, usage),
        optional: nargs === "?" || nargs === "*",
        rest: nargs === "*" || nargs === "+",
        integer,
      });
      continue;
    }
    const long = flags.find((f) => f.startsWith("--"));
    const name =
      typeof dest === "string" ? dest : (long ?? flags[0]!).replace(/^-+/, "").replaceAll("-", "_");
    const required = literalOf(keyword(call.args, "required") ?? []) === true;
    options.push({
      flag: long ?? flags[0]!,
      name,
      meaning: meaningOf(name, usage) ?? flags.map(meaningOfFlag).find((m) => m !== null) ?? null,
      required,
      integer,
    });
  }
  return { positional, options };
}

/** The parameter names of the program's own functions and classes (their __init__), without self. */
export type Parameters = (callee: string) => readonly string[] | null;

/** The parameter an argv expression is passed to: `Client(sys.argv[1], int(sys.argv[2]))` → host, port. */
function parameterOf(tokens: readonly Token[], at: number, parameters: Parameters): string | null {
  const calls = callsIn(tokens).filter(
    (c) => c.start < at && c.end > at && !["int", "float", "str"].includes(c.last),
  );
  // the innermost call of the program's own that takes it (`enviar(" ".join(sys.argv[3:]), ...)`)
  for (const call of calls.reverse()) {
    const k = call.args.findIndex((arg) => arg.includes(tokens[at]!));
    const arg = call.args[k];
    if (!arg) continue;
    // a keyword argument names its parameter itself
    if (arg[0]?.kind === "name" && isOp(arg[1], "=")) return arg[0].text;
    const names = parameters(call.last);
    if (names) return names[k] ?? null;
  }
  return null;
}

function argvLine(
  lines: readonly LogicalLine[],
  usage: ReadonlyMap<string, Meaning>,
  server: boolean,
  parameters: Parameters,
) {
  const slots = new Map<number, ArgSlot>();
  for (const [k, line] of lines.entries()) {
    const t = line.tokens;
    const eq = topLevelIndex(t, "=");
    const lhs = eq > 0 ? splitTopLevel(t.slice(0, eq)) : [];
    const rhs = eq > 0 ? splitTopLevel(t.slice(eq + 1)) : [];
    const optional =
      t.some((x) => isName(x, "len") || isName(x, "else") || isName(x, "or")) || guarded(lines, k);
    // `_, host, port = sys.argv`: one name per argument
    if (rhs.length === 1 && rhs[0]!.length === 3 && isName(rhs[0]![2], "argv") && lhs.length > 1) {
      lhs.forEach((target, k) => {
        const name = nameOf(target);
        if (k > 0 && name && name !== "_")
          slots.set(k, { name, meaning: meaningOf(name, usage), optional: false, rest: false });
      });
      continue;
    }
    for (let from = 0; ; ) {
      const found = argvIndex(t, from);
      if (!found) break;
      from = found.end;
      if (found.index < 1 || slots.has(found.index)) continue;
      let target = parameterOf(t, found.at, parameters);
      if (target === null && eq > 0 && found.at > eq) {
        const item = rhs.length === lhs.length ? rhs.findIndex((r) => r.includes(t[found.at]!)) : 0;
        target = nameOf(lhs[item] ?? []) ?? null;
      }
      const name = target ?? `argv[${found.index}]`;
      let meaning = usage.get(name) ?? usage.get(`argv[${found.index}]`) ?? meaningOfName(target ?? "");
      const conversion = isOp(t[found.at - 1], ".") ? t[found.at - 4] : t[found.at - 2];
      if (meaning === null && server && isName(conversion, "int")) meaning = "port";
      // a client's fractional argument is its period; a server has none (a float there is a loss rate, …)
      if (meaning === null && !server && isName(conversion, "float")) meaning = "interval";
      const integer = isName(conversion, "int");
      slots.set(found.index, { name, meaning, optional, rest: found.slice, integer });
    }
  }
  const positional: ArgSlot[] = [];
  const taken = new Set<Meaning>();
  for (let i = 1; slots.has(i); i++) {
    const slot = slots.get(i)!;
    // one argument per meaning: a second "count" (`nombre` is a name in Spanish) or "interval" is a guess
    if (slot.meaning !== null && slot.meaning !== "values" && taken.has(slot.meaning))
      positional.push({ ...slot, meaning: null });
    else positional.push(slot);
    if (slot.meaning !== null) taken.add(slot.meaning);
  }
  return positional;
}

/**
 * Whether line k runs only under an `if` on the command line's length (`if len(sys.argv) > 3:`). A `try` is
 * no such sign: it often wraps a whole program for its KeyboardInterrupt.
 */
function guarded(lines: readonly LogicalLine[], k: number): boolean {
  return enclosingHeaders(lines, k).some(
    (header) =>
      (isName(header.tokens[0], "if") || isName(header.tokens[0], "elif")) &&
      header.tokens.some((x) => isName(x, "len")),
  );
}

function topLevelIndex(tokens: readonly Token[], text: string): number {
  let depth = 0;
  for (const [i, t] of tokens.entries()) {
    if (t.kind !== "op") continue;
    if ("([{".includes(t.text)) depth++;
    else if (")]}".includes(t.text)) depth--;
    else if (depth === 0 && t.text === text) return i;
  }
  return -1;
}

function getoptLine(lines: readonly LogicalLine[], usage: ReadonlyMap<string, Meaning>) {
  const options: ArgOption[] = [];
  const calls = allCalls(lines).filter(({ call }) => call.last === "getopt" || call.last === "gnu_getopt");
  if (calls.length === 0) return null;
  for (let k = 0; k < lines.length; k++) {
    const t = lines[k]!.tokens;
    if (!isName(t[0], "if") && !isName(t[0], "elif")) continue;
    const flags = t.filter((x) => x.kind === "string" && x.text.startsWith("-")).map((x) => x.text);
    if (flags.length === 0 || !t.some((x) => isOp(x, "==") || isName(x, "in"))) continue;
    const colon = topLevelIndex(t, ":");
    const inline = colon > 0 && colon < t.length - 1 ? t.slice(colon + 1) : null;
    const next = lines[k + 1];
    const assigned = inline ?? (next && next.indent > lines[k]!.indent ? next.tokens : []);
    const name = assigned[0]?.kind === "name" && isOp(assigned[1], "=") ? assigned[0].text : null;
    if (!name) continue;
    const long = flags.find((f) => f.startsWith("--"));
    options.push({
      flag: long ?? flags[0]!,
      name,
      meaning: meaningOf(name, usage) ?? flags.map(meaningOfFlag).find((m) => m !== null) ?? null,
      required: false,
      integer: isName(assigned[3], "int"),
    });
  }
  return options;
}

function environment(lines: readonly LogicalLine[], usage: ReadonlyMap<string, Meaning>) {
  const env: { variable: string; meaning: Meaning | null }[] = [];
  for (const line of lines) {
    const t = line.tokens;
    for (let i = 0; i < t.length - 2; i++) {
      const viaGet =
        (isName(t[i], "environ") && isOp(t[i + 1], ".") && isName(t[i + 2], "get")) || isName(t[i], "getenv");
      const viaIndex = isName(t[i], "environ") && isOp(t[i + 1], "[");
      if (!viaGet && !viaIndex) continue;
      const open = t.findIndex((x, j) => j > i && (isOp(x, "(") || isOp(x, "[")));
      const variable = t[open + 1];
      if (variable?.kind !== "string" || env.some((e) => e.variable === variable.text)) continue;
      const target = t[0]?.kind === "name" && isOp(t[1], "=") ? t[0].text : null;
      env.push({
        variable: variable.text,
        meaning: meaningOfName(variable.text) ?? (target ? meaningOf(target, usage) : null),
      });
    }
  }
  return env;
}

/** A slot taking every remaining argument stands for values or quit words only; after a format, values. */
function restMeanings(slots: readonly ArgSlot[]): ArgSlot[] {
  return slots.map((slot, i) => {
    if (!slot.rest || slot.meaning === "values" || slot.meaning === "quit") return slot;
    return { ...slot, meaning: slots[i - 1]?.meaning === "format" ? "values" : null };
  });
}

/** What a program reads from its command line and environment, with the placeholder each stands for. */
export function pythonCommandLine(
  lines: readonly LogicalLine[],
  server: boolean,
  parameters: Parameters = () => null,
): CommandLine {
  const usage = usageMeanings(lines);
  const env = environment(lines, usage);
  const parsed = argparseLine(lines, usage);
  if (parsed.positional.length > 0 || parsed.options.length > 0)
    return { style: "argparse", positional: restMeanings(parsed.positional), options: parsed.options, env };
  const getopt = getoptLine(lines, usage);
  if (getopt) return { style: "getopt", positional: [], options: getopt, env };
  const positional = restMeanings(argvLine(lines, usage, server, parameters));
  return { style: positional.length > 0 ? "argv" : "none", positional, options: [], env };
}
