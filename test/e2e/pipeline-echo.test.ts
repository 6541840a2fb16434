// The whole foundation pipeline on real programs: sandbox → run → capture → decode → analyse. The handout's
// TCP echo and a UDP echo run in their own namespaces (in parallel), and the analysis of each capture must
// show what the handout asks students to look for.
import { describe, it } from "vitest";
import { analyseCapture } from "../../harness/analyse/index.ts";
import type { TcpConversation, UdpConversation } from "../../harness/analyse/types.ts";
import { parseTcpdumpStats, verifyCapture } from "../../harness/capture/index.ts";
import { startProgram, waitForPort } from "../../harness/run/index.ts";
import { openSandbox } from "../../harness/sandbox/index.ts";
import { ECHO, leftovers, type OnFinished, tempOutDir } from "./sandbox-helpers.ts";

/** Runs a server and a client in a fresh sandbox and returns the analysis of the capture. */
async function run(
  onFinished: OnFinished,
  protocol: "tcp" | "udp",
  port: number,
  server: string,
  client: string,
) {
  const sandbox = await openSandbox({ outDir: await tempOutDir(onFinished), submission: ECHO });
  onFinished(async () => {
    await sandbox.close();
  });
  const serverProgram = await startProgram(sandbox, { name: "server", command: server, timeoutMs: 8000 });
  const ready = await waitForPort(sandbox, { protocol, port, program: serverProgram, timeoutMs: 5000 });
  const clientProgram = await startProgram(sandbox, { name: "client", command: client, timeoutMs: 8000 });
  const clientOutcome = await clientProgram.outcome;
  await serverProgram.waitForExit(3000);
  const closed = await sandbox.close();
  const analysis = await analyseCapture(closed.captureFile ?? "");
  const stats = parseTcpdumpStats(closed.tcpdumpStderr);
  return { sandbox, ready, clientOutcome, analysis, stats };
}

describe.concurrent("pipeline on real echo programs", () => {
  it("TCP echo: handshake found, every byte acknowledged, FIN both ways, overhead sums to the capture", async ({
    expect,
    onTestFinished,
  }) => {
    const r = await run(onTestFinished, "tcp", 65432, "python3 echo-server.py", "python3 echo-client.py");
    expect(r.ready.status).toBe("done");
    expect(r.clientOutcome.exitCode).toBe(0);
    expect(verifyCapture(r.stats, r.analysis.capture.packets)).toEqual([]);
    const tcp = r.analysis.conversations.filter((c): c is TcpConversation => c.protocol === "tcp");
    expect(tcp).toHaveLength(1);
    const conv = tcp[0]!;
    expect(conv.server.port).toBe(65432);
    expect(conv.handshake).toMatchObject({ complete: true, findings: [] });
    expect(conv.c2s.acked.allAcked && conv.s2c.acked.allAcked).toBe(true);
    expect(conv.close.state).toBe("graceful");
    expect(conv.close.clientFin?.acked && conv.close.serverFin?.acked).toBe(true);
    // "Hello, world" went out and came back byte for byte.
    expect(conv.c2s.stream.length).toBe(12);
    expect(conv.s2c.stream.sha256).toBe(conv.c2s.stream.sha256);
    const o = r.analysis.overhead.total;
    expect(o.link + o.network + o.transport + o.payload + o.trailer).toBe(r.analysis.capture.bytes);
    expect(await leftovers({ pids: [r.sandbox.holderPid], text: [r.sandbox.outDir] })).toEqual([]);
  });

  it("UDP echo: one datagram each way, no handshake, the reply goes back to the client's source port", async ({
    expect,
    onTestFinished,
  }) => {
    const r = await run(onTestFinished, "udp", 5005, "python3 udp-server.py", "python3 udp-client.py");
    expect(r.clientOutcome.stdout).toBe("Reply b'HELLO UDP'\n");
    expect(verifyCapture(r.stats, r.analysis.capture.packets)).toEqual([]);
    expect(r.analysis.conversations.map((c) => c.protocol)).toEqual(["udp"]);
    const conv = r.analysis.conversations[0] as UdpConversation;
    expect(conv.server.port).toBe(5005);
    expect([conv.c2s.datagrams, conv.s2c.datagrams]).toEqual([1, 1]);
    expect(conv.replies.repliedToSource).toBe(true);
    expect(r.analysis.capture.ignored.marker).toBeGreaterThanOrEqual(1);
    const o = r.analysis.overhead.total;
    expect(o.link + o.network + o.transport + o.payload + o.trailer).toBe(r.analysis.capture.bytes);
  });
});
