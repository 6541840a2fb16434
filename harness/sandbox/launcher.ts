// The command line that starts one student program inside a run: join the run's namespaces, drop every
// capability, apply resource limits, and enter a bubblewrap sandbox with a minimal read-only root.
import { existsSync } from "node:fs";
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
  /** Files to open read-only at these descriptors of the launcher when it is spawned (the system-call
   * filter bubblewrap reads). */
  readonly files?: Readonly<Record<number, string>>;
}

/**
 * The first process of a launch, on the host: it closes every descriptor above 2 that socklab did not hand it
 * on purpose (whatever started socklab may have left some open), then joins the program's control groups (the
 * pid of this shell, which then becomes the launcher) before any privilege is dropped, so that every process of
 * the program is born in them. Its failure is socklab's ("cgroup: …"). One shell does both: a launch costs
 * one process per step, and these two are builtins.
 */
// No redirection around the loop: bash would keep a copy of the redirected descriptor above 2.
function hostStart(kept: readonly number[]): string {
  const keep = [0, 1, 2, ...kept].join("|");
  return (
    `for f in /proc/self/fd/*; do n=\${f##*/}; case $n in ${keep}) ;; *) eval "exec $n>&-" ;; esac; done; ` +
    'while [ "$1" != -- ]; do echo $$ 2>/dev/null >"$1" || { echo "cgroup: cannot join $1" >&2; exit 125; }; ' +
    'shift; done; shift; exec "$@"'
  );
}

/**
 * The words that start a launch: close stray descriptors (all above 2 but `kept`), join the groups whose
 * `cgroup.procs` files are given, then exec the rest.
 */
export function launchStart(procsFiles: readonly string[], kept: readonly number[] = []): string[] {
  // --norc: a bash whose standard input is a socket (Node's pipes are) and that has no SHLVL takes itself for
  // one started by sshd and reads ~/.bashrc, whose output would be the program's.
  return ["/bin/bash", "--norc", "-c", hostStart(kept), "socklab-launch", ...procsFiles, "--"];
}

/** The host name programs see inside a run (their own UTS namespace); the run's /etc/hosts maps it to 127.0.0.1. */
export const RUN_HOSTNAME = "socklab";

/** The descriptor bubblewrap reads the system-call filter from (`--seccomp`); socklab opens the file there when
 * it spawns the launcher, and bubblewrap closes it once read. */
export const SECCOMP_FD = 9;

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

/** dash, where the machine has it: a shell that adds nothing to the environment of what it execs but PWD. */
const DASH = ["/usr/bin/dash", "/bin/dash"].find((path) => existsSync(path));

/**
 * The program's parent inside the sandbox, as words. Where the program has a control group, its CPU time is
 * read from there, and nothing of socklab's stays between it and bubblewrap's init (which it cannot signal):
 * this shell sets the process limit, closes what is left of descriptors 3–9 (the launch's first shell closed
 * the rest) and becomes the program; dash, whose `exec` adds nothing to the environment once PWD is unset,
 * where the machine has it (bash adds SHLVL and `_`, which `env -u` then removes). Without a control group,
 * the reporter stays and measures.
 */
function starter(processes: number | undefined, measuredOutside: boolean): string[] {
  if (measuredOutside && DASH !== undefined) {
    // dash calls the process limit -p.
    const limit = processes === undefined ? "" : `ulimit -p ${processes} 2>/dev/null; `;
    const close = [3, 4, 5, 6, 7, 8, 9].map((fd) => `${fd}>&-`).join(" ");
    return [DASH, "-c", `${limit}exec ${close}; unset PWD; exec "$@"`, "student"];
  }
  const limit = processes === undefined ? "" : `ulimit -u ${processes} 2>/dev/null; `;
  return [
    "/bin/bash",
    "--norc",
    "-c",
    measuredOutside
      ? `${limit}${closeFdsAbove(2)}; exec env -u SHLVL -u _ -u PWD -- "$@"`
      : `${limit}${closeFdsAbove(3)}; ${REPORTER}`,
    "student",
  ];
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
  // One process per step, each exec'ing the next: [the start shell: stray descriptors, control groups] →
  // [setpriv: socklab's root drops to the unprivileged uid] → nsenter into the run's namespaces → prlimit →
  // bubblewrap → the starter shell → the program. No setpriv after nsenter: entering the run's user namespace
  // leaves no inheritable or ambient capability, so exec'ing bubblewrap as a uid other than 0 clears the rest;
  // bubblewrap sets no_new_privs and empties the program's bounding set itself.
  const measuredOutside = cgroupProcs.length > 0;
  const command = [
    ...(measuredOutside
      ? launchStart(cgroupProcs, context.seccompFile === undefined ? [] : [SECCOMP_FD])
      : []),
    ...identity.prefix,
    "nsenter",
    `--target=${h}`,
    "--user",
    "--net",
    "--mount",
    `--pid=/proc/${h}/ns/pid_for_children`,
    "--preserve-credentials",
    "--",
    ...["prlimit", ...prlimitArgs(limits, RUN_PROCESSES), "--"],
    ...bwrap,
    ...starter(limits.processes, measuredOutside),
    ...request.argv,
  ];
  return {
    file: command[0]!,
    args: command.slice(1),
    env: LAUNCHER_ENV,
    cwd: "/",
    detached: false,
    ...(context.seccompFile === undefined ? {} : { files: { [SECCOMP_FD]: context.seccompFile } }),
  };
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
    ...(joins.length > 0 ? launchStart(joins) : []),
    ...setpriv,
    ...["--no-new-privs", "--pdeathsig=KILL", "--"],
    ...["prlimit", ...prlimitArgs(limits, joins.length > 0 ? RUN_PROCESSES : limits.processes), "--"],
    ...["env", "-i", ...Object.entries(env).map(([name, value]) => `${name}=${value}`), runToken],
    ...starter(undefined, joins.length > 0),
    ...request.argv,
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
