// Opening a sandbox: choose the mode, prepare the run's directories, start the holder (and with it the
// capture), and hand back a Sandbox that knows how to launch, observe and end the run.
import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { SandboxError } from "./errors.ts";
import { Holder } from "./holder.ts";
import { acquireHostLock } from "./host-lock.ts";
import { runIdentity } from "./identity.ts";
import { runsInterrupted } from "./interrupt.ts";
import { RUN_HOSTNAME } from "./launcher.ts";
import { DEFAULT_LIMITS } from "./limits.ts";
import { preflight, unavailableLine } from "./preflight.ts";
import { finishRunDirs, prepareRunDirs, type RunDirs } from "./run-dirs.ts";
import { RunSandbox } from "./run-sandbox.ts";
import { seccompFilter } from "./seccomp.ts";
import {
  BARRIER_ALLOWANCE,
  DEFAULT_CAPTURE_BUDGET,
  type Sandbox,
  type SandboxMode,
  type SandboxOptions,
} from "./types.ts";

/** The UDP port of the barrier's marker datagram (discard). */
export const MARKER_PORT = 9;
const DEFAULT_WORK_BYTES = 32 * 1024 * 1024;
const DEFAULT_READY_MS = 5000;
const DEFAULT_BARRIER_MS = 5000;
/** Host runs queue for the loopback one by one; every run is bounded, so the queue always moves. */
const DEFAULT_HOST_LOCK_MS = 60 * 60_000;

/**
 * Opens an isolated run (or, when asked for, a host-loopback run) and starts its capture. Throws a SandboxError
 * naming what is missing when namespaces cannot be had and host mode was not asked for.
 */
export async function openSandbox(options: SandboxOptions): Promise<Sandbox> {
  const identity = runIdentity();
  const warnings: string[] = [];
  const mode = await resolveSandboxMode(options.mode ?? "auto");
  if (runsInterrupted()) throw new SandboxError("INTERRUPTED", "socklab was interrupted: no new run starts");
  if (mode === "host" && options.nftRules !== undefined) {
    throw new SandboxError(
      "NFT_NEEDS_NAMESPACE",
      "nftables rules need a namespace run; host mode cannot load them",
    );
  }
  // The lock is taken before the start slot: a run holding the loopback must never wait for a slot held by
  // runs that wait for the loopback.
  const release =
    mode === "host" ? await acquireHostLock(options.hostLockTimeoutMs ?? DEFAULT_HOST_LOCK_MS) : noop;
  const startSlot = options.startSlot ?? ((job) => job());
  let dirs: RunDirs | undefined;
  try {
    return await startSlot(() => start());
  } catch (error) {
    if (dirs) await finishRunDirs(dirs).catch(noop);
    release();
    throw error;
  }

  async function start(): Promise<Sandbox> {
    if (runsInterrupted())
      throw new SandboxError("INTERRUPTED", "socklab was interrupted: no new run starts");
    dirs = await prepareRunDirs({ ...options, identity });
    const workBytes = mode === "namespace" ? (options.workDirBytes ?? DEFAULT_WORK_BYTES) : 0;
    if (mode === "host" && (options.workDirBytes ?? DEFAULT_WORK_BYTES) > 0) {
      warnings.push("host mode: /work is a plain directory, so its disk use is bounded only per file");
    }
    const capture = options.capture ?? true;
    const ports = options.ports ?? [];
    if (mode === "host" && capture && ports.length === 0) {
      warnings.push("host mode without ports: the capture holds all of the host's loopback traffic");
    }
    const filter =
      mode === "host" && ports.length > 0 ? [MARKER_PORT, ...ports].map((p) => `port ${p}`).join(" or ") : "";
    const nonce = randomBytes(8).toString("hex");
    const barrierTimeoutMs = options.barrierTimeoutMs ?? DEFAULT_BARRIER_MS;
    const captureBudget = options.captureBudget ?? DEFAULT_CAPTURE_BUDGET;
    const holder = await Holder.start({
      mode,
      dirs,
      identity,
      workBytes,
      nft: options.nftRules !== undefined,
      capture,
      filter,
      nonce,
      readyTimeoutMs: options.readyTimeoutMs ?? DEFAULT_READY_MS,
      barrierTimeoutMs,
      captureLimits: {
        bytes: captureBudget.bytes + BARRIER_ALLOWANCE.bytes,
        packets: captureBudget.packets + BARRIER_ALLOWANCE.packets,
      },
    });
    const limits = { ...DEFAULT_LIMITS, ...options.limits };
    const seccompFile = mode === "namespace" ? await writeSeccompFilter(dirs.stage, warnings) : undefined;
    const hostsFile = mode === "namespace" ? await writeHosts(dirs.stage) : undefined;
    return new RunSandbox({
      mode,
      identity,
      dirs,
      holder,
      limits,
      warnings,
      capture,
      barrierTimeoutMs,
      captureBudget,
      release,
      workTmpfs: workBytes > 0,
      ...(seccompFile === undefined ? {} : { seccompFile }),
      ...(hostsFile === undefined ? {} : { hostsFile }),
    });
  }
}

/** Writes the system-call filter for this machine's architecture into the run's staging folder. */
async function writeSeccompFilter(stage: string, warnings: string[]): Promise<string | undefined> {
  const filter = seccompFilter();
  if (filter === undefined) {
    warnings.push(`no system-call filter for the ${process.arch} architecture: vsock and ptrace stay open`);
    return undefined;
  }
  const file = join(stage, "seccomp.bpf");
  await writeFile(file, filter, { mode: 0o600 });
  return file;
}

/**
 * The run's /etc/hosts: the grader's own, so that `localhost` resolves as it always did, with the run's host
 * name (RUN_HOSTNAME) on the loopback added, as on a student's laptop: `socket.gethostbyname(
 * socket.gethostname())` gives 127.0.0.1 inside the run whatever the grader's name is.
 */
async function writeHosts(stage: string): Promise<string> {
  const file = join(stage, "hosts");
  const own = await readFile("/etc/hosts", "utf8").catch(() => "127.0.0.1\tlocalhost\n");
  await writeFile(
    file,
    `${own.endsWith("\n") || own === "" ? own : `${own}\n`}127.0.0.1\t${RUN_HOSTNAME}\n`,
    {
      mode: 0o644,
    },
  );
  return file;
}

function noop(): void {}

/**
 * The mode a caller asked for: an explicit option wins, then SOCKLAB_SANDBOX (`setting`), else "auto".
 * Throws a SandboxError for a setting that is neither host nor namespace.
 */
export function requestedMode(
  option: SandboxMode | "auto",
  setting: string | undefined,
): SandboxMode | "auto" {
  const value = setting?.trim() || undefined;
  if (value !== undefined && value !== "host" && value !== "namespace") {
    throw new SandboxError("BAD_SETTING", `SOCKLAB_SANDBOX must be "host" or "namespace", not "${value}"`);
  }
  return option !== "auto" ? option : (value ?? "auto");
}

/**
 * The mode runs will use: host when asked for (option, else SOCKLAB_SANDBOX), else namespaces. Never falls back
 * to the host silently: when namespaces cannot be had, throws a SandboxError whose one line names what is
 * missing and how to proceed.
 */
export async function resolveSandboxMode(option: SandboxMode | "auto"): Promise<SandboxMode> {
  const wanted = requestedMode(option, process.env.SOCKLAB_SANDBOX);
  if (wanted === "host") return "host";
  const check = await preflight(runIdentity());
  if (check.namespaces) return "namespace";
  throw new SandboxError("NAMESPACES_UNAVAILABLE", unavailableLine(check.reason ?? "unknown reason"));
}
