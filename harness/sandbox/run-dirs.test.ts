import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readProcessInfo } from "./process-tree.ts";
import { removeStaleStages } from "./run-dirs.ts";

describe("removeStaleStages", () => {
  it("removes the staging folders of socklab processes that are gone, and ownerless ones a day old", async ({
    onTestFinished,
  }) => {
    const root = await mkdtemp(join(tmpdir(), "socklab-stages-"));
    onTestFinished(() => rm(root, { recursive: true, force: true }));
    const stage = async (name: string, owner: string | null) => {
      await mkdir(join(root, name, "run"), { recursive: true });
      if (owner !== null) await writeFile(join(root, name, "owner"), owner);
    };
    const me = `${process.pid} ${readProcessInfo(process.pid)!.startTicks}`;
    await stage("socklab-run-live", me);
    await stage("socklab-run-gone", "999999999 1");
    await stage("socklab-run-reused-pid", `${process.pid} 1`);
    await stage("socklab-run-no-owner", null);
    await stage("socklab-run-old-no-owner", null);
    const old = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    await utimes(join(root, "socklab-run-old-no-owner"), old, old);
    await stage("other-folder", "999999999 1");
    expect(await removeStaleStages(root)).toBe(3);
    expect((await readdir(root)).sort()).toEqual([
      "other-folder",
      "socklab-run-live",
      "socklab-run-no-owner",
    ]);
  });
});
