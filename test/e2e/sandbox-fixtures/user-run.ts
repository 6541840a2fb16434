// Run by the e2e tests as an ordinary user: two TCP echo runs on the same port in parallel, plus one
// attempt to take lo down, each capture analysed; prints one JSON line with what happened.
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { analyseCapture } from "../../../harness/analyse/index.ts";
import { startProgram, waitForPort } from "../../../harness/run/index.ts";
import { openSandbox } from "../../../harness/sandbox/index.ts";

const here = new URL(".", import.meta.url).pathname;

async function echoRun() {
  const outDir = await mkdtemp(join(tmpdir(), "socklab-user-"));
  const sandbox = await openSandbox({ outDir, submission: join(here, "echo") });
  try {
    const server = await startProgram(sandbox, {
      name: "server",
      command: "python3 echo-server.py",
      timeoutMs: 8000,
    });
    const ready = await waitForPort(sandbox, {
      protocol: "tcp",
      port: 65432,
      program: server,
      timeoutMs: 5000,
    });
    const table = await sandbox.socketTable();
    const client = await startProgram(sandbox, {
      name: "client",
      command: "python3 echo-client.py",
      timeoutMs: 8000,
    });
    const clientOutcome = await client.outcome;
    const serverOutcome = await server.waitForExit(3000);
    const hostile = await startProgram(sandbox, {
      name: "hostile",
      command: ["/usr/sbin/ip", "link", "set", "lo", "down"],
      timeoutMs: 5000,
    });
    const hostileOutcome = await hostile.outcome;
    const closed = await sandbox.close();
    const pcap = await readFile(closed.captureFile ?? "");
    const analysis = await analyseCapture(closed.captureFile ?? "");
    const tcp = analysis.conversations.filter((c) => c.protocol === "tcp");
    const conv = tcp[0];
    const o = analysis.overhead.total;
    return {
      outDir,
      mode: sandbox.mode,
      holderPid: sandbox.holderPid,
      ready: ready.status,
      listenerUid: table.find((e) => e.localPort === 65432)?.uid,
      client: clientOutcome.stdout.trim(),
      server: serverOutcome.status === "done" ? serverOutcome.value.description : serverOutcome.status,
      loDown: hostileOutcome.exitCode,
      pcapBytes: pcap.length,
      analysis: {
        tcpConversations: tcp.length,
        handshake: conv?.protocol === "tcp" && conv.handshake.complete,
        allAcked: conv?.protocol === "tcp" && conv.c2s.acked.allAcked && conv.s2c.acked.allAcked,
        close: conv?.protocol === "tcp" ? conv.close.state : null,
        echoed: conv?.protocol === "tcp" && conv.c2s.stream.sha256 === conv.s2c.stream.sha256,
        layersSum: o.link + o.network + o.transport + o.payload + o.trailer,
        captureBytes: analysis.capture.bytes,
      },
      tcpdumpStderr: closed.tcpdumpStderr,
      warnings: closed.warnings,
    };
  } finally {
    await sandbox.close();
  }
}

/** A UDP echo run, analysed: one datagram each way, the reply to the client's source port. */
async function udpRun() {
  const outDir = await mkdtemp(join(tmpdir(), "socklab-user-"));
  const sandbox = await openSandbox({ outDir, submission: join(here, "echo") });
  try {
    const server = await startProgram(sandbox, {
      name: "server",
      command: "python3 udp-server.py",
      timeoutMs: 8000,
    });
    await waitForPort(sandbox, { protocol: "udp", port: 5005, program: server, timeoutMs: 5000 });
    const client = await startProgram(sandbox, {
      name: "client",
      command: "python3 udp-client.py",
      timeoutMs: 8000,
    });
    const clientOutcome = await client.outcome;
    await server.waitForExit(3000);
    const fds = await startProgram(sandbox, {
      name: "fds",
      command: ["python3", "-c", "import os; print(sorted(int(f) for f in os.listdir('/proc/self/fd')))"],
      timeoutMs: 8000,
    });
    const fdsOutcome = await fds.outcome;
    const closed = await sandbox.close();
    const analysis = await analyseCapture(closed.captureFile ?? "");
    const conv = analysis.conversations.find((c) => c.protocol === "udp");
    const o = analysis.overhead.total;
    return {
      outDir,
      holderPid: sandbox.holderPid,
      client: clientOutcome.stdout.trim(),
      datagrams: conv?.protocol === "udp" ? [conv.c2s.datagrams, conv.s2c.datagrams] : null,
      fds: fdsOutcome.stdout.trim(),
      repliedToSource: conv?.protocol === "udp" && conv.replies.repliedToSource,
      layersSum: o.link + o.network + o.transport + o.payload + o.trailer,
      captureBytes: analysis.capture.bytes,
    };
  } finally {
    await sandbox.close();
  }
}

const [runs, udp] = await Promise.all([Promise.all([echoRun(), echoRun()]), udpRun()]);
process.stdout.write(`${JSON.stringify({ uid: process.getuid?.(), runs, udp })}\n`);
