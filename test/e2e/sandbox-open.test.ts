// Opening a sandbox: nftables rules inside the run, and the harness errors that name what is wrong.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "vitest";
import { analyseCapture } from "../../harness/analyse/index.ts";
import { startProgram, waitForPort } from "../../harness/run/index.ts";
import { openSandbox } from "../../harness/sandbox/index.ts";
import { ECHO, leftovers, tempOutDir } from "./sandbox-helpers.ts";

const DROP_UDP_5005 = `table inet socklab {
  chain input {
    type filter hook input priority 0; policy accept;
    udp dport 5005 drop
  }
}
`;

describe.concurrent("opening a sandbox", () => {
  it("loads nftables rules inside the run: input-hook drops are silent, and the capture still sees the packet", async ({
    expect,
    onTestFinished,
  }) => {
    const sandbox = await openSandbox({
      outDir: await tempOutDir(onTestFinished),
      submission: ECHO,
      nftRules: DROP_UDP_5005,
    });
    onTestFinished(async () => {
      await sandbox.close();
    });
    const server = await startProgram(sandbox, {
      name: "udp server",
      command: "python3 udp-server.py",
      timeoutMs: 5000,
    });
    expect(
      (await waitForPort(sandbox, { protocol: "udp", port: 5005, program: server, timeoutMs: 5000 })).status,
    ).toBe("done");
    const client = await startProgram(sandbox, {
      name: "udp client",
      command: [
        "python3",
        "-c",
        "import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.3); s.sendto(b'x', ('127.0.0.1', 5005))\ntry: s.recv(9)\nexcept TimeoutError: print('no reply')",
      ],
      timeoutMs: 5000,
    });
    expect((await client.outcome).stdout).toBe("no reply\n");
    expect(server.running).toBe(true);
    const closed = await sandbox.close();
    // The dropped datagram is in the capture (tcpdump sees it before the input hook drops it); everything
    // else is the barrier's marker, its filler and the ICMP port-unreachables they trigger.
    const analysis = await analyseCapture(closed.captureFile ?? "");
    expect(analysis.conversations).toHaveLength(1);
    expect(analysis.conversations[0]).toMatchObject({
      protocol: "udp",
      c2s: { datagrams: 1 },
      s2c: { datagrams: 0 },
    });
    expect(analysis.capture.packets).toBe(
      1 + analysis.capture.ignored.marker + analysis.capture.ignored.markerIcmp,
    );
  });

  it("fails with NFT_FAILED and nft's message when the rules do not load", async ({
    expect,
    onTestFinished,
  }) => {
    const outDir = await tempOutDir(onTestFinished);
    const opening = openSandbox({ outDir, nftRules: "table inet broken { chain" });
    await expect(opening).rejects.toMatchObject({ name: "SandboxError", code: "NFT_FAILED" });
    await expect(opening).rejects.toThrow(/run holder: NFT: .*syntax error/);
    expect(await leftovers({ text: [outDir] })).toEqual([]);
  });

  it("names a missing submission folder", async ({ expect, onTestFinished }) => {
    const opening = openSandbox({
      outDir: await tempOutDir(onTestFinished),
      submission: "/nonexistent/student-42",
    });
    await expect(opening).rejects.toMatchObject({ code: "SUBMISSION_NOT_FOUND" });
    await expect(opening).rejects.toThrow("the submission folder /nonexistent/student-42 does not exist");
  });

  it.runIf(process.getuid?.() === 0)(
    "as root, keeps the capture in an out dir the unprivileged uid cannot reach (a 0700 checkout)",
    async ({ expect, onTestFinished }) => {
      const locked = await mkdtemp(join(tmpdir(), "socklab-locked-"));
      onTestFinished(() => rm(locked, { recursive: true, force: true }));
      const outDir = join(locked, "out");
      const sandbox = await openSandbox({ outDir });
      const closed = await sandbox.close();
      expect(closed.captureFile).toBe(join(outDir, "capture.pcap"));
      expect(closed.tcpdumpExitCode).toBe(0);
      expect((await readdir(outDir)).sort()).toEqual(["capture.pcap", "tcpdump.err"]);
    },
  );

  it("refuses to start programs once the run has ended", async ({ expect, onTestFinished }) => {
    const sandbox = await openSandbox({ outDir: await tempOutDir(onTestFinished), capture: false });
    const closed = await sandbox.close();
    expect(closed).toMatchObject({ captureFile: null, barrierMs: null, warnings: [] });
    await expect(
      startProgram(sandbox, { name: "late", command: "true", timeoutMs: 1000 }),
    ).rejects.toMatchObject({
      code: "SANDBOX_CLOSED",
    });
    expect(await sandbox.close()).toBe(closed);
  });
});
