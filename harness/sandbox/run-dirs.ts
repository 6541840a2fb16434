// The directories of one run on the host. The run works in a private staging folder under the system's
// temporary directory (capture, tcpdump's stderr, holder script, the submission's read-only copy, the work
// directory), owned by the uid the sandbox's commands run as — so the caller's out dir may be anywhere, even
// under a 0700 home or a `mktemp -d` checkout. At close the capture and tcpdump's stderr are copied to the
// caller's out dir and the staging folder is removed.
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import {
  chmod,
  chown,
  copyFile,
  cp,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { packageFile } from "../install/index.ts";
import { SandboxError } from "./errors.ts";
import type { RunIdentity } from "./identity.ts";
import { readProcessInfo } from "./process-tree.ts";

/** The folders socklab writes its reports to by default: never copied into a run as part of a submission. */
export const REPORT_FOLDERS = ["socklab-report", "socklab-grades"] as const;

/** The prefix of every staging folder under the system's temporary directory. */
const STAGE_PREFIX = "socklab-run-";
/** The file in a staging folder that names the socklab process it belongs to: "<pid> <start ticks>". */
const OWNER_FILE = "owner";

/** How old a staging folder without an owner file must be before it is taken for abandoned. */
const ORPHAN_AGE_MS = 24 * 3600 * 1000;

/** This process, as the owner file names it (pid and start time: a reused pid is another process). */
function ownerText(): string {
  return `${process.pid} ${readProcessInfo(process.pid)?.startTicks ?? 0}`;
}

/** Staging folders of this process that exist now, removed synchronously if the process exits early. */
const liveStages = new Set<string>();
let exitHook = false;

/**
 * A private staging folder under the system's temporary directory, named `socklab-run-<label>…`, with an owner
 * file naming this process. Whatever way the process ends, it does not outlive it: removed by `removeStage`,
 * by this process's exit, or by a later socklab once this process is gone.
 */
export async function createStage(label = ""): Promise<string> {
  if (!exitHook) {
    exitHook = true;
    process.once("exit", () => {
      for (const stage of liveStages) rmSync(stage, { recursive: true, force: true });
    });
  }
  const stage = await mkdtemp(join(tmpdir(), `${STAGE_PREFIX}${label}`));
  liveStages.add(stage);
  await writeFile(join(stage, OWNER_FILE), ownerText());
  return stage;
}

/** Removes a staging folder made by createStage. */
export async function removeStage(stage: string): Promise<void> {
  await rm(stage, { recursive: true, force: true });
  liveStages.delete(stage);
}

/**
 * Removes staging folders left behind by socklab processes that are gone (killed before they could clean
 * up). A folder whose owner still runs is left alone, and so is one that names no owner until it is a day old.
 * Returns how many it removed.
 */
export async function removeStaleStages(root: string = tmpdir()): Promise<number> {
  let removed = 0;
  let names: string[];
  try {
    names = (await readdir(root)).filter((n) => n.startsWith(STAGE_PREFIX));
  } catch {
    return 0;
  }
  for (const name of names) {
    const owner = await readFile(join(root, name, OWNER_FILE), "utf8").catch(() => null);
    const [pid, ticks] = (owner ?? "").trim().split(" ").map(Number);
    if (!pid || ticks === undefined || Number.isNaN(ticks)) {
      // A folder from a socklab that named no owner: removed once it is a day old.
      const info = await stat(join(root, name)).catch(() => null);
      if (!info || Date.now() - info.mtimeMs < ORPHAN_AGE_MS) continue;
    } else {
      const alive = readProcessInfo(pid);
      if (alive && alive.startTicks === ticks) continue;
    }
    await rm(join(root, name), { recursive: true, force: true }).catch(() => undefined);
    removed++;
  }
  return removed;
}

export interface RunDirs {
  /** The caller's folder: capture.pcap and tcpdump.err end up here. */
  readonly outDir: string;
  /** Where the capture is kept after close. */
  readonly captureFile: string;
  /** The staging folder (removed at close) and the run folder inside it, which tcpdump writes to. */
  readonly stage: string;
  readonly runDir: string;
  /** The capture and tcpdump's stderr while the run lasts. */
  readonly stagedCapture: string;
  readonly tcpdumpErr: string;
  /** Removed at close. */
  readonly scratch: string;
  readonly holderScript: string;
  /** The submission's read-only copy (/sub), when the run has one. */
  readonly sub?: string;
  /** The work directory (/work): in namespace mode a mount point for the holder's tmpfs. */
  readonly work: string;
}

const HOLDER_SOURCE = packageFile("harness", "sandbox", "holder.sh");

/** Creates the run's directories and hands them to the sandbox's uid. */
export async function prepareRunDirs(options: {
  readonly outDir: string;
  readonly submission?: string;
  readonly nftRules?: string;
  readonly identity: RunIdentity;
}): Promise<RunDirs> {
  const outDir = resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  const stage = await createStage();
  // The uid of the sandbox may pass through (not list) the staging folder to reach its own run folder.
  await chmod(stage, 0o711);
  const runDir = join(stage, "run");
  const scratch = join(runDir, `.sandbox-${randomBytes(4).toString("hex")}`);
  const dirs: RunDirs = {
    outDir,
    captureFile: join(outDir, "capture.pcap"),
    stage,
    runDir,
    stagedCapture: join(runDir, "capture.pcap"),
    tcpdumpErr: join(runDir, "tcpdump.err"),
    scratch,
    holderScript: join(scratch, "holder.sh"),
    ...(options.submission === undefined ? {} : { sub: join(scratch, "sub") }),
    work: join(scratch, "work"),
  };
  // A capture of an earlier run in the same out dir would be misleading if this one fails.
  await Promise.all([
    rm(dirs.captureFile, { force: true }),
    rm(join(outDir, "tcpdump.err"), { force: true }),
  ]);
  await mkdir(dirs.work, { recursive: true });
  await copyFile(HOLDER_SOURCE, dirs.holderScript);
  if (options.nftRules !== undefined) await writeFile(join(scratch, "rules.nft"), options.nftRules);
  if (options.submission !== undefined && dirs.sub !== undefined) {
    const source = resolve(options.submission);
    const info = await stat(source).catch(() => undefined);
    if (!info?.isDirectory()) {
      throw new SandboxError("SUBMISSION_NOT_FOUND", `the submission folder ${source} does not exist`);
    }
    // socklab's own reports, when they were written inside the submission, are not the submission's.
    const own = new Set(REPORT_FOLDERS.map((name) => join(source, name)));
    await cp(source, dirs.sub, {
      recursive: true,
      verbatimSymlinks: true,
      filter: (path) => !own.has(path),
    });
  }
  if (options.identity.isRoot) await chownTree(runDir, options.identity.uid, options.identity.gid);
  return dirs;
}

/** Copies the capture and tcpdump's stderr (when there are any) to the out dir and removes the staging folder. */
export async function finishRunDirs(dirs: RunDirs): Promise<void> {
  try {
    await copyFile(dirs.stagedCapture, dirs.captureFile).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
    });
    await copyFile(dirs.tcpdumpErr, join(dirs.outDir, "tcpdump.err")).catch(() => undefined);
  } finally {
    await removeStage(dirs.stage);
  }
}

async function chownTree(path: string, uid: number, gid: number): Promise<void> {
  const info = await lstat(path);
  if (info.isSymbolicLink()) return;
  await chown(path, uid, gid);
  if (!info.isDirectory()) return;
  for (const name of await readdir(path)) await chownTree(join(path, name), uid, gid);
}
