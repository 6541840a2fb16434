// The reference solutions and socklab's probes, staged for the sandbox: copied to a world-readable temporary
// folder, since the uid that runs programs (nobody, when socklab runs as root) may not be able to enter the
// checkout (a `mktemp -d` clone is 0700). The probes folder also gets socklab's lossy link bundled as one file
// (impair_proxy.mjs), since runs see no node_modules.
import { chmod, cp, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { bundleProxy, PROXY_BUNDLE_NAME } from "../impair/index.ts";
import { createStage, removeStage } from "../sandbox/index.ts";
import type { ProgramFolders } from "./run-session.ts";

async function makeReadable(path: string): Promise<void> {
  const info = await stat(path);
  await chmod(path, info.isDirectory() ? 0o755 : 0o644);
  if (info.isDirectory()) for (const name of await readdir(path)) await makeReadable(join(path, name));
}

/** Copies the folders somewhere every uid can read, adds the link program; `release` removes the copy. */
export async function stageProgramFolders(
  folders: ProgramFolders,
): Promise<ProgramFolders & { release(): Promise<void> }> {
  const root = await createStage("programs-");
  const staged = { reference: join(root, "reference"), probes: join(root, "probes") };
  const release = () => removeStage(root);
  try {
    await cp(folders.reference, staged.reference, { recursive: true });
    await cp(folders.probes, staged.probes, { recursive: true });
    await bundleProxy(join(staged.probes, PROXY_BUNDLE_NAME));
    await makeReadable(root);
  } catch (error) {
    await release();
    throw error;
  }
  return { ...staged, release };
}
