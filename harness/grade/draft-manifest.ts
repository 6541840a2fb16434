// Drafting a manifest from a submission's file names (`socklab init`): recognises the handout's names in
// English and Spanish (server_echo.py, servidor_echo.py, client-echo.py, udp_sender.py, …) and says what it
// could not place.

export type Role = "server" | "client";

export interface Placement {
  readonly task: string;
  readonly role: Role;
  readonly file: string;
}

export interface Draft {
  /** Task id → commands, ready to be written as YAML under `tasks:`. */
  readonly tasks: Record<string, { server: string; client: string }>;
  readonly placed: readonly Placement[];
  /** Python files no task claimed, and tasks with only one of their two programs. */
  readonly unplaced: readonly string[];
  readonly incomplete: readonly { task: string; missing: Role; have: string }[];
}

const SERVER = new Set(["server", "servidor", "srv", "receiver", "receptor", "recv", "receive"]);
const CLIENT = new Set(["client", "cliente", "cli", "sender", "emisor", "send"]);

function words(file: string): string[] {
  return file
    .toLowerCase()
    .replace(/\.py$/, "")
    .split(/[^a-z0-9]+|(?<=[a-z])(?=[0-9])/)
    .filter(Boolean);
}

function roleOf(w: readonly string[]): Role | null {
  if (w.some((x) => SERVER.has(x))) return "server";
  if (w.some((x) => CLIENT.has(x))) return "client";
  return null;
}

/** Which task a file belongs to, judging by the words of its name. */
function taskOf(w: readonly string[]): string | null {
  const has = (...xs: string[]) => xs.some((x) => w.includes(x));
  if (
    has(
      "thread",
      "threaded",
      "threads",
      "threading",
      "hilos",
      "hilo",
      "concurrent",
      "concurrente",
      "multithread",
      "multi",
    )
  ) {
    return "threaded-echo";
  }
  if (has("struct", "binary", "binario", "binaria", "pack", "packed")) return "struct-binary";
  if (has("udp")) return has("echo", "eco") ? "udp-echo" : "udp-oneway";
  if (has("receiver", "receptor", "sender", "emisor")) return "udp-oneway";
  if (has("echo", "eco", "tcp")) return "tcp-echo";
  return null;
}

/** Places each Python file of a submission into a task and a role. */
export function draftManifest(files: readonly string[]): Draft {
  const placed: Placement[] = [];
  const unplaced: string[] = [];
  for (const file of [...files].filter((f) => f.endsWith(".py")).sort()) {
    const w = words(file);
    const role = roleOf(w);
    const task = taskOf(w);
    if (!role || !task || placed.some((p) => p.task === task && p.role === role)) unplaced.push(file);
    else placed.push({ task, role, file });
  }
  const tasks: Record<string, { server: string; client: string }> = {};
  const incomplete: { task: string; missing: Role; have: string }[] = [];
  for (const task of [...new Set(placed.map((p) => p.task))]) {
    const server = placed.find((p) => p.task === task && p.role === "server");
    const client = placed.find((p) => p.task === task && p.role === "client");
    if (server && client)
      tasks[task] = { server: `python3 ${server.file}`, client: `python3 ${client.file}` };
    else {
      const have = (server ?? client)!;
      incomplete.push({ task, missing: server ? "client" : "server", have: have.file });
    }
  }
  return { tasks, placed, unplaced, incomplete };
}
