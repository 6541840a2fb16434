// `socklab init [dir]`: drafts a socklab.yaml from the handout's file names and says what it could not place.
import { access, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { TASKS } from "../../tasks/index.ts";
import { draftManifest, MANIFEST_NAME, toYaml } from "../grade/index.ts";
import { type Command, EXIT } from "./command.ts";
import { HarnessError, UsageError } from "./harness-error.ts";

const usage = `Usage: socklab init [dir] [--force]

Writes dir/socklab.yaml (default: the current folder) by recognising the handout's file names, e.g.
server_echo.py / servidor_echo.py, client_echo.py / cliente_echo.py, udp_sender.py, struct_server.py,
threaded_client.py. It lists the Python files it could not place; check the commands (add {host} and {port}
if your programs take them) before grading. See docs/manifest.md.

Options:
  --force    overwrite an existing socklab.yaml`;

export const initCommand: Command = {
  name: "init",
  summary: "draft a socklab.yaml manifest from the handout's file names",
  usage,
  async run(args, output) {
    let parsed: ReturnType<
      typeof parseArgs<{ args: string[]; allowPositionals: true; options: { force: { type: "boolean" } } }>
    >;
    try {
      parsed = parseArgs({ args, allowPositionals: true, options: { force: { type: "boolean" } } });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const dir = parsed.positionals[0] ?? ".";
    const file = join(dir, MANIFEST_NAME);
    const exists = await access(file).then(
      () => true,
      () => false,
    );
    if (exists && !parsed.values.force) {
      throw new HarnessError("exists", `${file} already exists (use --force to overwrite it)`, {
        owner: "user",
      });
    }
    let files: string[];
    try {
      files = await readdir(dir);
    } catch (error) {
      throw new HarnessError("no-dir", `cannot read the folder ${dir}: ${(error as Error).message}`);
    }
    const draft = draftManifest(files, TASKS);
    const header =
      "# Drafted by `socklab init`: check each command (docs/manifest.md), then run `socklab check`.\n";
    await writeFile(file, header + toYaml({ tasks: draft.tasks }));
    output.out(`Wrote ${file} with ${Object.keys(draft.tasks).length} task(s):`);
    for (const [task, entry] of Object.entries(draft.tasks))
      output.out(`  ${task}: ${entry.server} | ${entry.client}`);
    for (const i of draft.incomplete)
      output.out(`  ${i.task}: found ${i.have} but no ${i.missing}; add it by hand`);
    if (draft.unplaced.length > 0) output.out(`Could not place: ${draft.unplaced.join(", ")}`);
    return EXIT.ok;
  },
};
