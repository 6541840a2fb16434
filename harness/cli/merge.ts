// `socklab merge <dir…> --out DIR`: one gradebook and class index from the outputs of `socklab grade --shard`
// run on several machines (each dir holds one shard's <submission>/socklab.json).
import { mkdir, readdir } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import type { SubmissionResult } from "../grade/index.ts";
import type { Command } from "./command.ts";
import { parseCommandArgs } from "./command-args.ts";
import { requireFolder } from "./folder.ts";
import { classExitCode, readStored, writeClass } from "./grade.ts";
import { HarnessError, UsageError } from "./harness-error.ts";

const usage = `Usage: socklab merge <dir>... --out DIR

Combines the outputs of \`socklab grade --shard K/N\` (one folder per shard, each with its submissions'
reports) into DIR/gradebook.csv, DIR/index.md and DIR/histogram.svg, linking each submission's report where it
is. A submission found in two shards is refused.`;

export const mergeCommand: Command = {
  name: "merge",
  summary: "combine the outputs of socklab grade --shard into one gradebook and class index",
  usage,
  async run(args, output) {
    const parsed = parse(args);
    const out = parsed.values.out;
    if (out === undefined || parsed.positionals.length === 0)
      throw new UsageError("name the shards' folders and --out");
    const outRoot = resolve(out);
    const found = new Map<string, { result: SubmissionResult; report: string }>();
    for (const dir of parsed.positionals) {
      await requireFolder(dir, "shard's output");
      for (const entry of (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory())) {
        const result = await readStored(join(dir, entry.name));
        if (result === null) continue;
        const earlier = found.get(entry.name);
        if (earlier) {
          throw new HarnessError(
            "merge-twice",
            `${entry.name} is in two shards: ${earlier.report} and ${join(dir, entry.name)}`,
            {
              owner: "user",
            },
          );
        }
        found.set(entry.name, { result, report: join(resolve(dir), entry.name, "index.md") });
      }
    }
    if (found.size === 0)
      throw new HarnessError("merge-empty", `no graded submission in ${parsed.positionals.join(", ")}`, {
        owner: "user",
      });
    const names = [...found.keys()].sort();
    const rows = names.map((name) => found.get(name)!.result);
    await mkdir(outRoot, { recursive: true });
    await writeClass(outRoot, rows, (r) => relative(outRoot, found.get(r.submission.name)!.report));
    output.out(
      `Merged ${rows.length} submissions from ${parsed.positionals.length} shard(s) into ${join(outRoot, "gradebook.csv")}`,
    );
    return classExitCode(rows, false);
  },
};

function parse(args: string[]) {
  return parseCommandArgs(args, { out: { type: "string" } });
}
