// Drafting a manifest from a submission's file names (`socklab init`): each task says how its programs are
// named (its init hints: udp + echo, hilos, struct…); the words for server and client, in English and
// Spanish, are shared. Says what it could not place.
import type { InitHints } from "./task.ts";

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

/** A task as drafting sees it: its id and how its programs are named. */
export interface DraftTask {
  readonly id: string;
  readonly init: InitHints | null;
}

/** Which task a file belongs to, judging by the words of its name: the highest-ranked task that matches. */
function taskOf(w: readonly string[], tasks: readonly DraftTask[]): string | null {
  const ranked = tasks
    .flatMap((t) => (t.init ? [{ id: t.id, init: t.init }] : []))
    .sort((a, b) => b.init.rank - a.init.rank);
  const found = ranked.find((t) => t.init.match.some((pattern) => pattern.every((x) => w.includes(x))));
  return found?.id ?? null;
}

/** Places each Python file of a submission into a task and a role. */
export function draftManifest(files: readonly string[], tasks: readonly DraftTask[]): Draft {
  const placed: Placement[] = [];
  const unplaced: string[] = [];
  for (const file of [...files].filter((f) => f.endsWith(".py")).sort()) {
    const w = words(file);
    const role = roleOf(w);
    const task = taskOf(w, tasks);
    if (!role || !task || placed.some((p) => p.task === task && p.role === role)) unplaced.push(file);
    else placed.push({ task, role, file });
  }
  const drafted: Record<string, { server: string; client: string }> = {};
  const incomplete: { task: string; missing: Role; have: string }[] = [];
  const hints = new Map(tasks.map((t) => [t.id, t.init]));
  for (const task of [...new Set(placed.map((p) => p.task))]) {
    const server = placed.find((p) => p.task === task && p.role === "server");
    const borrowed = hints.get(task)?.clientFrom;
    const client =
      placed.find((p) => p.task === task && p.role === "client") ??
      (server && borrowed !== undefined
        ? placed.find((p) => p.task === borrowed && p.role === "client")
        : undefined);
    if (server && client)
      drafted[task] = { server: `python3 ${server.file}`, client: `python3 ${client.file}` };
    else {
      const have = (server ?? client)!;
      incomplete.push({ task, missing: server ? "client" : "server", have: have.file });
    }
  }
  return { tasks: drafted, placed, unplaced, incomplete };
}
