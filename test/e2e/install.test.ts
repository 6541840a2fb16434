// socklab as a user installs it: `npm pack`, the tarball installed into an empty prefix, and the README's
// student commands run as written — from prebuilt JavaScript, with no node_modules and no TypeScript. And
// Gradescope's autograder, run as Gradescope runs it: socklab installed from the tarball in the zip,
// run_autograder on a fake /autograder tree, in host mode, where bubblewrap and unshare are not available.
// One file: each test packs socklab (rebuilding dist/), which must not happen twice at once.
import { execFile } from "node:child_process";
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../harness/cli/main.ts";
import { memoryOutput } from "../../harness/cli/output.ts";
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

describe("socklab gradescope", () => {
  it("writes an autograder whose run_autograder grades a submission into results.json", async () => {
    const zip = join(root, "autograder.zip");
    const output = memoryOutput();
    expect(
      await main(["gradescope", "--out", zip, "--task", "tcp-echo,udp-echo"], output),
      output.stderr.join(""),
    ).toBe(0);

    // Gradescope unpacks the zip into /autograder/source.
    const autograder = join(root, "autograder");
    const source = join(autograder, "source");
    await run("python3", [
      "-c",
      "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])",
      zip,
      source,
    ]);
    await chmod(join(source, "run_autograder"), 0o755);
    await run("bash", ["-n", join(source, "setup.sh")]);
    expect(await readFile(join(source, "setup.sh"), "utf8")).toMatch(
      /npm install -g \/autograder\/source\/socklab\.tgz/,
    );

    // What setup.sh does for socklab itself (apt-get and NodeSource are the image's business).
    const prefix = join(root, "prefix");
    await run("npm", [
      "install",
      "-g",
      "--prefix",
      prefix,
      join(source, "socklab.tgz"),
      "--no-audit",
      "--no-fund",
    ]);

    // No bubblewrap, no unshare, no nsenter: host mode must not need them.
    const shims = join(root, "shims");
    await mkdir(shims);
    for (const tool of ["bwrap", "unshare", "nsenter"]) {
      await writeFile(join(shims, tool), `#!/bin/sh\necho "${tool}: not available" >&2\nexit 127\n`, {
        mode: 0o755,
      });
    }
    await cp(REFERENCE, join(autograder, "submission"), { recursive: true });
    await run("bash", [join(source, "run_autograder")], {
      env: {
        ...process.env,
        AUTOGRADER_ROOT: autograder,
        PATH: `${shims}:${join(prefix, "bin")}:${process.env.PATH}`,
      },
    });
    const results = JSON.parse(await readFile(join(autograder, "results", "results.json"), "utf8"));
    expect(results.score).toBe(26);
    expect(results.tests.length).toBeGreaterThan(10);
    expect(results.tests.every((t: { status: string }) => t.status === "passed")).toBe(true);
  });
});
