// The directories of one run on the host: the caller's out dir (capture.pcap, tcpdump.err) and a scratch
// folder inside it (holder script, the submission's read-only copy, the work directory), owned by the uid
// that the sandbox's commands run as.
import { randomBytes } from "node:crypto";
import { chown, copyFile, cp, lstat, mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SandboxError } from "./errors.ts";
import type { RunIdentity } from "./identity.ts";

export interface RunDirs {
  readonly outDir: string;
  readonly captureFile: string;
  readonly tcpdumpErr: string;
  /** Removed at close. */
  readonly scratch: string;
  readonly holderScript: string;
  /** The submission's read-only copy (/sub), when the run has one. */
  readonly sub?: string;
  /** The work directory (/work): in namespace mode a mount point for the holder's tmpfs. */
  readonly work: string;
}

const HOLDER_SOURCE = join(dirname(fileURLToPath(import.meta.url)), "holder.sh");

/** Creates the run's directories and hands them to the sandbox's uid. */
export async function prepareRunDirs(options: {
  readonly outDir: string;
  readonly submission?: string;
  readonly nftRules?: string;
  readonly identity: RunIdentity;
}): Promise<RunDirs> {
  const outDir = resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  if (options.identity.isRoot) await checkSearchable(outDir, options.identity);
  const scratch = join(outDir, `.sandbox-${randomBytes(4).toString("hex")}`);
  const dirs: RunDirs = {
    outDir,
    captureFile: join(outDir, "capture.pcap"),
    tcpdumpErr: join(outDir, "tcpdump.err"),
    scratch,
    holderScript: join(scratch, "holder.sh"),
    ...(options.submission === undefined ? {} : { sub: join(scratch, "sub") }),
    work: join(scratch, "work"),
  };
  // Files of an earlier run may belong to another uid, and tcpdump could not replace them.
  await Promise.all([rm(dirs.captureFile, { force: true }), rm(dirs.tcpdumpErr, { force: true })]);
  await mkdir(dirs.work, { recursive: true });
  await copyFile(HOLDER_SOURCE, dirs.holderScript);
  if (options.nftRules !== undefined) await writeFile(join(scratch, "rules.nft"), options.nftRules);
  if (options.submission !== undefined && dirs.sub !== undefined) {
    const source = resolve(options.submission);
    const info = await stat(source).catch(() => undefined);
    if (!info?.isDirectory()) {
      throw new SandboxError("SUBMISSION_NOT_FOUND", `the submission folder ${source} does not exist`);
    }
    await cp(source, dirs.sub, { recursive: true, verbatimSymlinks: true });
  }
  if (options.identity.isRoot) {
    await chown(outDir, options.identity.uid, options.identity.gid);
    await chownTree(scratch, options.identity.uid, options.identity.gid);
  }
  return dirs;
}

/** Removes the scratch folder (the capture and tcpdump's stderr stay). */
export async function removeScratch(dirs: RunDirs): Promise<void> {
  await rm(dirs.scratch, { recursive: true, force: true });
}

async function chownTree(path: string, uid: number, gid: number): Promise<void> {
  const info = await lstat(path);
  if (info.isSymbolicLink()) return;
  await chown(path, uid, gid);
  if (!info.isDirectory()) return;
  for (const name of await readdir(path)) await chownTree(join(path, name), uid, gid);
}

/** Fails clearly when the uid cannot reach `dir` (e.g. an out dir under root's 0700 home). */
async function checkSearchable(dir: string, identity: RunIdentity): Promise<void> {
  for (let current = dirname(dir); ; current = dirname(current)) {
    const info = await stat(current);
    const searchable =
      (info.mode & 0o001) !== 0 ||
      (info.uid === identity.uid && (info.mode & 0o100) !== 0) ||
      (info.gid === identity.gid && (info.mode & 0o010) !== 0);
    if (!searchable) {
      throw new SandboxError(
        "OUTDIR_NOT_REACHABLE",
        `the out dir ${dir} is inside ${current}, which uid ${identity.uid} cannot enter; choose one under /tmp`,
      );
    }
    if (current === "/") return;
  }
}
