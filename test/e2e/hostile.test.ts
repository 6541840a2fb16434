// Hostile submissions (fixtures/hostile/): each one's tcp-echo program misbehaves on purpose — forks, hogs
// memory, fills its disk, floods its output or its capture, burns CPU, leaves a daemon, kills its parent,
// steals descriptors, tries vsock, the Internet, snoops, squats ports, holds a connection, prints markup —
// while its udp-echo programs are correct. Each gets the verdict intended, with the limit it ran into named;
// its udp-echo task is graded in full regardless; every report it gets is bounded in size and renders none of
// its markup; and nothing is left on the host: processes, staging folders, control groups.
import { readdirSync, readFileSync } from "node:fs";
import { cp, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import MarkdownIt from "markdown-it";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkSubmission } from "../../harness/cli/check.ts";
import { limiter, parseYaml, type SubmissionResult, type TaskResult } from "../../harness/grade/index.ts";
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
  "capture-flood": /traffic exceeded (64 MiB of capture|100,000 packets), socklab's capture budget per run/,
  "inode-flood": /disk full \(\/work and \/tmp share 32 MiB and 16,384 files\)/,
};

/** The size every report file of a submission stays under, whatever the submission did. */
const REPORT_BOUNDS: Readonly<Record<string, number>> = {
  "index.md": 256 * 1024,
  "tcp-echo.md": 512 * 1024,
  "udp-echo.md": 512 * 1024,
  "results.json": 1024 * 1024,
  "junit.xml": 1024 * 1024,
  "socklab.json": 4 * 1024 * 1024,
};

const markdown = new MarkdownIt({ html: true, linkify: false });

/** Tags and characters a report must never render from what a student printed (socklab's own links are relative). */
function liveMarkup(html: string): string[] {
  const found = [...html.matchAll(/<(img|script|iframe|svg|object|embed|a)\b[^>]*>/gi)]
    .map((m) => m[0])
    .filter((tag) => !/^<a href="(?!javascript|https?:|\/\/)[^"]*">$/i.test(tag));
  if (/\u001b/.test(html)) found.push("a raw escape character");
  return found;
}

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
  const outDir = (name: string) => join(scratch, "out", name);

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), "socklab-hostile-"));
    // As `socklab check` grades: every report written, for the size and markup assertions below.
    const limit = limiter(3);
    await Promise.all(
      Object.keys(EXPECTED).map((name) =>
        limit(async () =>
          results.set(
            name,
            await checkSubmission(join(HOSTILE, name), { outDir: outDir(name), only: ONLY, seed: 1 }),
          ),
        ),
      ),
    );
  }, 900_000);
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

  it.each(Object.keys(EXPECTED))(
    "%s: every report bounded in size, none renders live markup",
    async (name) => {
      const dir = outDir(name);
      for (const [file, bound] of Object.entries(REPORT_BOUNDS)) {
        expect((await stat(join(dir, file))).size, `${name}/${file}`).toBeLessThan(bound);
      }
      for (const file of ["index.md", "tcp-echo.md", "udp-echo.md"]) {
        const text = await readFile(join(dir, file), "utf8");
        expect(text, `${name}/${file}`).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F]/);
        expect(liveMarkup(markdown.render(text)), `${name}/${file}`).toEqual([]);
      }
      const gradescope = JSON.parse(await readFile(join(dir, "results.json"), "utf8")) as {
        output: string;
        tests: { output: string }[];
      };
      for (const text of [gradescope.output, ...gradescope.tests.map((t) => t.output)]) {
        expect(liveMarkup(markdown.render(text)), `${name}/results.json`).toEqual([]);
      }
      const junit = await readFile(join(dir, "junit.xml"), "utf8");
      expect(junit).not.toMatch(/<(img|script)\b/);
    },
  );

  it("shows the markup a student printed as text, and cuts its million-character line", async () => {
    const report = await readFile(join(outDir("markup"), "tcp-echo.md"), "utf8");
    expect(report).toContain("onerror=alert(1)");
    expect(report).toMatch(/line cut: \d[\d,]* more characters/);
    expect(report).toContain("\\x1b[2J"); // the escape, shown as text
  });

  it("bounds the conversations of 600 connections, and a snapshot of hundreds of listeners without pids", async () => {
    const flood = await readFile(join(outDir("conn-flood"), "tcp-echo.md"), "utf8");
    expect(flood).toMatch(/\d+ further conversations have no section of their own here/);
    expect(flood).toMatch(/\d+ more conversations, not listed/);
    const listeners = await readFile(join(outDir("listener-flood"), "tcp-echo.md"), "utf8");
    expect(listeners).toMatch(/… \d+ more sockets/);
    expect(listeners).not.toMatch(/pid=\d+/);
  });

  it("names the capture budget as the student's, never socklab's fault, and keeps a bounded capture", async () => {
    const tcp = task(results.get("capture-flood")!, "tcp-echo");
    expect(tcp.status).toBe("failed");
    expect(JSON.stringify(tcp)).not.toMatch(/not the student's fault|bytes the server sent back differ/);
    // Past the budget, the capture kept beside the report is its first 1 MiB.
    const size = (await stat(join(outDir("capture-flood"), "tcp-echo", "main", "capture.pcap"))).size;
    expect(size).toBeLessThanOrEqual(1024 * 1024);
    expect(JSON.stringify(tcp.runs)).toMatch(/the capture beside the report keeps its first 1 MiB/);
  });

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
    ["sparse-file", /more than 50 MiB \(the largest file: capture\.bin, 96\.0 MiB\)/],
    ["giant-manifest", /at most 256 KiB/],
    ["alias-bomb-manifest", /aliases that expand without end/],
    ["malformed-manifest", /line 5, column 1/],
  ])("%s: refused with one line, nothing run", async (name, line) => {
    let dir = join(HOSTILE, name);
    if (name === "sparse-file") {
      // 96 MiB of apparent size and no blocks: refused by its size before anything is copied.
      dir = join(scratch, name);
      await cp(join(HOSTILE, "port-squatter"), dir, { recursive: true });
      await writeFile(join(dir, "capture.bin"), "");
      await truncate(join(dir, "capture.bin"), 96 * 1024 * 1024);
    }
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
