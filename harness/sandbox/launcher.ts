// The command line that starts one student program inside a run: join the run's namespaces, drop every
// capability, apply resource limits, and enter a bubblewrap sandbox with a minimal read-only root.
import { isAbsolute, join, posix, relative } from "node:path";
import type { ProgramCgroup } from "./cgroups.ts";
import type { RunIdentity } from "./identity.ts";
import { prlimitArgs, type ResourceLimits, RUN_PROCESSES } from "./limits.ts";

/** What to start, in the sandbox's terms. */
export interface LaunchRequest {
  readonly argv: readonly string[];
  /** Working directory inside the sandbox: absolute, or relative to /work. Default /work. */
  readonly cwd?: string;
  /** Host paths to show read-only: at the same place (an interpreter that lives outside /usr), or at `at`. */
  readonly readOnlyBinds?: readonly (string | { readonly host: string; readonly at: string })[];
  /** Extra environment variables for the program. */
  readonly env?: Readonly<Record<string, string>>;
}

/** How to spawn the launcher on the host. */
export interface LaunchPlan {
  readonly file: string;
  readonly args: readonly string[];
  /** The launcher's own environment (the program's is set inside). */
  readonly env: Readonly<Record<string, string>>;
  /** Host working directory for the spawn. */
  readonly cwd: string;
  /** Whether to start a new session on the host (host mode: the process group is the program's tree). */
  readonly detached: boolean;
  /** The program's control group, where the machine has them: its limits, CPU time and what it ran into.
   * Without one, the launcher's descriptor 3 carries the reporter shell's CPU time. */
  readonly cgroup?: ProgramCgroup;
}

/**
 * Joins the program's control groups (the pid of this shell, which then becomes the launcher), before any
 * privilege is dropped: every process of the program is born in them. Its failure is socklab's ("cgroup: …").
 */
const CGROUP_JOIN =
  'while [ "$1" != -- ]; do echo $$ 2>/dev/null >"$1" || { echo "cgroup: cannot join $1" >&2; exit 125; }; ' +
  'shift; done; shift; exec "$@"';

/** The words that put a command into the groups whose `cgroup.procs` files are given (none: nothing). */
export function cgroupJoin(procsFiles: readonly string[]): string[] {
  return procsFiles.length === 0 ? [] : ["/bin/sh", "-c", CGROUP_JOIN, "cgroup", ...procsFiles, "--"];
}

/** The host name programs see inside a run (their own UTS namespace); the run's /etc/hosts maps it to 127.0.0.1. */
export const RUN_HOSTNAME = "socklab";

/** The descriptor bubblewrap reads the system-call filter from. */
const SECCOMP_FD = 9;

/**
 * Opens the system-call filter on the descriptor bubblewrap reads it from (`--seccomp`), as the first step,
 * while the file is still in reach. Its failure is socklab's ("seccomp: …").
 */
// (`exec` with redirections only keeps them for the rest of the shell: nothing else may be redirected there.)
const SECCOMP_OPEN = `[ -r "$1" ] || { echo "seccomp: cannot open $1" >&2; exit 125; }; exec ${SECCOMP_FD}<"$1"; shift; exec "$@"`;

/** The words that start a command with the filter in `file` open for bubblewrap (no file: nothing). */
export function seccompOpen(file: string | undefined): string[] {
  return file === undefined ? [] : ["/bin/sh", "-c", SECCOMP_OPEN, "seccomp", file];
}

/** Where a run keeps the submission's two views on the host. */
export interface LaunchPaths {
  /** The read-only copy, shown as /sub (absent when the run has no submission). */
  readonly sub?: string;
  /** The writable scratch directory, shown as /work (namespace mode: the holder's tmpfs). */
  readonly work: string;
}

/**
 * Runs inside the sandbox as the program's parent: it reports the program tree's CPU time on fd 3 (bwrap's
 * monitor does not wait for its child, so a `times` outside bwrap would miss it). The traps keep it waiting
 * for the program when a stop signal reaches it, and are reset for the program itself by exec; `env -u`
 * removes the variables bash adds, so the program's environment is exactly the one given.
 */
