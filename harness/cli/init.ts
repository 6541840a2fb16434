// `socklab init [dir]`: drafts a socklab.yaml from the submission's sources, prints what it placed where and
// why, and what is left to finish. See docs/init.md.
import { access, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { TASKS } from "../../tasks/index.ts";
import {
  draftManifest,
  draftTable,
  draftYaml,
  MANIFEST_NAME,
  readSubmissionSources,
} from "../grade/index.ts";
import { type Command, EXIT } from "./command.ts";
import { parseCommandArgs } from "./command-args.ts";
import { HarnessError } from "./harness-error.ts";

const usage = `Usage: socklab init [dir] [--force]

Writes dir/socklab.yaml (default: the current folder) from the Python (and C) programs it finds there, down to
three folders deep: it places each program in a task by its name and by what its code does (the socket type,
listen/accept or connect, threads, struct formats), writes each command with the arguments the program reads
({host}, {port}, --count {count} --interval {interval}…), and drafts the sensor protocol from the struct
formats. It prints a table of what it placed and why, then what is left for you to check. See docs/init.md.

Options:
  --force    overwrite an existing socklab.yaml`;

export const initCommand: Command = {
  name: "init",
  summary: "draft a socklab.yaml manifest from the submission's programs",
  usage,
  async run(args, output) {
    const parsed = parseCommandArgs(args, { force: { type: "boolean" } });
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
    let read: Awaited<ReturnType<typeof readSubmissionSources>>;
    try {
      read = await readSubmissionSources(dir);
    } catch (error) {
      throw new HarnessError("no-dir", `cannot read the folder ${dir}: ${(error as Error).message}`);
    }
    const draft = draftManifest(read.sources, TASKS, read.makefiles);
    if (draft.rows.length === 0) {
      output.err(
        `socklab init: no task placed in ${dir} (${read.sources.length} source file(s) read): write ${MANIFEST_NAME} by hand (docs/manifest.md)`,
      );
      return EXIT.failed;
    }
    await writeFile(file, draftYaml(draft));
    output.out(`Wrote ${file} with ${draft.rows.length} task(s):`);
    output.out("");
    for (const line of draftTable(draft)) output.out(line);
    if (draft.todo.length > 0) {
      output.out("");
      output.out("Left for you:");
      for (const line of draft.todo) output.out(`  - ${line}`);
    }
    return EXIT.ok;
  },
};
