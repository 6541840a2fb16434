// What a Python program's variables are used for, judged by the calls they are given to: the items of the
// address given to bind/connect/sendto (host, then port), the argument of range() (a count), of sleep() (an
// interval), the first argument of struct.pack (a format), a text split on ":" (host:port). An argv item used
// directly is tracked as `argv[N]`.
import type { Meaning } from "./program-facts.ts";
import type { LogicalLine, Token } from "./python-lexer.ts";
import { allCalls, closing, isName, isOp, nameOf, soleName, splitTopLevel } from "./python-tokens.ts";

const ADDRESS_CALLS = new Set([
  "bind",
  "connect",
  "connect_ex",
  "sendto",
  "create_connection",
  "create_server",
  "TCPServer",
  "UDPServer",
  "ThreadingTCPServer",
  "ThreadingUDPServer",
  "ForkingTCPServer",
  "ForkingUDPServer",
  "create_datagram_endpoint",
]);
const HOST_PORT_CALLS: Readonly<Record<string, number>> = {
  open_connection: 0,
  getaddrinfo: 0,
  start_server: 1,
  create_server: 1,
};
const STRUCT_CALLS = new Set([
  "pack",
  "unpack",
  "calcsize",
  "Struct",
  "pack_into",
  "unpack_from",
  "iter_unpack",
]);

/** The name an argument expression is tracked by: its variable, or `argv[N]` for sys.argv[N] used directly. */
function trackedName(tokens: readonly Token[]): string | null {
  const argv = argvIndex(tokens, 0);
  if (argv && argv.slice === false) return `argv[${argv.index}]`;
  return nameOf(tokens);
}

/** `sys.argv[N]` or `argv[N:]` at or after `from`: its index and whether it is a slice. */
export function argvIndex(
  tokens: readonly Token[],
  from: number,
): { index: number; slice: boolean; at: number; end: number } | null {
  for (let i = from; i < tokens.length - 2; i++) {
    if (!isName(tokens[i], "argv") || !isOp(tokens[i + 1], "[")) continue;
    const end = closing(tokens, i + 1);
    const inside = tokens.slice(i + 2, end);
    const n = inside[0]?.kind === "number" ? Number(inside[0].text) : Number.NaN;
    if (!Number.isInteger(n)) continue;
    return { index: n, slice: isOp(inside[1], ":"), at: i, end };
  }
  return null;
}

/** What each variable is used for, judged by the calls it is given to. */
export function usageMeanings(lines: readonly LogicalLine[]): Map<string, Meaning> {
  const meanings = new Map<string, Meaning>();
  const set = (tokens: readonly Token[] | undefined, meaning: Meaning) => {
    const name = tokens ? trackedName(tokens) : null;
    if (name && !meanings.has(name)) meanings.set(name, meaning);
  };
  const tuples = new Map<string, Token[][]>();
  for (const line of lines) {
    const t = line.tokens;
    if (t[0]?.kind === "name" && isOp(t[1], "=") && isOp(t[2], "(") && closing(t, 2) === t.length - 1) {
      const items = splitTopLevel(t.slice(3, -1));
      if (items.length === 2) tuples.set(t[0].text, items);
    }
  }
  const address = (arg: readonly Token[]) => {
    const body = arg.filter((x, i) => !(i < 2 && x.kind === "name" && isOp(arg[1], "=")));
    const start = body.findIndex((x) => !(x.kind === "op" && x.text === "="));
    const items =
      isOp(body[start], "(") && closing(body, start) === body.length - 1
        ? splitTopLevel(body.slice(start + 1, -1))
        : tuples.get(soleName(body) ?? "");
    if (items?.length === 2) {
      set(items[0], "host");
      set(items[1], "port");
    }
  };
  // host:port in one text: text.split(":"), text.rpartition(":")
  const SPLITS = ["split", "rsplit", "partition", "rpartition"];
  for (const line of lines) {
    const t = line.tokens;
    for (const [i, x] of t.entries()) {
      const method = t[i + 2];
      const separator = t[i + 4];
      if (
        x.kind !== "name" ||
        !isOp(t[i + 1], ".") ||
        method?.kind !== "name" ||
        !SPLITS.includes(method.text)
      )
        continue;
      if (separator?.kind === "string" && separator.text === ":") set([x], "address");
    }
  }
  // (sys.argv[1], int(sys.argv[2])) given to any function: an address
  for (const line of lines) {
    const t = line.tokens;
    for (const [i, open] of t.entries()) {
      if (!isOp(open, "(") || t[i - 1]?.kind === "name") continue;
      const items = splitTopLevel(t.slice(i + 1, closing(t, i)));
      const [host, port] = items.map((item) => argvIndex(item, 0));
      if (items.length === 2 && host && port && !host.slice && !port.slice) {
        set(items[0], "host");
        set(items[1], "port");
      }
    }
  }
  for (const { call } of allCalls(lines)) {
    if (ADDRESS_CALLS.has(call.last)) for (const arg of call.args) address(arg);
    const first = HOST_PORT_CALLS[call.last];
    if (first !== undefined && call.args.length >= first + 2) {
      set(call.args[first], "host");
      set(call.args[first + 1], "port");
    }
    if (call.last === "range" && call.args.length === 1) set(call.args[0], "count");
    if (call.last === "sleep" && call.args.length === 1) set(call.args[0], "interval");
    if (call.callee.startsWith("struct.") && STRUCT_CALLS.has(call.last)) set(call.args[0], "format");
  }
  return meanings;
}
