// Whether this machine can give a run its own namespaces: user + net + pid + mount namespaces, `lo` up,
// capture permission on that `lo`, and a nested bubblewrap sandbox. Checked once per grader process.
import { runHostCommand } from "./host-command.ts";
import type { RunIdentity } from "./identity.ts";

export interface PreflightResult {
  readonly namespaces: boolean;
  /** Why namespaces cannot be used (the failing command's output), when they cannot. */
  readonly reason?: string;
  readonly ms: number;
}

const PROBE = [
  "ip link set lo up",
  // -d compiles a filter for the device: it opens lo, so it fails without capture permission, and returns.
  "tcpdump -i lo -d >/dev/null",
  // bwrap refuses to start with the ambient capabilities that --keep-caps gives; the launcher drops them too.
  "setpriv --inh-caps=-all --ambient-caps=-all --bounding-set=-all --no-new-privs -- " +
    "bwrap --unshare-user --unshare-pid --die-with-parent --disable-userns --ro-bind /usr /usr " +
    "--ro-bind-try /bin /bin --ro-bind-try /lib /lib --ro-bind-try /lib64 /lib64 --proc /proc --dev /dev -- /bin/true",
].join(" && ");

let cached: Promise<PreflightResult> | undefined;

/** Runs the namespace preflight once for this process and returns its (cached) result. */
export function preflight(identity: RunIdentity): Promise<PreflightResult> {
  cached ??= probe(identity);
  return cached;
}

async function probe(identity: RunIdentity): Promise<PreflightResult> {
  const started = performance.now();
  const command = [
    ...identity.prefix,
    ...["unshare", "--user", "--map-current-user", "--keep-caps", "--net", "--pid", "--fork", "--kill-child"],
    ...["--mount-proc", "--", "/bin/sh", "-c", PROBE],
  ];
  const result = await runHostCommand(command[0]!, command.slice(1), {
    timeoutMs: 5000,
    env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", LANG: "C.UTF-8" },
  });
  const ms = Math.round(performance.now() - started);
  if (result.exitCode === 0) return { namespaces: true, ms };
  const output = `${result.stderr}${result.stdout}`.trim().split("\n").slice(-3).join(" | ");
  const why = result.spawnError ?? (result.timedOut ? "the probe did not finish in 5 s" : output);
  return { namespaces: false, reason: why || `the probe exited with code ${result.exitCode}`, ms };
}
