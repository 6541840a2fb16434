// The submission manifest, `socklab.yaml` at the submission root: which commands start each task's server and
// client, optional host and port, and each task's own options (validated by the task's schema). Documented in
// docs/manifest.md.
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { checkProtocol, type Protocol } from "../protocol/index.ts";
import { keyPath, type SchemaIssue, validate, z } from "../schema/index.ts";
import { ManifestError } from "./manifest-error.ts";
import { parseYaml, type YamlPosition } from "./yaml.ts";

export const MANIFEST_NAME = "socklab.yaml";

/** What every task entry has. */
export const baseEntrySchema = z.object({
  server: z.string().trim().min(1, "a command is required, e.g. 'python3 server.py {port}'"),
  client: z.string().trim().min(1, "a command is required, e.g. 'python3 client.py {host} {port}'"),
  host: z.string().trim().min(1).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  /** The folder both programs start in, inside the submission (default: its root). */
  cwd: z
    .string()
    .trim()
    .min(1)
    .refine((path) => !path.startsWith("/") && !path.split("/").includes(".."), {
      error: "a folder inside the submission, e.g. 'src' or 'part2/server' (no leading / and no ..)",
    })
    .optional(),
  /** Environment variables for both programs; {host}, {port} and the task's options are substituted. */
  env: z
    .record(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
      z.union([z.string(), z.number()]).transform(String),
      {
        error: (issue) =>
          issue.code === "invalid_key"
            ? "not an environment variable name: letters, digits and _, e.g. SERVER_PORT"
            : undefined,
      },
    )
    .optional(),
});

/** A task's own options as the grader holds them, before the task reads them as its schema's type. */
export type AnyOptions = Readonly<Record<string, unknown>>;

/**
 * A task entry after validation: the commands and where to meet (the base schema's keys, host and port filled
 * in from the task's defaults), the task's own options, and `input`, the manifest's value for the task as
 * written, which the task's schema parses its options from.
 */
export type TaskEntry<O = AnyOptions> = Readonly<
  Omit<z.output<typeof baseEntrySchema>, "host" | "port"> & {
    host: string;
    port: number;
    options: O;
    input: unknown;
    /** Placeholders the task derives from its options, beside the options themselves. */
    derived: Readonly<Record<string, string | number>>;
  }
>;

/** What the manifest loader needs to know of each task. */
export interface TaskSchemaInfo {
  readonly id: string;
  readonly defaults: { readonly host: string; readonly port: number };
  /** The task's own keys (besides server, client, host, port). */
  readonly options: z.ZodObject;
  /** Placeholders the task derives from its options (e.g. {duration} = count × interval), from the manifest's
   * value for the task. */
  readonly derived?: (input: unknown) => Readonly<Record<string, string | number>>;
}

export interface Manifest {
  readonly file: string;
  readonly student: string | null;
  /** The student's application protocol (struct formats of each message), for the sensor deliverable. */
  readonly protocol: Protocol | null;
  /** The command that builds the programs before any task runs (C sources, a Makefile), or null. */
  readonly build: BuildStep | null;
  readonly tasks: ReadonlyMap<string, TaskEntry>;
}

/** The largest manifest socklab reads: a real one is a few hundred bytes. */
export const MAX_MANIFEST_BYTES = 256 * 1024;

/** `build:` — one shell command run once before the tasks, or `{command, timeout}` (seconds, default 60). */
const buildSchema = z.preprocess(
  (value) => (typeof value === "string" ? { command: value } : value),
  z.strictObject(
    {
      command: z.string().trim().min(1, "a command is required, e.g. 'make' or 'cc -o server server.c'"),
      timeout: z.number().min(1).max(600).default(60),
    },
    { error: "expected a command, e.g. 'make', or a mapping with command and timeout" },
  ),
);

/** The build step of a submission. */
export interface BuildStep {
  readonly command: string;
  readonly timeoutSeconds: number;
}

const topSchema = z.strictObject({
  // Shown in every report and the gradebook.
  student: z.string().max(200).optional(),
  protocol: z.unknown().optional(),
  build: buildSchema.optional(),
  tasks: z.record(z.string(), z.unknown()),
});

function suggestion(word: string, choices: readonly string[]): string {
  const near = choices.find((c) => c.startsWith(word.slice(0, 3)) || word.startsWith(c.slice(0, 3)));
  return near ? ` (did you mean '${near}'?)` : "";
}

