// socklab as a user installs it: `npm pack`, the tarball installed into an empty prefix, and the README's
// student commands run as written — from prebuilt JavaScript, with no node_modules and no TypeScript.
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { REFERENCE, ROOT } from "./grader.ts";

const run = promisify(execFile);
const root = await mkdtemp(join(tmpdir(), "socklab-install-"));
afterAll(() => rm(root, { recursive: true, force: true }));

describe("an installed socklab", () => {
  it("packs, installs into an empty prefix and grades a student's folder from there", async () => {
    const packs = join(root, "packs");
    await mkdir(packs);
    await run("npm", ["pack", "--pack-destination", packs, "--silent"], { cwd: ROOT });
    const [tarball] = (await readdir(packs)).filter((f) => f.endsWith(".tgz"));
    expect(tarball).toBeDefined();
    const prefix = join(root, "prefix");
    await run("npm", ["install", "-g", "--prefix", prefix, join(packs, tarball!), "--no-audit", "--no-fund"]);
    const socklab = join(prefix, "bin", "socklab");
    // Nothing but socklab itself: everything it runs is in its one-file build.
    expect(await readdir(join(prefix, "lib", "node_modules"))).toEqual(["socklab"]);
    const installed = join(prefix, "lib", "node_modules", "socklab");
    expect((await readdir(installed)).sort()).not.toContain("node_modules");

    const version = await run(socklab, ["--version"]);
    expect(version.stdout.trim()).toMatch(/^socklab \d+\.\d+\.\d+$/);
    // The set-up this test runs under installed every system tool.
    expect((await run(socklab, ["doctor"])).stdout).toMatch(/every system tool socklab uses is installed/);

    // The student's commands, in their own folder.
    const student = join(root, "student");
    await cp(REFERENCE, student, { recursive: true });
    const checked = await run(socklab, ["check", ".", "--task", "tcp-echo,sensor-udp-reliable"], {
      cwd: student,
    });
    expect(checked.stdout).toMatch(/every check passed/);
    expect(await readdir(join(student, "socklab-report"))).toEqual(["only-tcp-echo+sensor-udp-reliable"]);
  });
});
