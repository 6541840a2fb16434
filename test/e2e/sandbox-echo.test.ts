// Real Python echo servers and clients in sandboxes: readiness without connecting, captured traffic, parallel
// runs on one port, and the host fallback.
import { describe, it } from "vitest";
import { parseTcpdumpStats, verifyCapture } from "../../harness/capture/tcpdump-stats.ts";
import { type Program, startProgram, waitForPort } from "../../harness/run/index.ts";
import { openSandbox, type Sandbox, type SandboxOptions } from "../../harness/sandbox/index.ts";
import {
  countPcapRecords,
  ECHO,
  leftovers,
  type OnFinished,
  runPidNamespace,
  tempOutDir,
} from "./sandbox-helpers.ts";

async function open(onFinished: OnFinished, options: Partial<SandboxOptions> = {}): Promise<Sandbox> {
  const sandbox = await openSandbox({ outDir: await tempOutDir(onFinished), submission: ECHO, ...options });
  onFinished(async () => {
    await sandbox.close();
  });
  return sandbox;
}

function start(sandbox: Sandbox, name: string, command: string): Promise<Program> {
  return startProgram(sandbox, { name, command, timeoutMs: 8000 });
}

/** One TCP echo run: the handout's server (one accept) and client; returns what a grader would look at. */
async function tcpEchoRun(sandbox: Sandbox) {
  const started = performance.now();
  const server = await start(sandbox, "server", "python3 echo-server.py");
  const ready = await waitForPort(sandbox, {
    protocol: "tcp",
    port: 65432,
    program: server,
    timeoutMs: 5000,
  });
  const client = await start(sandbox, "client", "python3 echo-client.py");
  const clientOutcome = await client.outcome;
  const serverExit = await server.waitForExit(3000);
  const closed = await sandbox.close();
  return { ready, clientOutcome, serverExit, closed, totalMs: performance.now() - started };
}

/** The capture's record count and tcpdump's verdict on it. */
async function checkCapture(file: string | null, tcpdumpStderr: string) {
  const records = await countPcapRecords(file ?? "");
  const stats = parseTcpdumpStats(tcpdumpStderr);
  return { records, dropped: stats.droppedByKernel, findings: verifyCapture(stats, records) };
}

