// `socklab ci github [dir]`: writes the GitHub Actions workflow that grades a student's repository on every
// push (GitHub Classroom): installs Node, socklab and the system tools, runs `socklab check`, keeps the reports
// as an artifact, writes the report to the job's summary, annotates the student's code where a failure points
// into it, and fails the job when a check fails or a task is missing.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Command, EXIT } from "./command.ts";
import { parseCommandArgs } from "./command-args.ts";
import { requireFolder } from "./folder.ts";
import { HarnessError, UsageError } from "./harness-error.ts";
import { taskList } from "./task-list.ts";

const usage = `Usage: socklab ci github [dir] --from SPEC [--task a,b] [--force]

Writes dir/.github/workflows/socklab.yml (default: the current folder, the root of the student's repository):
on every push and pull request it installs socklab from SPEC (what \`npm install -g\` takes: a git URL such as
git+https://github.com/course/socklab.git, or the URL of a packed tarball), installs the system tools, grades
the repository with \`socklab check\` (only the --task tasks, when given), uploads the reports, writes them
to the job's summary and fails the job when a check fails. docs/ci.md explains it.

Options:
  --from SPEC   where the workflow installs socklab from (required)
  --task a,b    the tasks the course expects in this repository (default: every task)
  --force       overwrite an existing workflow`;

/** The workflow's text. */
export function githubWorkflow(options: {
  readonly from: string;
  readonly tasks?: readonly string[];
}): string {
  const task = options.tasks ? ` --task ${options.tasks.join(",")}` : "";
  // sudo keeps the PATH (socklab and node) and what GitHub gives the step (its summary file, the workspace).
  const sudo = 'sudo --preserve-env=GITHUB_ACTIONS,GITHUB_STEP_SUMMARY,GITHUB_WORKSPACE env "PATH=$PATH"';
  return `# Written by \`socklab ci github\`: grades this repository with socklab on every push (docs/ci.md).
name: socklab
on: [push, pull_request, workflow_dispatch]
jobs:
  socklab:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - name: Install socklab
        run: npm install -g ${JSON.stringify(options.from)}
      - name: Install the system tools socklab uses
        run: ${sudo} socklab doctor --install
      - name: Grade
        run: ${sudo} socklab check . --out socklab-report${task}
      - name: Keep the reports
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: socklab-report
          path: socklab-report
`;
}

export const ciCommand: Command = {
  name: "ci",
  summary: "write the GitHub Actions workflow that grades a student's repository on every push",
  usage,
  async run(args, output) {
    const parsed = parse(args);
    const [platform, dir = ".", ...rest] = parsed.positionals;
    if (platform !== "github" || rest.length > 0)
      throw new UsageError("name the platform: socklab ci github [dir]");
    const from = parsed.values.from;
    if (from === undefined || from.trim() === "") {
      throw new UsageError(
        "--from is required: where the workflow installs socklab from (a git URL or a tarball URL)",
      );
    }
    const tasks = taskList(parsed.values.task);
    await requireFolder(dir, "student's repository");
    const folder = join(dir, ".github", "workflows");
    const file = join(folder, "socklab.yml");
    await mkdir(folder, { recursive: true });
    await writeFile(file, githubWorkflow({ from, ...(tasks ? { tasks } : {}) }), {
      flag: parsed.values.force ? "w" : "wx",
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "EEXIST") {
        throw new HarnessError("exists", `${file} already exists (use --force to overwrite it)`, {
          owner: "user",
        });
      }
      throw error;
    });
    output.out(`Wrote ${file}: commit it, and every push is graded (the job fails when a check fails).`);
    return EXIT.ok;
  },
};

function parse(args: string[]) {
  return parseCommandArgs(args, {
    from: { type: "string" },
    task: { type: "string" },
    force: { type: "boolean" },
  });
}
