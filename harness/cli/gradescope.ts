// `socklab gradescope --out autograder.zip`: Gradescope's autograder for the lab. setup.sh installs Node,
// Python, tcpdump, nftables, gcc and socklab on Gradescope's Ubuntu image; run_autograder grades
// /autograder/submission in host mode (Gradescope's container is the sandbox: one submission per container)
// and writes /autograder/results/results.json, visibility (hidden, after the due date) as each check says.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { PACKAGE_ROOT } from "../install/index.ts";
import { type Command, EXIT } from "./command.ts";
import { parseCommandArgs } from "./command-args.ts";
import { HarnessError, UsageError } from "./harness-error.ts";
import { taskList } from "./task-list.ts";
import { zipArchive } from "./zip-archive.ts";

const usage = `Usage: socklab gradescope --out autograder.zip [--task a,b] [--from SPEC]

Writes Gradescope's autograder (upload it as the assignment's "Autograder (.zip)", Ubuntu base image):
setup.sh installs Node 20, Python 3, tcpdump, nftables, gcc and socklab; run_autograder grades the student's
upload (/autograder/submission, with its socklab.yaml) in host mode and writes results.json, hidden and
after-due-date checks as they are declared. docs/ci.md explains it.

Options:
  --out FILE    the zip to write (required)
  --task a,b    the tasks the assignment grades (default: every task)
  --from SPEC   install socklab from SPEC (a git URL or a tarball URL) instead of packing this socklab into the
                zip (a checkout packs itself; an installed socklab needs --from)`;

/** setup.sh: run once, as root, when Gradescope builds the image. */
export function setupScript(install: string): string {
  return `#!/usr/bin/env bash
# Written by \`socklab gradescope\`: installs what the autograder needs on Gradescope's Ubuntu image.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends ca-certificates curl python3 tcpdump iproute2 nftables \\
  util-linux gcc make libc6-dev
if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
  apt-get install -y -qq nodejs
fi
npm install -g ${install}
socklab doctor
`;
}

/** run_autograder: run for each submission; AUTOGRADER_ROOT stands in for /autograder (tests). */
export function runAutograder(tasks: readonly string[] | undefined): string {
  const task = tasks ? ` --task ${tasks.join(",")}` : "";
  return `#!/usr/bin/env bash
# Written by \`socklab gradescope\`: grades /autograder/submission and writes /autograder/results/results.json.
# Host mode: Gradescope's container is the sandbox (one submission per container, nothing else to protect).
set -uo pipefail
root="\${AUTOGRADER_ROOT:-/autograder}"
export SOCKLAB_SANDBOX=host
mkdir -p "$root/results"
cd "$root/submission"
socklab check "$root/submission" --out "$root/results/socklab"${task}
code=$?
if [ -f "$root/results/socklab/results.json" ]; then
  cp "$root/results/socklab/results.json" "$root/results/results.json"
else
  printf '{"score": 0, "output": "socklab could not grade this submission (exit %s): see the log."}\\n' "$code" \\
    > "$root/results/results.json"
fi
# Gradescope reads results.json whatever the exit code; a failed check is not a failed autograder.
exit 0
`;
}

export const gradescopeCommand: Command = {
  name: "gradescope",
  summary: "write Gradescope's autograder (setup.sh, run_autograder, socklab) as a zip",
  usage,
  async run(args, output) {
    const parsed = parse(args);
    const out = parsed.values.out;
    if (out === undefined || parsed.positionals.length > 0)
      throw new UsageError("give the zip to write: --out autograder.zip");
    const tasks = taskList(parsed.values.task);
    const entries: { name: string; data: Uint8Array; mode?: number }[] = [];
    let install: string;
    if (parsed.values.from !== undefined) {
      install = JSON.stringify(parsed.values.from);
    } else {
      const tarball = await packSelf();
      entries.push({ name: "socklab.tgz", data: await readFile(tarball.path) });
      await tarball.release();
      install = "/autograder/source/socklab.tgz";
    }
    entries.push(
      { name: "setup.sh", data: new TextEncoder().encode(setupScript(install)), mode: 0o755 },
      { name: "run_autograder", data: new TextEncoder().encode(runAutograder(tasks)), mode: 0o755 },
    );
    await writeFile(out, zipArchive(entries));
    output.out(
      `Wrote ${out} (${entries.map((e) => e.name).join(", ")}): upload it as the assignment's autograder.`,
    );
    return EXIT.ok;
  },
};

/** This socklab as an npm tarball (a checkout packs itself, building dist/ on the way). */
async function packSelf(): Promise<{ path: string; release(): Promise<void> }> {
  if (!existsSync(join(PACKAGE_ROOT, "package-lock.json"))) {
    throw new HarnessError(
      "no-pack",
      "this socklab is installed, not a checkout, so it cannot pack itself: give --from with a git URL or a tarball URL",
      { owner: "user" },
    );
  }
  const dir = await mkdtemp(join(tmpdir(), "socklab-pack-"));
  await promisify(execFile)("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: PACKAGE_ROOT });
  const [file] = (await readdir(dir)).filter((f) => f.endsWith(".tgz"));
  if (file === undefined) throw new HarnessError("no-pack", `npm pack wrote no tarball in ${dir}`);
  return { path: join(dir, basename(file)), release: () => rm(dir, { recursive: true, force: true }) };
}

function parse(args: string[]) {
  return parseCommandArgs(args, {
    out: { type: "string" },
    task: { type: "string" },
    from: { type: "string" },
  });
}
