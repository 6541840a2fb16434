// C and C++ socket programs, read as text: the socket type, the side (listen/accept or connect), threads or
// fork, what argv[i] is used for (htons → port, inet_pton/gethostbyname → host) — and the `build:` command
// that compiles them: `make` when the submission has a Makefile, else one compiler call per program.
import { posix } from "node:path";
import { meaningOfName } from "./argv-placeholders.ts";
import type { ArgSlot, Meaning, ProgramFacts, Role, Transport } from "./program-facts.ts";
import { wordsOf } from "./python-tokens.ts";
import { SENSOR_WORDS } from "./python-vocabulary.ts";

export const C_EXTENSIONS = /\.(c|cc|cpp|cxx)$/;

function withoutComments(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 1;
      out += " ";
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else out += c;
  }
  return out;
}

const has = (code: string, call: string) => new RegExp(`\\b${call}\\s*\\(`).test(code);

/** The parameter of the program's own function that an argv item at `at` is passed to: `connect_to(argv[1], …)`. */
function parameterOf(code: string, at: number): string | null {
  const before = code.slice(Math.max(0, at - 200), at);
  const call = /(\w+)\s*\(([^()]*)$/.exec(before);
  if (!call || ["atoi", "atof", "strtol", "strtoul", "stoi", "htons", "if", "while"].includes(call[1]!))
    return null;
  const k = call[2]!.split(",").length - 1;
  const definition = new RegExp(`\\b${call[1]}\\s*\\(([^()]*)\\)\\s*\\{`).exec(code);
  const parameter = definition?.[1]?.split(",")[k]?.trim();
  return parameter ? (/(\w+)\s*(?:\[\s*\])?$/.exec(parameter)?.[1] ?? null) : null;
}

/** What each argv index is used for: `htons(atoi(argv[1]))`, `port = atoi(argv[1]); … htons(port)`. */
function argvSlots(code: string): ArgSlot[] {
  const usage = new Map<string, Meaning>();
  for (const m of code.matchAll(/\bhtons\s*\(\s*(?:\(\s*\w+\s*\)\s*)?(\w+)\s*\)/g)) usage.set(m[1]!, "port");
  for (const m of code.matchAll(/\b(?:inet_addr|inet_aton|gethostbyname|getaddrinfo)\s*\(\s*(\w+)/g))
    usage.set(m[1]!, "host");
  for (const m of code.matchAll(/\binet_pton\s*\(\s*\w+\s*,\s*(\w+)/g)) usage.set(m[1]!, "host");
  const slots = new Map<number, ArgSlot>();
  for (const m of code.matchAll(/\bargv\s*\[\s*(\d+)\s*\]/g)) {
    const index = Number(m[1]);
    if (index < 1 || slots.has(index)) continue;
    const before = code.slice(Math.max(0, (m.index ?? 0) - 120), m.index);
    const assigned = /(\w+)\s*=\s*[^;=]*$/.exec(before)?.[1] ?? null;
    const direct = /htons\s*\(\s*(?:\(\s*\w+\s*\)\s*)?(?:atoi|strtol|strtoul|stoi)\s*\(\s*$/.test(before)
      ? "port"
      : /(?:inet_addr|inet_aton|gethostbyname|getaddrinfo)\s*\(\s*$|inet_pton\s*\(\s*\w+\s*,\s*$/.test(before)
        ? "host"
        : null;
    const parameter = parameterOf(code, m.index ?? 0);
    const name = parameter ?? assigned ?? `argv[${index}]`;
    const named = parameter ?? assigned;
    const meaning = direct ?? (named ? (usage.get(named) ?? meaningOfName(named)) : null);
    slots.set(index, { name, meaning, optional: /argc/.test(before.slice(-60)), rest: false });
  }
  const out: ArgSlot[] = [];
  for (let i = 1; slots.has(i); i++) out.push(slots.get(i)!);
  return out;
}

/** Whether a C or C++ source is a socket program. */
export function isCSocketProgram(text: string): boolean {
  return /\bsocket\s*\(/.test(text) && /\bmain\s*\(/.test(text);
}

/** Reads what a C or C++ socket program does. */
export function cFacts(path: string, text: string): ProgramFacts {
  const code = withoutComments(text);
  const transports: Transport[] = [];
  const signs: string[] = [];
  if (/\bSOCK_STREAM\b/.test(code)) {
    transports.push("tcp");
    signs.push("SOCK_STREAM");
  }
  if (/\bSOCK_DGRAM\b/.test(code)) {
    transports.push("udp");
    signs.push("SOCK_DGRAM");
  }
  for (const call of ["bind", "listen", "accept", "connect", "sendto", "recvfrom"])
    if (has(code, call)) signs.push(call);
  let role: Role | null = null;
  if (has(code, "listen") || has(code, "accept")) role = "server";
  else if (has(code, "connect")) role = "client";
  else if (has(code, "bind") && has(code, "recvfrom")) role = "server";
  else if (has(code, "sendto")) role = "client";
  const concurrency = has(code, "pthread_create")
    ? "pthreads"
    : /std::thread/.test(code)
      ? "std::thread"
      : has(code, "fork")
        ? "fork"
        : has(code, "select") || has(code, "poll") || has(code, "epoll_wait")
          ? "select"
          : null;
  const words = new Set(wordsOf(code));
  const sensor: string[] = [];
  if (has(code, "rand") || has(code, "random")) sensor.push("random values");
  if (/\w*sleep\s*\(/.test(code)) sensor.push("a period (sleep)");
  const sensorWords = [...words].filter((w) => SENSOR_WORDS.has(w));
  if (sensorWords.length > 0) sensor.push(`sensor words (${sensorWords.join(", ")})`);
  const positional = argvSlots(code);
  return {
    file: path,
    language: "c",
    transports,
    role,
    signs,
    concurrency,
    interactive: /\b(?:fgets|getline|scanf)\s*\(|std::cin/.test(code) && /\b(?:while|for)\s*\(/.test(code),
    answers:
      role === "server"
        ? has(code, "sendto") || has(code, "send") || has(code, "write")
        : has(code, "recv") || has(code, "recvfrom") || has(code, "read"),
    structs: [],
    sensor,
    reliable: ["retransmit", "window", "timeout", "expected", "duplicate", "ack"].filter((w) => words.has(w)),
    commandLine: { style: positional.length > 0 ? "argv" : "none", positional, options: [], env: [] },
    quitWords: [],
    ports: [],
    printed: [],
    // headers of the submission's own, shared by its programs as Python programs share a module
    modules: [...code.matchAll(/#include\s+"([^"]+)"/g)].map((m) => posix.join(posix.dirname(path), m[1]!)),
  };
}

/** The executable a C source builds to, beside it: `tcp/server.c` → `tcp/server`. */
export function executableOf(path: string): string {
  return path.replace(C_EXTENSIONS, "");
}

/**
 * The build command for the C/C++ programs placed: `make` (in each folder with a Makefile) when there is one,
 * else one compiler call per program (with -pthread when it uses threads).
 */
export function buildCommand(
  programs: readonly { readonly file: string; readonly text: string }[],
  makefiles: readonly string[],
): string {
  const steps: string[] = [];
  const made = new Set<string>();
  for (const { file, text } of programs) {
    const dir = posix.dirname(file);
    if (makefiles.includes(dir)) {
      if (!made.has(dir)) steps.push(dir === "." ? "make" : `make -C ${dir}`);
      made.add(dir);
      continue;
    }
    const compiler = /\.c$/.test(file) ? "cc" : "c++";
    const threads = /pthread|std::thread/.test(text) ? " -pthread" : "";
    steps.push(`${compiler} -o ${executableOf(file)} ${file}${threads}`);
  }
  return steps.join(" && ");
}
