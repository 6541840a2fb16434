// Whether this machine can give a run its own namespaces: the tools, user + net + pid + mount namespaces, `lo`
// up, capture permission on that `lo`, and a nested bubblewrap sandbox. Checked once per grader process; when
// something is missing, the reason names it and says how to proceed.
import { access, constants } from "node:fs/promises";
import { join } from "node:path";
import { runHostCommand } from "./host-command.ts";
import type { RunIdentity } from "./identity.ts";

export interface PreflightResult {
  readonly namespaces: boolean;
  /** What is missing, in one line, when namespaces cannot be used. */
  readonly reason?: string;
  readonly ms: number;
}

const SEARCH_PATH = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"];

/** The tools a namespace run needs, and the Debian package of each. */
const TOOLS: readonly (readonly [string, string])[] = [
  ["bwrap", "bubblewrap"],
  ["tcpdump", "tcpdump"],
  ["unshare", "util-linux"],
  ["nsenter", "util-linux"],
  ["setpriv", "util-linux"],
  ["prlimit", "util-linux"],
  ["ip", "iproute2"],
];

/** Each step prints its name first, so a failure names the step it stopped in. */
const PROBE = [
  "echo step:lo; ip link set lo up",
  // -d compiles a filter for the device: it opens lo, so it fails without capture permission, and returns.
  "echo step:capture; tcpdump -i lo -d >/dev/null",
  // bwrap refuses to start with the ambient capabilities that --keep-caps gives; the launcher drops them too.
  "echo step:bwrap; setpriv --inh-caps=-all --ambient-caps=-all --bounding-set=-all --no-new-privs -- " +
    "bwrap --unshare-user --unshare-pid --die-with-parent --disable-userns --ro-bind /usr /usr " +
    "--ro-bind-try /bin /bin --ro-bind-try /lib /lib --ro-bind-try /lib64 /lib64 --proc /proc --dev /dev -- /bin/true",
].join(" && ");

const STEP_MEANING: Readonly<Record<string, string>> = {
  lo: "a new network namespace's loopback cannot be brought up",
  capture: "tcpdump may not capture inside a user namespace (capture permission)",
  bwrap: "bubblewrap cannot create its sandbox inside the run's namespaces",
};

const HOW =
  "install what is missing, or, inside a container that is itself the sandbox (Docker, Gradescope) or for " +
  "your own code, grade without isolation with --sandbox host (SOCKLAB_SANDBOX=host)";

let cached: Promise<PreflightResult> | undefined;

/** Runs the namespace preflight once for this process and returns its (cached) result. */
export function preflight(identity: RunIdentity): Promise<PreflightResult> {
  cached ??= probe(identity);
  return cached;
}

/** The one line that says why namespace runs cannot be had here, and how to proceed. */
export function unavailableLine(reason: string): string {
  return `socklab cannot isolate runs on this machine: ${reason}; ${HOW}`;
}

async function missingTools(): Promise<string[]> {
  const missing: string[] = [];
  for (const [tool, pkg] of TOOLS) {
    const found = await Promise.any(
      SEARCH_PATH.map((dir) => access(join(dir, tool), constants.X_OK).then(() => true)),
    ).catch(() => false);
    if (!found)
      missing.push(
        tool === "bwrap" ? "bubblewrap (bwrap) is not installed" : `${tool} (${pkg}) is not installed`,
      );
  }
  return missing;
}

async function probe(identity: RunIdentity): Promise<PreflightResult> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  const missing = await missingTools();
  if (missing.length > 0) return { namespaces: false, reason: missing.join(", "), ms: ms() };
  const command = [
    ...identity.prefix,
    ...["unshare", "--user", "--map-current-user", "--keep-caps", "--net", "--pid", "--fork", "--kill-child"],
    ...["--mount-proc", "--", "/bin/sh", "-c", PROBE],
  ];
  const result = await runHostCommand(command[0]!, command.slice(1), {
    timeoutMs: 5000,
    env: { PATH: SEARCH_PATH.join(":"), LANG: "C.UTF-8" },
  });
  if (result.exitCode === 0) return { namespaces: true, ms: ms() };
  const output = result.stderr.trim().split("\n").slice(-2).join(" | ");
  const step = result.stdout.match(/step:(\w+)\s*$/)?.[1];
  const where =
    step === undefined
      ? "user, network and pid namespaces are refused here"
      : (STEP_MEANING[step] ?? `the ${step} step failed`);
  const detail = result.spawnError ?? (result.timedOut ? "no answer within 5 s" : output);
  return { namespaces: false, reason: detail ? `${where} (${detail})` : where, ms: ms() };
}
