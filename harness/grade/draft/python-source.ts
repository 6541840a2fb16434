// What a Python program does with sockets, read from the code it reaches: the socket type, the side it
// plays, how it serves several clients, whether it is interactive, what marks a sensor or a reliable-UDP
// program — with its struct formats, command line and numbered output read by the files beside this one.
import type { ProgramFacts, Role, Transport } from "./program-facts.ts";
import { pythonCommandLine } from "./python-command-line.ts";
import type { LogicalLine, Token } from "./python-lexer.ts";
import { assignment } from "./python-module.ts";
import { pythonPrinted } from "./python-printed.ts";
import type { PythonProgram } from "./python-program.ts";
import { pythonStructs } from "./python-struct.ts";
import {
  allCalls,
  closing,
  enclosingHeaders,
  isDocstring,
  isName,
  isOp,
  literalOf,
  soleName,
  splitTopLevel,
  wordsOf,
} from "./python-tokens.ts";
import {
  CLIENT_CALLS,
  CONCURRENCY,
  RELIABLE_WORD,
  SENSOR_WORDS,
  SERVER_CALLS,
  SOCKET_METHODS,
  TCP_CALLS,
  UDP_CALLS,
} from "./python-vocabulary.ts";

/** Words of the identifiers and string literals the program's code holds (not of its docstrings). */
function codeWords(lines: readonly LogicalLine[]): Set<string> {
  const words = new Set<string>();
  for (const line of lines) {
    if (isDocstring(line)) continue;
    for (const t of line.tokens)
      if (t.kind === "name" || t.kind === "string") for (const w of wordsOf(t.text)) words.add(w);
  }
  return words;
}

/** Whether the line at `k` sits inside a while or for loop of its block. */
function inLoop(lines: readonly LogicalLine[], k: number): boolean {
  for (const header of enclosingHeaders(lines, k)) {
    const first = header.tokens[0];
    if (isName(first, "while") || isName(first, "for")) return true;
    if (isName(first, "def") || isName(first, "class") || isName(first, "async")) return false;
  }
  return false;
}

function numberOf(tokens: readonly Token[], program: PythonProgram, depth = 0): number | null {
  const literal = literalOf(tokens);
  if (typeof literal === "number") return literal;
  const name = soleName(tokens);
  if (name && depth < 3) {
    const value = program.constant(name);
    if (value) return numberOf(value, program, depth + 1);
  }
  // `int(sys.argv[1]) if len(sys.argv) > 1 else 9000`: the default
  const at = tokens.findIndex((t) => isName(t, "else"));
  return at > 0 ? numberOf(tokens.slice(at + 1), program, depth + 1) : null;
}

/** The address tuples given to bind/connect/sendto: their host and port tokens. */
function addresses(program: PythonProgram, calls: ReturnType<typeof allCalls>) {
  const found: { call: string; port: readonly Token[] }[] = [];
  for (const { call } of calls) {
    if (!["bind", "connect", "sendto", "create_connection", "connect_ex"].includes(call.last)) continue;
    for (const arg of call.args) {
      let items: Token[][] | null = null;
      if (isOp(arg[0], "(") && closing(arg, 0) === arg.length - 1) items = splitTopLevel(arg.slice(1, -1));
      else if (soleName(arg)) {
        const value = program.constant(soleName(arg)!) ?? localValue(program, soleName(arg)!);
        if (value && isOp(value[0], "(")) items = splitTopLevel(value.slice(1, -1));
      }
      if (items?.length === 2) found.push({ call: call.last, port: items[1]! });
    }
  }
  return found;
}

function localValue(program: PythonProgram, name: string): readonly Token[] | null {
  for (const line of program.lines) {
    const a = assignment(line);
    if (a?.name === name) return a.value;
  }
  return null;
}

function quitWords(program: PythonProgram): string[] {
  const words: string[] = [];
  const add = (w: string) => {
    if (/^[A-Za-z]{2,12}$/.test(w) && !words.includes(w)) words.push(w);
  };
  for (const line of program.lines) {
    const t = line.tokens;
    const a = assignment(line);
    if (a && /quit|exit|salir|bye|fin$|stop/i.test(a.name))
      for (const x of a.value) if (x.kind === "string" && !x.prefix.includes("f")) add(x.text);
    if (!isName(t[0], "if") && !isName(t[0], "elif") && !isName(t[0], "while")) continue;
    if (!t.some((x) => isOp(x, "==") || isOp(x, "!=") || isName(x, "in"))) continue;
    for (const x of t) {
      if (x.kind === "string" && !x.prefix.includes("f") && x.text !== "__main__") add(x.text);
      // `if texto == DESPEDIDA:` with DESPEDIDA = "adios"
      const value = x.kind === "name" ? program.constant(x.text) : null;
      for (const v of value ?? []) if (v.kind === "string" && !v.prefix.includes("f")) add(v.text);
    }
  }
  return words;
}

/** The parameters of the program's own functions, and of its classes' __init__ (without self). */
function parametersOf(program: PythonProgram) {
  return (callee: string): readonly string[] | null => {
    const defines = (name: string) => (l: LogicalLine) =>
      l.tokens.some((t, i) => isName(t, name) && isName(l.tokens[i - 1], "def"));
    for (const m of [program.module, ...program.imported]) {
      const def = m.defs.get(callee);
      // a method: `emisor.enviar(...)` with `def enviar(self, ...)` in a class
      const method = def ? undefined : [...m.defs.values()].flat().find(defines(callee));
      if (!def && !method) continue;
      const header =
        method ?? (isName(def![0]!.tokens[0], "class") ? def!.find(defines("__init__")) : def![0]);
      if (!header) return null;
      const open = header.tokens.findIndex((t) => isOp(t, "("));
      const params = splitTopLevel(header.tokens.slice(open + 1, closing(header.tokens, open)))
        .map((p) => (p[0]?.kind === "name" ? p[0].text : ""))
        .filter((p) => p !== "self" && p !== "cls");
      return params;
    }
    return null;
  };
}