const REPORTER =
  'trap : INT TERM HUP; env -u SHLVL -u _ -u PWD -- "$@" 3>&-; s=$?; times >&3 2>/dev/null; exit $s';

/**
 * Closes every descriptor above `last` (inherited from whatever started socklab): a program starts with 0–2
 * only (the reporter keeps its fd 3, which it closes for the program).
 */
// No redirection around the loop: bash would keep a copy of the redirected descriptor above 2, and close it.
const closeFdsAbove = (last: number) =>
  `for f in /proc/self/fd/*; do n=\${f##*/}; [ "$n" -gt ${last} ] && eval "exec $n>&-"; done`;

/**
 * Where the program has a control group, its CPU time is read from there, and nothing of socklab's stays
 * between it and bubblewrap's init (which it cannot signal): this shell sets the process limit, closes stray
 * descriptors and becomes the program. Without one, the reporter stays and measures.
 */
function starter(processes: number | undefined, measuredOutside: boolean): string {
  const limit = processes === undefined ? "" : `ulimit -u ${processes} 2>/dev/null; `;
  return measuredOutside
    ? `${limit}${closeFdsAbove(2)}; exec env -u SHLVL -u _ -u PWD -- "$@"`
    : `${limit}${closeFdsAbove(3)}; ${REPORTER}`;
}