describe.concurrent("sandbox echo runs", () => {
  it("runs the handout's TCP echo: ready without connecting, echo received, complete capture, clean close", async ({
    expect,
    onTestFinished,
  }) => {
    const sandbox = await open(onTestFinished);
    expect(sandbox.mode).toBe("namespace");
    const marks = {
      pids: [sandbox.holderPid],
      pidNamespace: runPidNamespace(sandbox.holderPid),
      text: [sandbox.outDir],
    };
    const { ready, clientOutcome, serverExit, closed } = await tcpEchoRun(sandbox);

    // The server accepts exactly once: had readiness connected, the client would have been refused.
    expect(ready).toMatchObject({ status: "done", value: { state: "LISTEN", localAddress: "127.0.0.1" } });
    expect(clientOutcome).toMatchObject({
      exitCode: 0,
      signal: null,
      description: "exited normally (code 0)",
    });
    expect(clientOutcome.stdout).toBe("Received b'Hello, world'\n");
    expect(serverExit).toMatchObject({ status: "done", value: { exitCode: 0 } });
    expect(serverExit.status === "done" && serverExit.value.lines[0]?.text).toMatch(
      /^Connected by \('127\.0\.0\.1', \d+\)$/,
    );

    // SYN, SYN-ACK, ACK, data, ACK, echo, ACK, and the teardown, plus the barrier's marker.
    const capture = await checkCapture(closed.captureFile, closed.tcpdumpStderr);
    expect(capture).toMatchObject({ dropped: 0, findings: [] });
    expect(capture.records).toBeGreaterThanOrEqual(10);
    expect(closed).toMatchObject({ tcpdumpExitCode: 0, barrierTimedOut: false, warnings: [] });
    expect(await leftovers(marks)).toEqual([]);
  });

  it("runs a UDP echo on 5005, ready when the socket is bound", async ({ expect, onTestFinished }) => {
    const sandbox = await open(onTestFinished);
    const server = await start(sandbox, "udp server", "python3 udp-server.py");
    const ready = await waitForPort(sandbox, {
      protocol: "udp",
      port: 5005,
      program: server,
      timeoutMs: 5000,
    });
    expect(ready).toMatchObject({
      status: "done",
      value: { protocol: "udp", state: "UNCONN", remotePort: 0 },
    });
    const client = await start(sandbox, "udp client", "python3 udp-client.py");
    expect((await client.outcome).stdout).toBe("Reply b'HELLO UDP'\n");
    expect((await server.outcome).stdout).toBe("Got b'hello udp' from 127.0.0.1\n");
    const closed = await sandbox.close();
    // Two datagrams, then the barrier's marker, its filler and the ICMP port-unreachables they trigger.
    const capture = await checkCapture(closed.captureFile, closed.tcpdumpStderr);
    expect(capture).toMatchObject({ dropped: 0, findings: [] });
    expect(capture.records).toBeGreaterThanOrEqual(4);
  });

  it("runs two TCP echo runs on the same fixed port in parallel, both successfully", async ({
    expect,
    onTestFinished,
  }) => {
    const [a, b] = await Promise.all([open(onTestFinished), open(onTestFinished)]);
    const runs = await Promise.all([tcpEchoRun(a!), tcpEchoRun(b!)]);
    for (const run of runs) {
      expect(run.ready.status).toBe("done");
      expect(run.clientOutcome.stdout).toBe("Received b'Hello, world'\n");
      const capture = await checkCapture(run.closed.captureFile, run.closed.tcpdumpStderr);
      expect(capture).toMatchObject({ dropped: 0, findings: [] });
      expect(capture.records).toBeGreaterThanOrEqual(10);
    }
  });

  it("fails readiness with the server's exit when it crashes, and with a timeout when it never listens", async ({
    expect,
    onTestFinished,
  }) => {
    const sandbox = await open(onTestFinished);
    const crash = await start(sandbox, "server", "python3 -c 'import sys; sys.exit(3)'");
    const ended = await waitForPort(sandbox, {
      protocol: "tcp",
      port: 65432,
      program: crash,
      timeoutMs: 5000,
    });
    expect(ended).toMatchObject({ status: "ended" });
    expect(ended.status === "ended" && ended.message).toMatch(
      /^server exited before it was ready \(exit code 3\)/,
    );

    const wrongPort = await start(sandbox, "server", "python3 udp-server.py");
    const late = await waitForPort(sandbox, {
      protocol: "tcp",
      port: 65432,
      program: wrongPort,
      timeoutMs: 300,
    });
    expect(late).toMatchObject({ status: "timeout", timeoutMs: 300 });
    expect(late.status === "timeout" && late.message).toMatch(
      /^not listening on tcp port 65432 after \d+ ms/,
    );
  });

  it("falls back to the host loopback when asked, with the capture filtered to the run's ports", async ({
    expect,
    onTestFinished,
  }) => {
    const sandbox = await open(onTestFinished, { mode: "host", ports: [65432] });
    expect(sandbox.mode).toBe("host");
    const { ready, clientOutcome, closed } = await tcpEchoRun(sandbox);
    expect(ready.status).toBe("done");
    expect(clientOutcome.stdout).toBe("Received b'Hello, world'\n");
    const capture = await checkCapture(closed.captureFile, closed.tcpdumpStderr);
    expect(capture).toMatchObject({ dropped: 0, findings: [] });
    expect(capture.records).toBeGreaterThanOrEqual(10);
  });
});

describe("the readiness wait", () => {
  it("gives a server still busy at its deadline more time, and one that waits for nothing none", async ({
    expect,
    onTestFinished,
  }) => {
    const sandbox = await open(onTestFinished);
    // Busy for about 1.5 s (CPU and output) before it listens: past a 500 ms deadline, still ready.
    const busy = await startProgram(sandbox, {
      name: "busy server",
      timeoutMs: 8000,
      command: [
        "python3",
        "-c",
        "import socket, time\nend = time.time() + 1.5\nwhile time.time() < end: print('warming up')\n" +
          "s = socket.socket(); s.bind(('127.0.0.1', 65432)); s.listen(); time.sleep(30)",
      ],
    });
    const ready = await waitForPort(sandbox, { protocol: "tcp", port: 65432, program: busy, timeoutMs: 500 });
    expect(ready.status).toBe("done");
    // Asleep before it would listen: the wait ends at its deadline.
    const idle = await startProgram(sandbox, {
      name: "idle server",
      timeoutMs: 8000,
      command: ["python3", "-c", "import time; time.sleep(30)"],
    });
    const started = performance.now();
    const waited = await waitForPort(sandbox, {
      protocol: "tcp",
      port: 65433,
      program: idle,
      timeoutMs: 500,
    });
    expect(waited.status).toBe("timeout");
    // The wait ends at its own 500 ms timeout, not at the server's 8 s limit.
    expect(performance.now() - started).toBeLessThan(500 + 5000);
  });
});