/** Reads what a Python program does with its sockets. */
export function pythonFacts(program: PythonProgram): ProgramFacts {
  const lines = program.lines;
  const calls = allCalls(lines);
  const names = new Set(lines.flatMap((l) => l.tokens.filter((t) => t.kind === "name").map((t) => t.text)));
  // socket methods count when called on an object (sock.listen()), not a function of the program's own
  const called = new Set(
    calls
      .filter((c) => !SOCKET_METHODS.has(c.call.last) || c.call.callee.includes("."))
      .map((c) => c.call.last),
  );
  const callees = calls.map((c) => c.call.callee);
  const signs: string[] = [];
  const transports = new Set<Transport>();
  if (names.has("SOCK_STREAM")) {
    transports.add("tcp");
    signs.push("SOCK_STREAM");
  }
  if (names.has("SOCK_DGRAM")) {
    transports.add("udp");
    signs.push("SOCK_DGRAM");
  }
  // socketserver's classes count when subclassed too: class Handler(socketserver.DatagramRequestHandler)
  for (const n of names) {
    if (TCP_CALLS.has(n)) transports.add("tcp");
    if (UDP_CALLS.has(n)) transports.add("udp");
  }
  if (transports.size === 0 && callees.some((c) => c === "socket.socket" || c === "socket")) {
    transports.add("tcp");
    signs.push("socket() (TCP by default)");
  }
  const ports = addresses(program, calls);
  const ephemeral = ports.some((p) => p.call === "bind" && numberOf(p.port, program) === 0);
  const boundPort = ports.some((p) => p.call === "bind" && numberOf(p.port, program) !== 0);
  const datagramEnds = calls.filter((c) => c.call.last === "create_datagram_endpoint");
  const strongServer =
    [...called].some((c) => SERVER_CALLS.has(c)) ||
    [...names].some((n) => SERVER_CALLS.has(n) && /Server$/.test(n)) ||
    datagramEnds.some((c) => c.call.args.some((a) => isName(a[0], "local_addr")));
  const strongClient =
    [...called].some((c) => CLIENT_CALLS.has(c)) ||
    datagramEnds.some((c) => c.call.args.some((a) => isName(a[0], "remote_addr")));
  for (const c of [
    "bind",
    "listen",
    "accept",
    "connect",
    "create_connection",
    "sendto",
    "recvfrom",
    "sendall",
  ])
    if (called.has(c)) signs.push(c === "bind" && ephemeral && !boundPort ? "bind to port 0" : c);
  let role: Role | null = null;
  if (strongServer && (!strongClient || called.has("accept") || called.has("listen"))) role = "server";
  else if (strongClient) role = "client";
  else if (boundPort) role = "server";
  else if (called.has("sendto")) role = "client";
  const concurrency =
    CONCURRENCY.find(
      ([pattern]) => callees.some((c) => pattern.test(c)) || [...names].some((n) => pattern.test(n)),
    )?.[1] ?? null;
  const stdin = lines
    .map((l, k) => ({ l, k }))
    .filter(
      ({ l }) =>
        l.tokens.some((t, i) => isName(t, "input") && isOp(l.tokens[i + 1], "(")) ||
        l.tokens.some((t) => isName(t, "stdin")),
    );
  const interactive = stdin.some(({ l, k }) => inLoop(lines, k) || l.tokens.some((t) => isName(t, "for")));
  const answers =
    role === "server"
      ? called.has("sendto") ||
        called.has("send") ||
        called.has("sendall") ||
        (called.has("write") && (names.has("DatagramRequestHandler") || names.has("StreamRequestHandler")))
      : called.has("recv") ||
        called.has("recvfrom") ||
        called.has("recv_into") ||
        called.has("recvfrom_into");
  const structs = pythonStructs(program);
  const commandLine = pythonCommandLine(lines, role === "server", parametersOf(program));
  const words = codeWords(lines);
  const sensor: string[] = [];
  if (callees.some((c) => /^random\.|^(?:uniform|randint|gauss|randrange)$|urandom$/.test(c)))
    sensor.push("random values");
  if (called.has("sleep")) sensor.push("a period (sleep)");
  const meanings = [
    ...commandLine.positional.map((p) => p.meaning),
    ...commandLine.options.map((o) => o.meaning),
  ];
  if (meanings.some((m) => m === "count" || m === "interval" || m === "duration"))
    sensor.push("a count or interval argument");
  const sensorWords = [...words].filter((w) => SENSOR_WORDS.has(w));
  if (sensorWords.length > 0) sensor.push(`sensor words (${sensorWords.slice(0, 3).join(", ")})`);
  if (role === "server" && structs.some((s) => s.op === "pack") && structs.some((s) => s.op === "unpack"))
    sensor.push("struct replies");
  const portNumbers = ports
    .filter((p) => p.call !== "bind" || role === "server")
    .map((p) => numberOf(p.port, program))
    .filter((n): n is number => n !== null && n > 0);
  return {
    file: program.module.path,
    language: "python",
    transports: [...transports],
    role,
    signs,
    concurrency,
    interactive,
    answers,
    structs,
    sensor,
    reliable: [...words].filter((w) => RELIABLE_WORD.test(w)),
    commandLine,
    quitWords: quitWords(program),
    ports: [...new Set(portNumbers)],
    printed: pythonPrinted(program),
    modules: program.imported.map((m) => m.path),
  };
}
