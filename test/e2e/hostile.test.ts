// Hostile submissions (fixtures/hostile/): each one's tcp-echo program misbehaves on purpose — forks, hogs
// memory, fills its disk, floods its output, burns CPU, leaves a daemon, kills its parent, tries the Internet,
// snoops, squats ports, holds a connection — while its udp-echo programs are correct. Each gets the verdict
// intended, with the limit it ran into named; its udp-echo task is graded in full regardless; and nothing
// is left on the host: processes, staging folders, control groups.
import { readdirSync, readFileSync } from "node:fs";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseYaml, type SubmissionResult, type TaskResult } from "../../harness/grade/index.ts";
import { cgroupLayout } from "../../harness/sandbox/index.ts";
import { explain, grader, HOSTILE, ROOT } from "./grader.ts";

const ONLY = ["tcp-echo", "udp-echo"];

/** A text every report must show for the limit a submission ran into (in the advice or a failed check). */
const NAMED: Readonly<Record<string, RegExp>> = {
  "fork-bomb": /the process limit \(128\) stopped \d+ forks?/,
  "memory-hog": /memory limit \(512 MiB\)/,
  "memory-hog-threads": /memory limit \(512 MiB\)/,
  "disk-filler": /file-size limit \(16 MiB\).*disk full|disk full.*file-size limit/,
  "output-flood": /stdout was cut at 1 MiB of 40(\.0)? MiB/,
};

/** name → the tcp-echo checks that must fail. */
const EXPECTED = (() => {
  const parsed = parseYaml(readFileSync(join(HOSTILE, "expected.yaml"), "utf8"));
  if (!parsed.ok) throw new Error(`fixtures/hostile/expected.yaml: ${parsed.message}`);
  return parsed.value as Record<string, string[]>;
})();

const task = (result: SubmissionResult, id: string): TaskResult => result.tasks.find((t) => t.id === id)!;

/** What could be left on the host by runs: processes of the sandbox's uid, staging, control groups. */
async function residue(): Promise<{
  processes: string[];
  stages: string[];
  cgroups: string[];
  mounts: string[];
}> {
  // Other test files run meanwhile: a process is this file's when it descends from it, and left behind when
  // it was handed to init (parent 1), whoever made it.
  const status = (pid: string) => {
    try {
      return readFileSync(`/proc/${pid}/status`, "utf8");
    } catch {
      return "";
    }
  };
  const parent = (pid: string) => status(pid).match(/^PPid:\s+(\d+)$/m)?.[1] ?? "0";
  const ours = (pid: string) => {
    for (let p = parent(pid), hops = 0; p !== "0" && hops < 64; p = parent(p), hops++) {
      if (p === String(process.pid)) return true;
    }
    return parent(pid) === "1";
  };
  const processes = readdirSync("/proc")
    .filter((n) => /^\d+$/.test(n))
    .flatMap((pid) => {
      const text = status(pid);
      const live = !/^State:\s+Z/m.test(text) && /^Uid:\s+65534\b/m.test(text);
      return live && ours(pid) ? [`${text.match(/^Name:\s+(.*)$/m)?.[1]} (${pid})`] : [];
    });
  const stages: string[] = [];
  for (const name of (await readdir(tmpdir())).filter((n) => n.startsWith("socklab-run-"))) {
    const owner = await readFile(join(tmpdir(), name, "owner"), "utf8").catch(() => "");
    if (owner.split(" ")[0] === String(process.pid)) stages.push(name);
  }
  const layout = cgroupLayout();
  const cgroups = layout
    ? [...new Set([layout.pids, layout.memory])].flatMap((dir) =>
        readdirSync(dir, { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => join(dir, e.name)),
      )
    : [];
  // The runs' tmpfs mounts live in their own mount namespaces: none may show on the host.
  const mounts = readFileSync("/proc/self/mounts", "utf8")
    .split("\n")
    .filter((l) => l.includes("socklab-run-"));
  return { processes, stages, cgroups, mounts };
}

describe("hostile submissions", () => {
  const results = new Map<string, SubmissionResult>();
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), "socklab-hostile-"));
    const g = await grader("hostile", { only: ONLY, concurrency: 3 });
    try {
      await Promise.all(
        Object.keys(EXPECTED).map(async (name) => results.set(name, await g.grade(join(HOSTILE, name)))),
      );
    } finally {
      await g.dispose();
    }
  }, 600_000);
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it.each(Object.entries(EXPECTED))(
    "%s: the verdict intended, the limit named, udp-echo untouched",
    (name, tcpFails) => {
      const result = results.get(name)!;
      const tcp = task(result, "tcp-echo");
      const failed = tcp.checks.filter((c) => c.status === "failed").map((c) => c.id);
      expect(failed.sort(), explain(result)).toEqual([...tcpFails].sort());
      expect(
        tcp.checks.filter((c) => c.status === "errored"),
        explain(result),
      ).toEqual([]);
      const udp = task(result, "udp-echo");
      expect(udp.status, explain(result)).toBe("passed");
      const named = NAMED[name];
      if (named) {
        const said = JSON.stringify([
          tcp.advice,
          tcp.checks,
          tcp.runs.map((r) => r.programs.map((p) => p.description)),
        ]);
        expect(said).toMatch(named);
      }
    },
  );

  it("keeps the host's secrets and network out of reach", () => {
    const snoop = JSON.stringify(results.get("snooping")!.tasks);
    expect(snoop).not.toMatch(/root:[^ ]*:\d+:/); // no line of /etc/shadow
    expect(snoop).not.toContain(ROOT); // the checkout is not visible
    const egress = JSON.stringify(task(results.get("egress")!, "tcp-echo").runs);
    expect(egress).not.toContain("CONNECTED");
    const links = JSON.stringify(results.get("symlinks-out")!.tasks);
    expect(links).not.toMatch(/root:[^ ]*:\d+:/);
  });

  it("leaves nothing behind: no process of the sandbox's uid, no staging folder, control group or mount", async () => {
    const left = await residue();
    expect(left).toEqual({ processes: [], stages: [], cgroups: [], mounts: [] });
  });

  it.each([
    ["giant-manifest", /at most 256 KiB/],
    ["alias-bomb-manifest", /aliases that expand without end/],
    ["malformed-manifest", /line 5, column 1/],
  ])("%s: refused with one line, nothing run", async (name, line) => {
    let dir = join(HOSTILE, name);
    if (name === "giant-manifest") {
      dir = join(scratch, name);
      await cp(join(HOSTILE, name), dir, { recursive: true });
      const head =
        "tasks:\n  tcp-echo:\n    server: python3 server_echo.py {port}\n    client: python3 client_echo.py {host} {port}\n";
      await writeFile(join(dir, "socklab.yaml"), `${head}student: "${"x".repeat(10_000_000)}"\n`);
    }
    const g = await grader(`hostile-${name}`, { only: ONLY });
    try {
      const error = await g.grade(dir).then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.message).toMatch(line);
      expect(error?.message.split("\n")).toHaveLength(1);
      expect(error!.message.length).toBeLessThan(400);
    } finally {
      await g.dispose();
    }
  });
});
