// From what a program reads on its command line to the arguments of its drafted command: each argument or
// variable is given the manifest placeholder its name or use stands for ({host}, {port}, {count},
// {interval}…), positionals in their order, options by their flag, environment variables by name.
import type { CommandLine, Meaning, Role } from "./program-facts.ts";
import { wordsOf } from "./python-tokens.ts";

const WORDS: readonly [Meaning, readonly string[]][] = [
  ["port", ["port", "puerto", "porta", "porto", "portnum", "portno"]],
  ["clients", ["clients", "clientes", "nclients", "numclients"]],
  [
    "interval",
    [
      "interval",
      "intervalo",
      "intervalle",
      "period",
      "periodo",
      "periode",
      "delay",
      "sleep",
      "every",
      "espera",
      "pause",
      "pausa",
      "cadence",
      "gap",
    ],
  ],
  ["duration", ["duration", "duracion", "duree", "seconds", "segundos", "secondes", "runtime"]],
  [
    "count",
    [
      "count",
      "n",
      "num",
      "number",
      "numero",
      "nombre",
      "cantidad",
      "readings",
      "lecturas",
      "lectures",
      "mesures",
      "medidas",
      "samples",
      "muestras",
      "total",
      "iterations",
      "times",
      "veces",
      "repeat",
      "nb",
      "amount",
    ],
  ],
  ["format", ["fmt", "format", "formato", "formats"]],
  ["values", ["values", "vals", "valores", "valeurs", "nums", "numbers"]],
  ["quit", ["quit", "exit", "salir", "salida", "fin", "bye", "stop", "terminate", "sortir", "adeu"]],
  [
    "host",
    [
      "host",
      "hostname",
      "hote",
      "ip",
      "addr",
      "address",
      "server",
      "servidor",
      "serveur",
      "target",
      "dest",
      "destino",
      "direccion",
      "remote",
      "peer",
    ],
  ],
];

const FLAG_LETTERS: Readonly<Record<string, Meaning>> = {
  p: "port",
  h: "host",
  H: "host",
  a: "host",
  s: "host",
  c: "count",
  n: "count",
  i: "interval",
  d: "duration",
  f: "format",
  q: "quit",
};

/** The placeholder a variable or option name stands for (`puerto` → port, `n_readings` → count), or null. */
export function meaningOfName(name: string): Meaning | null {
  const words = wordsOf(name.normalize("NFD").replace(/[\u0300-\u036f]/g, ""));
  for (const [meaning, list] of WORDS) if (words.some((w) => list.includes(w))) return meaning;
  return null;
}

/** The placeholder an option flag stands for: its words (`--readings`), else its letter (`-p`). */
export function meaningOfFlag(flag: string): Meaning | null {
  const bare = flag.replace(/^-+/, "");
  if (bare.length === 1) return FLAG_LETTERS[bare] ?? null;
  return meaningOfName(bare);
}

/** A drafted command's arguments and environment, with what could not be given. */
export interface DraftedArguments {
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** What the student must look at (an argument socklab has no value for). */
  readonly notes: readonly string[];
}

const placeholder = (m: Meaning) => (m === "address" ? "{host}:{port}" : `{${m}}`);
/** Whether the task offers what a meaning needs: host:port needs both. */
const offered = (m: Meaning, available: readonly Meaning[]) =>
  m === "address" ? available.includes("host") && available.includes("port") : available.includes(m);
/** A client that must be given the text to send gets the line socklab types by default. */
const MESSAGE =
  /^(?:msg|message|messages|mensaje|mensajes|missatge|text|texto|data|datos|payload|linea|line)$/i;
const MESSAGE_TEXT = "Hello, world";

/**
 * The arguments for a program's command: its positionals in order as long as each stands for a placeholder
 * the task offers (a server's trailing host left out: it binds its own default), then its options and
 * environment variables that stand for one.
 */
export function commandArguments(
  commandLine: CommandLine,
  role: Role,
  available: readonly Meaning[],
): DraftedArguments {
  const args: string[] = [];
  const notes: string[] = [];
  const given = new Set<Meaning>();
  const positional: { text: string; meaning: Meaning | null; optional: boolean }[] = [];
  for (const [i, slot] of commandLine.positional.entries()) {
    if (role === "client" && slot.meaning === null && !slot.optional && MESSAGE.test(slot.name)) {
      positional.push({ text: `"${MESSAGE_TEXT}"`, meaning: null, optional: false });
      notes.push(`is given the message "${MESSAGE_TEXT}" as argument ${i + 1} (${slot.name})`);
      if (slot.rest) break;
      continue;
    }
    if (slot.meaning === null || !offered(slot.meaning, available)) {
      if (!slot.optional)
        notes.push(`takes argument ${i + 1} (${slot.name}), which socklab has no value for: add it by hand`);
      break;
    }
    positional.push({ text: placeholder(slot.meaning), meaning: slot.meaning, optional: slot.optional });
    given.add(slot.meaning);
    if (slot.rest) break;
  }
  while (role === "server" && positional.length > 0) {
    const last = positional[positional.length - 1]!;
    if (last.meaning !== "host" || !last.optional) break;
    positional.pop();
    given.delete("host");
  }
  args.push(...positional.map((p) => p.text));
  for (const option of commandLine.options) {
    const m = option.meaning;
    if (m === null || !offered(m, available) || given.has(m)) {
      if (option.required) notes.push(`needs ${option.flag}, which socklab has no value for: add it by hand`);
      continue;
    }
    if (role === "server" && m === "host" && !option.required) continue;
    args.push(option.flag, placeholder(m));
    given.add(m);
  }
  const env: Record<string, string> = {};
  for (const variable of commandLine.env)
    if (variable.meaning !== null && offered(variable.meaning, available))
      env[variable.variable] = placeholder(variable.meaning);
  return { args, env, notes };
}
