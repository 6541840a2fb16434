// `socklab init`'s draft of a manifest: places the submission's programs in tasks (placement.ts), writes each
// command with the placeholders its program reads (argv-placeholders.ts), the folder it runs in, the task
// options the code fixes (a struct format, a quit word, a hard-coded port), the sensor protocol from the
// struct formats (struct-protocol.ts), the reliable server's delivered pattern and the C build command.
// Everything it could not decide is said, for the student to finish.
import { posix } from "node:path";
import { commandArguments, type DraftedArguments } from "./argv-placeholders.ts";
import { buildCommand, executableOf } from "./c-source.ts";
import { deliveredPattern } from "./delivered-pattern.ts";
import { type DraftTask, type Placement, placePrograms } from "./placement.ts";
import type { Meaning, ProgramFacts, Role, StructUse } from "./program-facts.ts";
import { type DraftProtocol, draftProtocol } from "./struct-protocol.ts";
import type { SourceFile } from "./submission-files.ts";
import { readPrograms } from "./submission-sources.ts";
import { TASK_PROFILES, type TaskProfile } from "./task-profiles.ts";

/** A task entry as written under `tasks:`. */
export type DraftEntry = Readonly<Record<string, unknown>> & {
  readonly server: string;
  readonly client: string;
};

export interface DraftManifest {
  readonly build?: string;
  readonly protocol?: DraftProtocol;
  readonly tasks: Readonly<Record<string, DraftEntry>>;
}

/** One task of the draft as the table shows it. */
export interface DraftRow {
  readonly task: string;
  readonly server: string;
  readonly client: string;
  readonly why: Readonly<Record<Role, readonly string[]>>;
}

export interface Draft {
  readonly manifest: DraftManifest;
  readonly rows: readonly DraftRow[];
  readonly placed: readonly Placement[];
  /** What the student must finish or check, one line each. */
  readonly todo: readonly string[];
}

const DEFAULT_QUIT = "end";
const DEFAULT_FORMAT = "=iif";
const DEFAULT_DELIVERED = "seq=(?<seq>\\d+)";

function takes(args: DraftedArguments, meaning: Meaning): boolean {
  const text = `{${meaning}}`;
  return args.args.includes(text) || Object.values(args.env).includes(text);
}

function commonDir(a: string, b: string): string {
  const x = posix.dirname(a).split("/");
  const y = posix.dirname(b).split("/");
  const common: string[] = [];
  for (let i = 0; i < Math.min(x.length, y.length) && x[i] === y[i]; i++) common.push(x[i]!);
  return common.length === 0 ? "." : common.join("/");
}

function commandOf(p: ProgramFacts, cwd: string, args: DraftedArguments): string {
  const relative = cwd === "." ? p.file : posix.relative(cwd, p.file);
  const program =
    p.language === "python"
      ? `python3 ${relative}`
      : `./${executableOf(relative)}`.replace(/^\.\/\.\.\//, "../");
  return [program, ...args.args].join(" ");
}

/** The options the code fixes for a task: struct format and values, quit word, hard-coded port. */
function taskOptions(
  task: DraftTask,
  profile: TaskProfile | undefined,
  server: ProgramFacts,
  client: ProgramFacts,
  args: Record<Role, DraftedArguments>,
  todo: string[],
): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  if (profile?.kind === "struct") {
    // the record with the most values: a length prefix packed before it ('!H') is framing, not the data
    const widest = (uses: readonly StructUse[]) =>
      uses.reduce<StructUse | undefined>(
        (best, u) => (!best || u.names.length > best.names.length ? u : best),
        undefined,
      );
    const packed = widest(client.structs.filter((s) => s.op === "pack"));
    const format = packed?.format ?? widest(server.structs.filter((s) => s.op === "unpack"))?.format;
    if (format && format !== DEFAULT_FORMAT) options.format = format;
    const constants = packed?.constants.every((c) => c !== null) ? packed.constants : null;
    if (constants && !takes(args.client, "values")) options.values = constants;
    else if (options.format && !takes(args.client, "values"))
      todo.push(
        `${task.id}: check that values: [1, 4, 2.7] (the default) are what ${client.file} packs with "${format}"`,
      );
  }
  if (profile?.interactive) {
    const serverWords = takes(args.server, "quit") ? null : server.quitWords;
    const clientWords = takes(args.client, "quit") ? null : client.quitWords;
    let quit: string | undefined;
    if (serverWords?.length && clientWords?.length) {
      quit = clientWords.find((w) => serverWords.includes(w)) ?? clientWords[0];
      if (!serverWords.includes(quit!))
        todo.push(
          `${task.id}: ${client.file} quits with "${quit}" but ${server.file} waits for ${serverWords.join("/")}`,
        );
    } else quit = (serverWords?.length ? serverWords : clientWords)?.[0];
    const known = [...(serverWords ?? []), ...(clientWords ?? [])];
    if (quit && !known.includes(DEFAULT_QUIT)) options.quit = quit;
  }
  // a client whose interval is a whole number of seconds gets one (docs/manifest.md: `interval: 1`)
  const intervals = [...client.commandLine.positional, ...client.commandLine.options];
  if (profile?.kind === "sensor" && intervals.some((a) => a.meaning === "interval" && a.integer))
    options.interval = 1;
  if (task.defaults && !takes(args.server, "port") && !takes(args.client, "port")) {
    const port = server.ports[0] ?? client.ports[0];
    if (port !== undefined && port !== task.defaults.port) options.port = port;
    if (server.ports[0] !== undefined && client.ports[0] !== undefined && server.ports[0] !== client.ports[0])
      todo.push(
        `${task.id}: ${server.file} uses port ${server.ports[0]} but ${client.file} port ${client.ports[0]}`,
      );
  }
  return options;
}

