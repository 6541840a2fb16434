// Which task and side each program of a submission is: judged by the words of its path (each task's init
// hints: udp + echo, hilos, struct…) and by what its source does (the socket type, listen/accept or
// connect, threads, struct formats, what marks a sensor or a reliable-delivery program). Every program
// gets a score for each task it could be; the best scores are placed first, one program per place; a
// task left with one side takes it from the task its hints name (`clientFrom`), else reuses a program
// placed elsewhere that fits.
import type { InitHints } from "../task.ts";
import { nameRole, nameScore, pathWords, sensorPrograms, sourceScore, THRESHOLD } from "./placement-score.ts";
import type { ProgramFacts, Role } from "./program-facts.ts";
import { TASK_PROFILES } from "./task-profiles.ts";

/** A task as drafting sees it: its id, its file-name hints, and its default host and port. */
export interface DraftTask {
  readonly id: string;
  readonly init: InitHints | null;
  readonly defaults?: { readonly host: string; readonly port: number };
}

export interface Placement {
  readonly task: string;
  readonly role: Role;
  readonly file: string;
  /** Why: the name's words and the source's signs, e.g. ["name 'udp'", "SOCK_DGRAM", "recvfrom"]. */
  readonly reasons: readonly string[];
  /** The task whose program this one also is, when it was borrowed or reused. */
  readonly sharedWith: string | null;
}

export interface PlacementResult {
  readonly placed: readonly Placement[];
  /** Programs no task took, each with why. */
  readonly unplaced: readonly { readonly file: string; readonly why: string }[];
  /** Tasks with only one of their two programs. */
  readonly incomplete: readonly { readonly task: string; readonly missing: Role; readonly have: string }[];
}

/** Places each program into a task and a side. */
export function placePrograms(
  programs: readonly ProgramFacts[],
  tasks: readonly DraftTask[],
): PlacementResult {
  const sensors = sensorPrograms(programs);
  const rank = new Map(tasks.map((t) => [t.id, t.init?.rank ?? 0]));
  const candidates: {
    task: string;
    role: Role;
    file: string;
    score: number;
    /** The score from the source alone, without the name's words. */
    source: number;
    reasons: string[];
  }[] = [];
  /** Every place a program could take at all: a task's missing side may take a weaker fit. */
  const fitting: (typeof candidates)[number][] = [];
  const roles = new Map<string, Role | null>();
  for (const p of programs) {
    const words = pathWords(p.file);
    const role = p.role ?? nameRole(words);
    roles.set(p.file, role);
    if (!role) continue;
    for (const task of tasks) {
      const byName = nameScore(words, task.init);
      if (role === "client" && task.init?.clientFrom && byName.score === 0) continue;
      const profile = TASK_PROFILES[task.id];
      const bySource = profile
        ? sourceScore(p, role, profile, sensors.has(p.file))
        : { score: 0, reasons: [] };
      if (!bySource) continue;
      const score = byName.score + bySource.score;
      const candidate = {
        task: task.id,
        role,
        file: p.file,
        score,
        source: bySource.score,
        reasons: [...new Set([...byName.reasons, ...bySource.reasons])],
      };
      if (score + (bySource.relief ?? 0) >= THRESHOLD) fitting.push(candidate);
      if (score >= THRESHOLD) candidates.push(candidate);
    }
  }
  candidates.sort(
    (a, b) =>
      b.score - a.score || (rank.get(b.task) ?? 0) - (rank.get(a.task) ?? 0) || a.file.localeCompare(b.file),
  );
  const placed: Placement[] = [];
  const slot = (task: string, role: Role) => placed.find((x) => x.task === task && x.role === role);
  for (const c of candidates) {
    if (slot(c.task, c.role) || placed.some((x) => x.file === c.file)) continue;
    placed.push({ task: c.task, role: c.role, file: c.file, reasons: c.reasons, sharedWith: null });
  }
  // A task with one side: its hints' clientFrom, else a program placed elsewhere that fits.
  for (const task of tasks) {
    const server = slot(task.id, "server");
    const client = slot(task.id, "client");
    if (!server === !client) continue;
    const missing: Role = server ? "client" : "server";
    const from = task.init?.clientFrom;
    const borrowed = missing === "client" && from ? slot(from, "client") : undefined;
    const reused = borrowed ?? fitting.find((c) => c.task === task.id && c.role === missing);
    if (!reused) continue;
    const owner = borrowed ? from! : (placed.find((x) => x.file === reused.file)?.task ?? null);
    placed.push({
      task: task.id,
      role: missing,
      file: reused.file,
      reasons: borrowed ? [`the client of ${from}`] : reused.reasons,
      sharedWith: owner,
    });
  }
  // A task with no program of its own: the pair of another task that fits it too (a reliable UDP pair also
  // does plain UDP readings, a threaded server also serves one client).
  for (const task of tasks) {
    const profile = TASK_PROFILES[task.id];
    if (
      slot(task.id, "server") ||
      slot(task.id, "client") ||
      !profile ||
      profile.reliable ||
      profile.concurrent
    )
      continue;
    for (const other of tasks) {
      const server = slot(other.id, "server");
      const client = slot(other.id, "client");
      if (!server || !client || other.id === task.id) continue;
      const fits = (role: Role, file: string) =>
        candidates.find(
          (c) => c.task === task.id && c.role === role && c.file === file && c.source >= THRESHOLD,
        );
      const s = fits("server", server.file);
      const c = task.init?.clientFrom === other.id ? client : fits("client", client.file);
      if (!s || !c) continue;
      placed.push({ task: task.id, role: "server", file: s.file, reasons: s.reasons, sharedWith: other.id });
      placed.push({ task: task.id, role: "client", file: c.file, reasons: c.reasons, sharedWith: other.id });
      break;
    }
  }
  const order = new Map(tasks.map((t, i) => [t.id, i]));
  placed.sort((a, b) => (order.get(a.task) ?? 0) - (order.get(b.task) ?? 0) || a.role.localeCompare(b.role));
  const unplaced = programs
    .filter((p) => !placed.some((x) => x.file === p.file))
    .map((p) => ({
      file: p.file,
      why: !roles.get(p.file)
        ? "neither its source nor its name says server or client"
        : sensors.has(p.file) && !candidates.some((c) => c.file === p.file)
          ? "a sensor program that fits no sensor task"
          : candidates.some((c) => c.file === p.file)
            ? "its task already has that program"
            : "fits no task",
    }));
  const incomplete: { task: string; missing: Role; have: string }[] = [];
  for (const task of tasks) {
    const server = slot(task.id, "server");
    const client = slot(task.id, "client");
    if (!server === !client) continue;
    incomplete.push({ task: task.id, missing: server ? "client" : "server", have: (server ?? client)!.file });
  }
  return { placed, unplaced, incomplete };
}
