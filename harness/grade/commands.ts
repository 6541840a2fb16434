// The program roles of a task's runs, built from the manifest entries: the student's and the reference's
// commands with {host}, {port} and the task's options substituted, and socklab's probes.
import { formatCommand, splitCommand } from "../run/index.ts";
import type { ProgramRole } from "../session/index.ts";
import { substitute, type TaskEntry } from "./manifest.ts";

/**
 * Placeholder values for an entry: host, port, every scalar option (lists joined by spaces), and what the
 * task derives from them (the sensor tasks' {duration}).
 */
export function placeholders(entry: TaskEntry): Record<string, string | number> {
  const values: Record<string, string | number> = { host: entry.host, port: entry.port };
  for (const [key, value] of Object.entries(entry.options)) {
    if (typeof value === "string" || typeof value === "number") values[key] = value;
    else if (Array.isArray(value)) values[key] = value.join(" ");
  }
  for (const [key, value] of Object.entries(entry.derived)) values[key] ??= value;
  return values;
}

/**
 * A command with its placeholders filled in word by word, so a value is one argument whatever it holds (a
 * struct format such as `<iif` or `>hhd` needs no quoting), and a list placeholder standing alone as a word
 * (`{values}`) becomes one argument per item. A command that cannot be split is substituted as text, and its
 * launch then says what is wrong with it.
 */
export function fillCommand(command: string, entry: TaskEntry): string {
  const values = placeholders(entry);
  let words: string[];
  try {
    words = splitCommand(command);
  } catch {
    return substitute(command, values);
  }
  return formatCommand(
    words.flatMap((word) => {
      const whole = /^\{([a-z][a-z_]*)\}$/.exec(word);
      const list = whole ? entry.options[whole[1]!] : undefined;
      if (Array.isArray(list)) return list.map(String);
      return [substitute(word, values)];
    }),
  );
}

/** The student's (or reference's) server or client as a program role. */
export function role(
  entry: TaskEntry,
  which: "server" | "client",
  source: "student" | "reference",
  name: string = which,
  extra: Partial<ProgramRole> = {},
): ProgramRole {
  const values = placeholders(entry);
  const env =
    entry.env === undefined
      ? undefined
      : Object.fromEntries(Object.entries(entry.env).map(([key, value]) => [key, substitute(value, values)]));
  return {
    name,
    source,
    command: fillCommand(entry[which], entry),
    ...(entry.cwd === undefined ? {} : { cwd: entry.cwd }),
    ...(env === undefined ? {} : { env }),
    ...extra,
  };
}

/** One of socklab's probe programs (tasks/probes/), with arguments. */
export function probe(name: string, script: string, args: readonly (string | number)[]): ProgramRole {
  return { name, source: "probe", command: ["python3", script, ...args.map(String)].join(" ") };
}
