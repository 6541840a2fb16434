// The capture budget of a run: traffic past its bytes or its packets stops the capture there, the kernel
// bounding the file whatever the rate, and the close result says which part was exceeded. A run within it is
// captured whole, barrier included.
import { stat } from "node:fs/promises";
import { describe, it } from "vitest";
import { startProgram } from "../../harness/run/index.ts";
import { openSandbox, type Sandbox, type SandboxOptions } from "../../harness/sandbox/index.ts";
import { countPcapRecords, ECHO, type OnFinished, tempOutDir } from "./sandbox-helpers.ts";

async function open(onFinished: OnFinished, options: Partial<SandboxOptions>): Promise<Sandbox> {
  const sandbox = await openSandbox({ outDir: await tempOutDir(onFinished), submission: ECHO, ...options });
  onFinished(async () => {
    await sandbox.close();
  });
  return sandbox;
}

/**
 * A program that sends `count` UDP datagrams of `size` bytes to a port nobody listens on, paced (a pause every
 * 16) so that tcpdump keeps up on a loaded machine: the test is about the budget, not about kernel drops.
 */
async function flood(sandbox: Sandbox, count: number, size: number): Promise<void> {
  const program = await startProgram(sandbox, {
    name: "flood",
    command: [
      "python3",
      "-c",
      `import socket\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\nimport time\nfor i in range(${count}):\n  s.sendto(b'x'*${size},('127.0.0.1',5555))\n  i % 16 == 15 and time.sleep(0.002)`,
    ],
    timeoutMs: 20_000,
  });
  const outcome = await program.outcome;
  if (outcome.exitCode !== 0) throw new Error(`flood failed: ${outcome.description} ${outcome.stderr}`);
}

const MIB = 1024 * 1024;

describe.concurrent("capture budget", () => {
  it("stops the file at its size, however fast the traffic, and says the bytes were exceeded", async ({
    expect,
    onTestFinished,
  }) => {
    const sandbox = await open(onTestFinished, { captureBudget: { bytes: 2 * MIB, packets: 100_000 } });
    await flood(sandbox, 200, 60_000); // 12 MB of datagrams
    const closed = await sandbox.close();
    expect(closed.budgetExceeded).toBe("bytes");
    expect(closed.captureEnded).toBe(true);
    expect(closed.barrierTimedOut).toBe(false);
    // The kernel's limit: the budget plus the barrier's allowance of 1 MiB.
    expect((await stat(closed.captureFile!)).size).toBeLessThanOrEqual(3 * MIB);
  });

  it("stops at its packets, and says so", async ({ expect, onTestFinished }) => {
    const sandbox = await open(onTestFinished, { captureBudget: { bytes: 64 * MIB, packets: 1000 } });
    await flood(sandbox, 3000, 10);
    const closed = await sandbox.close();
    expect(closed.budgetExceeded).toBe("packets");
    // Each datagram to a closed port draws an ICMP port unreachable: the count is reached within the flood.
    expect(await countPcapRecords(closed.captureFile!)).toBe(1200);
  });

  it("captures a run within the budget whole, barrier and all", async ({ expect, onTestFinished }) => {
    const sandbox = await open(onTestFinished, { captureBudget: { bytes: 2 * MIB, packets: 1000 } });
    await flood(sandbox, 400, 100);
    const closed = await sandbox.close();
    expect(closed).toMatchObject({ budgetExceeded: null, captureEnded: false, barrierTimedOut: false });
    expect(await countPcapRecords(closed.captureFile!)).toBeGreaterThanOrEqual(800);
  });
});
