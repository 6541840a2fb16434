// Sandbox modes, chosen and stated. With bubblewrap and unshare hidden (bind-mounted over in this test's own
// mount namespace), `socklab check` stops at once with one line naming what is missing and how to proceed;
// with --sandbox host it grades on the host loopback, the reference at full marks, and ends.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./grader.ts";

const run = promisify(execFile);

/** Runs the CLI in a mount namespace where bwrap and unshare are covered by a non-executable file. */
async function socklabWithoutBwrap(args: string[], timeoutMs: number) {
  const hide = "for t in /usr/bin/bwrap /usr/bin/unshare; do [ -e $t ] && mount --bind /dev/null $t; done";
  const script = `${hide}; exec node bin/socklab.js "$@"`;
  try {
    const { stdout, stderr } = await run(
      "unshare",
      ["--mount", "--propagation", "private", "--", "sh", "-c", script, "socklab", ...args],
      {
        cwd: ROOT,
        timeout: timeoutMs,
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, FORCE_COLOR: "0" },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string; killed?: boolean };
    if (e.killed) throw new Error(`socklab did not finish within ${timeoutMs} ms`);
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe.runIf(process.getuid?.() === 0)("without bubblewrap", () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), "socklab-modes-"));
  });
  afterAll(() => rm(out, { recursive: true, force: true }));

  it("stops at once with one line naming what is missing", async () => {
    const started = performance.now();
    const result = await socklabWithoutBwrap(["check", "reference", "--out", join(out, "stop")], 60_000);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split("\n");
    expect(lines.at(-1)).toMatch(
      /^socklab check: socklab cannot isolate runs on this machine: bubblewrap \(bwrap\) is not installed/,
    );
    expect(lines.at(-1)).toContain("--sandbox host");
    expect(result.stdout).toBe("");
    // It stops at the preflight, long before the 60 s guard (a grading of the lab would take far longer).
    expect(performance.now() - started).toBeLessThan(45_000);
  });

  // Four tasks whose runs wait for the host's one loopback in turn (the whole lab: `npm run repeat` or by hand).
  it("grades with --sandbox host, the reference at full marks", async () => {
    const tasks = "tcp-echo,udp-echo,struct-binary,threaded-echo";
    const result = await socklabWithoutBwrap(
      ["check", "reference", "--sandbox", "host", "--task", tasks, "--json", "--out", join(out, "host")],
      400_000,
    );
    const doc = JSON.parse(result.stdout) as { score: number; maxScore: number; status: string };
    expect(result.code, result.stderr).toBe(0);
    expect(doc.status).toBe("passed");
    expect(doc.score).toBe(doc.maxScore);
  }, 420_000);
});
