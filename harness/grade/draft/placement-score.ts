// How well a program fits a task: the words of its path (the task's init hints) and what its source does —
// the socket type, the kind of program (echo, one-way, struct, sensor), serving several clients at once, an
// interactive client, reliable delivery. Null when the source rules the task out.
import type { InitHints } from "../task.ts";
import type { ProgramFacts, Role } from "./program-facts.ts";
import type { TaskProfile } from "./task-profiles.ts";

/** The words that name a server and a client, in English, Spanish, Catalan and French. */
const SERVER = new Set([
  "server",
  "servidor",
  "serveur",
  "srv",
  "receiver",
  "receptor",
  "recv",
  "receive",
  "servidora",
]);
const CLIENT = new Set(["client", "cliente", "cli", "sender", "emisor", "emissor", "send", "emetteur"]);
/** The least score that places a program. */
export const THRESHOLD = 5;
const RELIABLE_NAMES = new Set([
  "reliable",
  "fiable",
  "rdt",
  "arq",
  "gbn",
  "gobackn",
  "selrepeat",
  "stopwait",
  "confiable",
]);

/** The lower-case words of a path: its folders' and its file name's (without the extension). */
export function pathWords(path: string): string[] {
  return path
    .toLowerCase()
    .replace(/\.(py|c|cc|cpp|cxx)$/, "")
    .split(/[^a-z0-9]+|(?<=[a-z])(?=[0-9])/)
    .filter(Boolean);
}

/** The side a path's words name, if any. */
export function nameRole(words: readonly string[]): Role | null {
  if (words.some((w) => SERVER.has(w))) return "server";
  if (words.some((w) => CLIENT.has(w))) return "client";
  return null;
}

/** Words of a file's path that name a sensor program. */
const SENSOR_NAMES = new Set(["sensor", "sensors", "sensores", "telemetry", "telemetria"]);

/**
 * Whether a program is a sensor program by itself: its name says so, or enough evidence, or random readings
 * sent periodically with a struct format. A struct server's packed reply, random test values or a float
 * argument are no sensor signs on their own: the struct task's pair may have them all.
 */
function sensorByItself(p: ProgramFacts): boolean {
  return (
    pathWords(p.file).some((w) => SENSOR_NAMES.has(w)) ||
    p.sensor.length >= 3 ||
    (p.structs.length > 0 && p.sensor.includes("random values") && p.sensor.includes("a period (sleep)"))
  );
}

/**
 * Sensor programs: by themselves, or servers that read a sensor client's format or share its module (one
 * that no other client imports: a helper every program of a folder uses says nothing).
 */
export function sensorPrograms(programs: readonly ProgramFacts[]): Set<string> {
  const sensors = new Set(programs.filter(sensorByItself).map((p) => p.file));
  const clients = programs.filter((p) => sensors.has(p.file) && p.role === "client");
  const formats = new Set(
    clients.flatMap((c) => c.structs.filter((s) => s.op === "pack").map((s) => s.format)),
  );
  const shared = new Set(
    programs.filter((p) => p.role === "client" && !sensors.has(p.file)).flatMap((p) => p.modules),
  );
  const modules = new Set(clients.flatMap((c) => c.modules).filter((m) => !shared.has(m)));
  for (const p of programs) {
    if (p.role !== "server" || sensors.has(p.file)) continue;
    if (
      p.structs.some((s) => s.op === "unpack" && formats.has(s.format)) ||
      p.modules.some((m) => modules.has(m))
    )
      sensors.add(p.file);
  }
  return sensors;
}

export interface Scored {
  readonly score: number;
  readonly reasons: string[];
  readonly relief?: number;
}

export function nameScore(words: readonly string[], init: InitHints | null): Scored {
  const pattern = init?.match.find((m) => m.every((w) => words.includes(w)));
  if (!init || !pattern) return { score: 0, reasons: [] };
  return { score: 10 + init.rank / 10, reasons: [`name '${pattern.join("' + '")}'`] };
}

export function sourceScore(
  p: ProgramFacts,
  role: Role,
  profile: TaskProfile,
  sensor: boolean,
): Scored | null {
  const reasons: string[] = [];
  let score = 0;
  // what a concurrent server loses in a one-client task, where it still does the job
  let relief = 0;
  if (p.transports.length > 0) {
    if (!p.transports.includes(profile.transport)) return null;
    score += 4;
    reasons.push(p.signs[0] ?? profile.transport.toUpperCase());
  } else score -= 2;
  const usesStruct = p.structs.length > 0;
  if (profile.kind === "sensor") {
    if (sensor) {
      score += 6;
      reasons.push(
        p.sensor[0] ? `sensor: ${p.sensor.slice(0, 2).join(", ")}` : "reads a sensor client's format",
      );
    } else score -= 6;
  } else if (sensor) return null;
  if (profile.kind === "struct") {
    if (!usesStruct) score -= 6;
    else {
      score += 6;
      reasons.push(`struct.${p.structs[0]!.op} ${p.structs[0]!.format}`);
    }
  } else if (profile.kind !== "sensor" && usesStruct) score -= 4;
  if (profile.transport === "udp" && (profile.kind === "echo" || profile.kind === "oneway")) {
    const echo = profile.kind === "echo";
    const fits = p.answers === echo;
    // a receiver in the echo task, or a client awaiting a reply in the one-way task, waits for ever; an
    // echo server is no one-way receiver
    if (!fits) return null;
    score += 3;
    if (fits && role === "server") reasons.push(echo ? "recvfrom + sendto" : "recvfrom, no reply");
    if (fits && role === "client") reasons.push(echo ? "sendto + recv" : "sendto, no reply awaited");
  }
  if (profile.transport === "tcp" && profile.kind === "echo" && p.answers) score += 2;
  const signs = p.signs.filter((s) => ["listen", "accept", "connect", "create_connection"].includes(s));
  if (profile.transport === "tcp" && signs.length > 0) reasons.push(signs.join(" + "));
  if (role === "server" && profile.transport === "tcp") {
    // one thread multiplexing with select serves several clients, but threads are what the tasks name
    const weight = p.concurrency === "select" ? 0.5 : 1;
    if (profile.concurrent) {
      score += p.concurrency ? 6 * weight : -6;
      if (p.concurrency) reasons.push(p.concurrency);
    } else if (p.concurrency) {
      score -= 6 * weight;
      relief = 6 * weight;
    } else score += 1;
  }
  if (profile.transport === "udp" && profile.kind === "sensor") {
    // one word is chance (a `window` sensor field); two say retransmissions, or expected numbers and duplicates
    const named = pathWords(p.file).filter((w) => RELIABLE_NAMES.has(w));
    const evidence = [...named, ...p.reliable];
    if (profile.reliable) {
      if (evidence.length < 2) return null;
      score += 6;
      reasons.push(`reliable delivery (${evidence.slice(0, 3).join(", ")})`);
    } else if (evidence.length >= 2) score -= 4;
  }
  const meanings = [...p.commandLine.positional, ...p.commandLine.options].map((a) => a.meaning);
  if (profile.placeholders.includes("quit") && meanings.includes("quit")) {
    score += 2;
    reasons.push("takes a quit word");
  }
  if (role === "client" && profile.kind === "echo") {
    if (profile.interactive) {
      score += p.interactive ? 4 : -6;
      if (p.interactive) reasons.push("reads lines until a quit word");
    } else if (p.interactive) score -= 2;
  }
  return { score, reasons, relief };
}