/** Drafts a manifest from a submission's sources. */
export function draftManifest(
  sources: readonly SourceFile[],
  tasks: readonly DraftTask[],
  makefiles: readonly string[] = [],
): Draft {
  const read = readPrograms(sources);
  const byFile = new Map(read.programs.map((p) => [p.file, p]));
  const placement = placePrograms(read.programs, tasks);
  const todo: string[] = [];
  const entries: Record<string, DraftEntry> = {};
  const rows: DraftRow[] = [];
  const protocols = new Map<string, DraftProtocol>();
  const cPrograms = new Set<string>();
  for (const task of tasks) {
    const server = placement.placed.find((p) => p.task === task.id && p.role === "server");
    const client = placement.placed.find((p) => p.task === task.id && p.role === "client");
    if (!server || !client) continue;
    const s = byFile.get(server.file)!;
    const c = byFile.get(client.file)!;
    const profile = TASK_PROFILES[task.id];
    const available = profile?.placeholders ?? ["host", "port"];
    const args = {
      server: commandArguments(s.commandLine, "server", available),
      client: commandArguments(c.commandLine, "client", available),
    };
    for (const [role, a] of Object.entries(args))
      for (const note of a.notes) todo.push(`${task.id}: the ${role} ${note}`);
    const cwd = commonDir(s.file, c.file);
    const env = { ...args.server.env, ...args.client.env };
    const entry: Record<string, unknown> = {
      ...(cwd === "." ? {} : { cwd }),
      server: commandOf(s, cwd, args.server),
      client: commandOf(c, cwd, args.client),
      ...(Object.keys(env).length > 0 ? { env } : {}),
      ...taskOptions(task, profile, s, c, args, todo),
    };
    for (const p of [s, c]) if (p.language === "c") cPrograms.add(p.file);
    if (profile?.kind === "sensor") {
      const drafted = draftProtocol(c, s);
      for (const note of drafted.notes) todo.push(`${task.id}: ${note}`);
      if (drafted.protocol) protocols.set(task.id, drafted.protocol);
    }
    if (profile?.reliable) {
      const reading = protocols.get(task.id)?.messages.find((m) => m.from === "client" && m.sequence);
      const found = deliveredPattern(s.printed, reading?.sequence ?? null);
      if (found.pattern !== null) entry.delivered = found.pattern;
      else
        todo.push(
          `${task.id}: delivered: left at its default '${DEFAULT_DELIVERED}' (${found.why}); make it match only the server's line for each delivered reading`,
        );
    }
    entries[task.id] = entry as DraftEntry;
    rows.push({
      task: task.id,
      server: entry.server as string,
      client: entry.client as string,
      why: { server: server.reasons, client: client.reasons },
    });
  }
  // The first sensor task's protocol is the top-level one; a task whose programs speak another has its own.
  const [first] = protocols.values();
  for (const [task, protocol] of protocols)
    if (JSON.stringify(protocol) !== JSON.stringify(first))
      entries[task] = { ...entries[task]!, protocol } as DraftEntry;
  for (const row of rows) {
    const [server, client] = (["server", "client"] as const).map((role) =>
      placement.placed.find((p) => p.task === row.task && p.role === role),
    );
    if (server?.sharedWith && server.sharedWith === client?.sharedWith)
      todo.push(`${row.task}: no programs of its own; drafted with those of ${server.sharedWith}`);
  }
  for (const u of placement.unplaced) todo.push(`${u.file}: not placed (${u.why})`);
  for (const i of placement.incomplete)
    todo.push(`${i.task}: found ${i.have} but no ${i.missing}; add the task by hand if you have one`);
  if (protocols.size > 0)
    todo.push("protocol: drafted from the struct formats in the code; check the field names");
  const build =
    cPrograms.size > 0
      ? buildCommand(
          sources.filter((src) => cPrograms.has(src.path)).map((src) => ({ file: src.path, text: src.text })),
          makefiles,
        )
      : undefined;
  return {
    manifest: {
      ...(build ? { build } : {}),
      ...(first ? { protocol: first } : {}),
      tasks: entries,
    },
    rows,
    placed: placement.placed,
    todo,
  };
}
