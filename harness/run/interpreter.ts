// The Python interpreter for student programs, resolved once per grader process. `python3` on PATH may be a
// shim (pyenv: ~300 ms a start) or live where the sandbox cannot see it; the sandbox shows /usr and friends.
import { realpath } from "node:fs/promises";
import { runHostCommand } from "../sandbox/index.ts";
import { RunError } from "./errors.ts";

export interface Interpreter {
  /** The path to execute (inside the sandbox the same path works). */
  readonly path: string;
  readonly version: string;
  readonly prefix: string;
  readonly basePrefix: string;
  /** Host directories to bind read-only into the sandbox so the interpreter works there. */
  readonly readOnlyBinds: readonly string[];
  /** Why this one was chosen, when it is not simply `python3` from PATH. */
  readonly note?: string;
}

/** Directories every sandbox shows (read-only). */
const SANDBOX_VISIBLE = ["/usr", "/bin", "/sbin", "/lib", "/lib64"];
const SYSTEM_PYTHON = "/usr/bin/python3";
const QUERY =
  "import sys; print(sys.executable); print(sys.prefix); print(sys.base_prefix); print(sys.version.split()[0])";

let cached: Promise<Interpreter> | undefined;

/** The interpreter to use: SOCKLAB_PYTHON if set, else python3 from PATH if the sandbox can see it, else /usr/bin/python3. */
export function resolveInterpreter(): Promise<Interpreter> {
  cached ??= choose().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

/** Replaces a leading `python`/`python3` with the resolved interpreter's path. */
export function substituteInterpreter(argv: readonly string[], interpreter: Interpreter): string[] {
  const [first, ...rest] = argv;
  return first !== undefined && isPythonWord(first) ? [interpreter.path, ...rest] : [...argv];
}

/** Whether a command's first word asks for Python. */
export function isPythonWord(word: string): boolean {
  return word === "python3" || word === "python";
}

/** Whether `path` is inside a directory that every sandbox shows. */
export function visibleInSandbox(path: string): boolean {
  return SANDBOX_VISIBLE.some((dir) => path === dir || path.startsWith(`${dir}/`));
}

interface Candidate {
  readonly executable: string;
  readonly real: string;
  readonly prefix: string;
  readonly basePrefix: string;
  readonly version: string;
}

async function query(command: string): Promise<Candidate | string> {
  const result = await runHostCommand(command, ["-c", QUERY], { timeoutMs: 10_000 });
  if (result.exitCode !== 0)
    return result.spawnError ?? (result.stderr.trim() || `exit code ${result.exitCode}`);
  const [executable = "", prefix = "", basePrefix = "", version = ""] = result.stdout.trim().split("\n");
  const real = await realpath(executable).catch(() => executable);
  return { executable, real, prefix, basePrefix, version };
}

function fromCandidate(c: Candidate, note?: string): Interpreter {
  const binds = visibleInSandbox(c.real)
    ? []
    : [...new Set([c.prefix, c.basePrefix].filter((p) => p !== "" && !visibleInSandbox(p)))];
  return {
    path: c.executable,
    version: c.version,
    prefix: c.prefix,
    basePrefix: c.basePrefix,
    readOnlyBinds: binds,
    ...(note === undefined ? {} : { note }),
  };
}

async function choose(): Promise<Interpreter> {
  const wanted = process.env.SOCKLAB_PYTHON?.trim();
  if (wanted) {
    const chosen = await query(wanted);
    if (typeof chosen === "string")
      throw new RunError("NO_PYTHON", `SOCKLAB_PYTHON=${wanted} does not run: ${chosen}`);
    return fromCandidate(chosen, `SOCKLAB_PYTHON=${wanted}`);
  }
  const [onPath, system] = await Promise.all([query("python3"), query(SYSTEM_PYTHON)]);
  if (typeof onPath !== "string" && visibleInSandbox(onPath.real)) return fromCandidate(onPath);
  if (typeof system !== "string") {
    const why =
      typeof onPath === "string"
        ? `python3 on PATH does not run (${onPath})`
        : `python3 on PATH is ${onPath.real} (${onPath.version}), outside the sandbox's /usr`;
    return fromCandidate(system, `${why}; using ${SYSTEM_PYTHON} (${system.version})`);
  }
  if (typeof onPath !== "string") {
    return fromCandidate(
      onPath,
      `${SYSTEM_PYTHON} does not run (${system}); binding ${onPath.prefix} read-only`,
    );
  }
  throw new RunError("NO_PYTHON", `no Python 3 interpreter: python3: ${onPath}; ${SYSTEM_PYTHON}: ${system}`);
}
