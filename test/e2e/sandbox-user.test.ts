// The rootless path: the same runs made by an ordinary user (created here when the tests run as root).
import { execFileSync, spawn } from "node:child_process";
import { chmod, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "vitest";
import { parseTcpdumpStats } from "../../harness/capture/tcpdump-stats.ts";
import { leftovers } from "./sandbox-helpers.ts";

const USER = "socklab-test";
const REPO = join(import.meta.dirname, "..", "..");

/** Why the ordinary-user test cannot run here, or undefined when it can (creating the user if needed). */
function unavailable(): string | undefined {
  if (process.getuid?.() !== 0)
    return "the tests already run as an ordinary user, so every other test covers this";
  try {
    execFileSync("id", ["-u", USER], { stdio: "ignore" });
    return undefined;
  } catch {
    // Not there yet.
  }
  try {
    execFileSync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER], {
      stdio: "pipe",
    });
    return undefined;
  } catch (error) {
    return `cannot create the user ${USER}: ${String(error)}`;
  }
}

const reason = unavailable();

interface UserRun {
  readonly outDir: string;
  readonly mode: string;
  readonly holderPid: number;
  readonly ready: string;
  readonly listenerUid: number;
  readonly client: string;
  readonly server: string;
  readonly loDown: number | null;
  readonly pcapBytes: number;
  readonly analysis: {
    tcpConversations: number;
    handshake: boolean;
    allAcked: boolean;
    close: string | null;
    echoed: boolean;
    layersSum: number;
    captureBytes: number;
  };
  readonly tcpdumpStderr: string;
  readonly warnings: string[];
}

describe.skipIf(reason !== undefined)(`sandbox as an ordinary user (${reason ?? USER})`, () => {
  it("runs two TCP echo runs in parallel on one port and a UDP echo, rootless, analyses them, and leaves nothing", async ({
    expect,
    onTestFinished,
  }) => {
    const uid = Number(execFileSync("id", ["-u", USER], { encoding: "utf8" }).trim());
    // The user may not be able to reach the checkout (e.g. under /root): show it to them under /tmp, through
    // a bind mount in a mount namespace of this test only.
    const view = await mkdtemp(join(tmpdir(), "socklab-repo-"));
    await chmod(view, 0o755);
    onTestFinished(() => rm(view, { recursive: true, force: true }));
    // A `mktemp -d` checkout is 0700: let the user into its top folder for the test's duration.
    const mode = (await stat(REPO)).mode & 0o7777;
    if ((mode & 0o005) !== 0o005) {
      await chmod(REPO, mode | 0o055);
      onTestFinished(() => chmod(REPO, mode));
    }
    const script = [
      `mount --bind "$1" "$2"`,
      `cd "$2"`,
      // A stray descriptor 40 (as whatever starts socklab may leave one): no student program may get it.
      "exec 40</dev/null",
      `exec setpriv --reuid=${USER} --regid=${USER} --init-groups -- ${process.execPath} --import tsx test/e2e/sandbox-fixtures/user-run.ts`,
    ].join(" && ");
    const child = spawn(
      "unshare",
      ["--mount", "--propagation", "private", "--", "bash", "-c", script, "bash", REPO, view],
      {
        stdio: ["ignore", "pipe", "pipe"],
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: "/tmp", LANG: "C.UTF-8" },
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    onTestFinished(() => {
      child.kill("SIGKILL");
    });
    const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      uid: number;
      runs: UserRun[];
      udp: {
        outDir: string;
        holderPid: number;
        client: string;
        datagrams: number[] | null;
        fds: string;
        repliedToSource: boolean;
        layersSum: number;
        captureBytes: number;
      };
    };
    onTestFinished(() => rm(report.udp.outDir, { recursive: true, force: true }));
    expect(report.udp).toMatchObject({
      // Without control groups the reporter stays, and still hands the program 0–2 only (the listing's own
      // descriptor is the fourth).
      fds: "[0, 1, 2, 3]",
      client: "Reply b'HELLO UDP'",
      datagrams: [1, 1],
      repliedToSource: true,
    });
    expect(report.udp.layersSum).toBe(report.udp.captureBytes);
    expect(await leftovers({ pids: [report.udp.holderPid] })).toEqual([]);
    for (const run of report.runs) onTestFinished(() => rm(run.outDir, { recursive: true, force: true }));

    expect(report.uid).toBe(uid);
    for (const run of report.runs) {
      expect(run).toMatchObject({
        mode: "namespace",
        ready: "done",
        listenerUid: uid,
        client: "Received b'Hello, world'",
        server: "exited normally (code 0)",
        loDown: 2,
        warnings: [],
      });
      expect(run.pcapBytes).toBeGreaterThan(24);
      expect(run.analysis).toMatchObject({
        tcpConversations: 1,
        handshake: true,
        allAcked: true,
        close: "graceful",
        echoed: true,
      });
      expect(run.analysis.layersSum).toBe(run.analysis.captureBytes);
      expect(parseTcpdumpStats(run.tcpdumpStderr)).toMatchObject({ droppedByKernel: 0 });
      expect(await leftovers({ pids: [run.holderPid], text: [run.outDir] })).toEqual([]);
    }
  });
});