const LAUNCHER_ENV = { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", LANG: "C.UTF-8" };

/** The environment every student program gets, besides HOME and the request's own. */
export function programEnvironment(home: string): Record<string, string> {
  return {
    PATH: "/usr/bin:/bin",
    HOME: home,
    LANG: "C.UTF-8",
    PYTHONUNBUFFERED: "1",
    PYTHONDONTWRITEBYTECODE: "1",
    // glibc reserves 64 MiB of address space per malloc arena (8 per core); two arenas let threaded
    // servers start over a hundred threads under the address-space limit.
    MALLOC_ARENA_MAX: "2",
  };
}

/** The working directory inside the sandbox for a request. */
export function sandboxCwd(cwd: string | undefined): string {
  if (cwd === undefined || cwd === "") return "/work";
  return isAbsolute(cwd) ? posix.normalize(cwd) : posix.join("/work", cwd);
}

/** The launch plan for a namespace-mode run whose holder (the `unshare` process) is `holderPid`. */
export function namespaceLaunch(
  request: LaunchRequest,
  context: {
    readonly holderPid: number;
    readonly identity: RunIdentity;
    readonly limits: ResourceLimits;
    readonly paths: LaunchPaths;
    /** The program's control groups, joined first (empty without cgroups). */
    readonly cgroupProcs?: readonly string[];
    /** A folder in the run's mount namespace to show as /tmp (default: a tmpfs of its own). */
    readonly tmpDir?: string;
    /** The compiled system-call filter (see seccomp.ts), or none where the machine's architecture has none. */
    readonly seccompFile?: string;
    /** The run's /etc/hosts, which names RUN_HOSTNAME (none: the host's). */
    readonly hostsFile?: string;
  },
): LaunchPlan {
  const { holderPid: h, identity, limits, paths } = context;
  const cgroupProcs = context.cgroupProcs ?? [];
  const env = { ...programEnvironment("/work"), ...request.env };
  const bwrap = [
    "bwrap",
    "--unshare-user",
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-uts",
    "--unshare-cgroup-try",
    "--die-with-parent",
    "--new-session",
    "--disable-userns",
    ...(context.seccompFile === undefined ? [] : ["--seccomp", String(SECCOMP_FD)]),
    ...["--ro-bind", "/usr", "/usr", "--ro-bind-try", "/bin", "/bin", "--ro-bind-try", "/sbin", "/sbin"],
    ...["--ro-bind-try", "/lib", "/lib", "--ro-bind-try", "/lib64", "/lib64", "--ro-bind", "/etc", "/etc"],
    ...(context.hostsFile === undefined
      ? []
      : ["--hostname", RUN_HOSTNAME, "--ro-bind", context.hostsFile, "/etc/hosts"]),
    ...["--dev", "/dev", "--proc", "/proc"],
    // /tmp: a folder of the run's work tmpfs when the run made one (its size and inode limits bound it),
    // else a tmpfs of its own.
    ...(context.tmpDir === undefined
      ? ["--size", String(limits.tmpBytes), "--tmpfs", "/tmp"]
      : ["--bind", context.tmpDir, "/tmp"]),
    ...(paths.sub === undefined ? [] : ["--ro-bind", paths.sub, "/sub"]),
    ...["--bind", paths.work, "/work"],
    ...(request.readOnlyBinds ?? []).flatMap((b) =>
      typeof b === "string" ? ["--ro-bind", b, b] : ["--ro-bind", b.host, b.at],
    ),
    ...["--chdir", sandboxCwd(request.cwd), "--clearenv"],
    ...Object.entries(env).flatMap(([name, value]) => ["--setenv", name, value]),
    "--",
  ];
  const command = [
    ...seccompOpen(context.seccompFile),
    ...cgroupJoin(cgroupProcs),
    ...identity.prefix,
    "nsenter",
    `--target=${h}`,
    "--user",
    "--net",
    "--mount",
    `--pid=/proc/${h}/ns/pid_for_children`,
    "--preserve-credentials",
    "--",
    ...["setpriv", "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"],
    ...["prlimit", ...prlimitArgs(limits, RUN_PROCESSES), "--"],
    ...bwrap,
    ...["/bin/bash", "-c", starter(limits.processes, cgroupProcs.length > 0), "student", ...request.argv],
  ];
  return { file: command[0]!, args: command.slice(1), env: LAUNCHER_ENV, cwd: "/", detached: false };
}

/** The launch plan for a host-mode run: limits and an unprivileged uid, but no isolation. */
export function hostLaunch(
  request: LaunchRequest,
  context: {
    readonly identity: RunIdentity;
    readonly limits: ResourceLimits;
    readonly paths: LaunchPaths;
    /** `SOCKLAB_RUN=<token>`, left in the program's environment to find its daemons at the end. */
    readonly runToken: string;
    /** The program's control groups, joined first (empty without cgroups). */
    readonly cgroupProcs?: readonly string[];
  },
): LaunchPlan {
  const { identity, limits, paths, runToken } = context;
  const setpriv = identity.isRoot
    ? [
        "setpriv",
        `--reuid=${identity.uid}`,
        `--regid=${identity.gid}`,
        "--clear-groups",
        "--inh-caps=-all",
        "--bounding-set=-all",
      ]
    : ["setpriv"];
  const env = { ...programEnvironment(paths.work), ...request.env };
  // Every program shares the host's uid 65534 here, so RLIMIT_NPROC counts them all together: with a control
  // group per program, pids.max is the program's limit and RLIMIT_NPROC only a ceiling.
  const joins = context.cgroupProcs ?? [];
  const command = [
    ...cgroupJoin(joins),
    ...setpriv,
    ...["--no-new-privs", "--pdeathsig=KILL", "--"],
    ...["prlimit", ...prlimitArgs(limits, joins.length > 0 ? RUN_PROCESSES : limits.processes), "--"],
    ...["env", "-i", ...Object.entries(env).map(([name, value]) => `${name}=${value}`), runToken],
    ...["/bin/bash", "-c", starter(undefined, joins.length > 0), "student", ...request.argv],
  ];
  return {
    file: command[0]!,
    args: command.slice(1),
    env: LAUNCHER_ENV,
    cwd: hostPath(sandboxCwd(request.cwd), paths, request.readOnlyBinds),
    detached: true,
  };
}

/**
 * The host path for a sandbox path under /work, /sub or a folder shown elsewhere (host mode has no mount
 * namespace: socklab's reference programs and probes run from where they are on the host).
 */
export function hostPath(
  sandboxPath: string,
  paths: LaunchPaths,
  binds: LaunchRequest["readOnlyBinds"] = [],
): string {
  const moved = binds.flatMap((b) => (typeof b === "string" ? [] : [[b.at, b.host] as const]));
  for (const [mount, source] of [["/work", paths.work] as const, ["/sub", paths.sub] as const, ...moved]) {
    if (source === undefined) continue;
    const rest = relative(mount, sandboxPath);
    if (rest === "") return source;
    if (!rest.startsWith("..") && !isAbsolute(rest)) return join(source, rest);
  }
  return sandboxPath;
}