/** Where a key path is in the manifest's text, when it was read from one. */
type Position = (path: string) => YamlPosition | null;

function fail(file: string, issues: readonly SchemaIssue[], position?: Position): never {
  const text = issues
    .map((i) => {
      const at = i.path ? position?.(i.path) : null;
      const where = at ? ` (line ${at.line}, column ${at.column})` : "";
      return `${i.path ? `${i.path}${where}: ` : ""}${i.message}`;
    })
    .join("; ");
  throw new ManifestError("invalid", file, text);
}

/**
 * Validates a parsed manifest against the known tasks. Throws one ManifestError naming the file and every
 * problem found, with its key: in every task and in the protocol, not only the first.
 */
export function validateManifest(
  value: unknown,
  file: string,
  known: readonly TaskSchemaInfo[],
  position?: Position,
): Manifest {
  const top = validate(topSchema, value ?? {});
  if (!top.ok) fail(file, top.issues, position);
  const tasks = new Map<string, TaskEntry>();
  const ids = known.map((k) => k.id);
  const problems: SchemaIssue[] = [];
  for (const [id, raw] of Object.entries(top.value.tasks)) {
    const info = known.find((k) => k.id === id);
    if (!info) {
      problems.push({
        path: keyPath(["tasks", id]),
        message: `unknown task${suggestion(id, ids)}; tasks are ${ids.join(", ")}`,
      });
      continue;
    }
    const schema = baseEntrySchema.extend(info.options.shape).strict();
    const entry = validate(schema, raw ?? {}, ["tasks", id]);
    if (!entry.ok) {
      problems.push(...entry.issues);
      continue;
    }
    // The task's own refinements across its keys (struct-binary: the values fit the format).
    const own = validate(info.options, raw ?? {}, ["tasks", id]);
    if (!own.ok) {
      problems.push(...own.issues);
      continue;
    }
    // Valid as a whole: read again as the base keys and as the task's own (each schema keeps its keys only).
    const input = raw ?? {};
    const { server, client, host, port, cwd, env } = baseEntrySchema.parse(input);
    tasks.set(id, {
      server,
      client,
      host: host ?? info.defaults.host,
      port: port ?? info.defaults.port,
      ...(cwd === undefined ? {} : { cwd }),
      ...(env === undefined ? {} : { env }),
      options: own.value,
      input,
      derived: info.derived?.(input) ?? {},
    });
  }
  let protocol: Protocol | null = null;
  if (top.value.protocol !== undefined) {
    const checked = checkProtocol({ protocol: top.value.protocol });
    if (checked.ok) protocol = checked.protocol;
    else problems.push(...checked.problems);
  }
  if (problems.length > 0) fail(file, problems, position);
  const build = top.value.build;
  return {
    file,
    student: top.value.student ?? null,
    protocol,
    build: build === undefined ? null : { command: build.command, timeoutSeconds: build.timeout },
    tasks,
  };
}

/** Reads and validates `<dir>/socklab.yaml`. Throws ManifestError when it is missing or wrong. */
export async function loadManifest(dir: string, known: readonly TaskSchemaInfo[]): Promise<Manifest> {
  const file = join(dir, MANIFEST_NAME);
  let text: string;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new ManifestError("invalid", file, "is not a regular file");
    if (info.size > MAX_MANIFEST_BYTES) {
      throw new ManifestError(
        "invalid",
        file,
        `is ${Math.ceil(info.size / 1024)} KiB; a manifest may be at most ${MAX_MANIFEST_BYTES / 1024} KiB`,
      );
    }
    text = await readFile(file, "utf8");
  } catch (error) {
    if (error instanceof ManifestError) throw error;
    throw new ManifestError(
      "missing",
      file,
      `no manifest; write one (docs/manifest.md) or let \`socklab init ${dir}\` draft it from your file names`,
    );
  }
  const parsed = parseYaml(text);
  if (!parsed.ok) throw new ManifestError("syntax", file, `not valid YAML: ${parsed.message}`);
  return validateManifest(parsed.value, file, known, parsed.position);
}

/** Substitutes {host} and {port} (and any other {name} given) in a command. Unknown names stay as they are. */
export function substitute(command: string, values: Readonly<Record<string, string | number>>): string {
  return command.replace(/\{([a-z][a-z_]*)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}
