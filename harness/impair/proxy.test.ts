import { execFile } from "node:child_process";
import { createSocket, type Socket } from "node:dgram";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import type { Policy, Script } from "./fate.ts";
import { sha1Hex } from "./fate.ts";
import { ImpairError } from "./impair-error.ts";
import {
  type Identify,
  type ImpairProxy,
  LOOPBACK,
  type LogEntry,
  type ProxyOptions,
  startProxy,
} from "./proxy.ts";

const REPO = fileURLToPath(new URL("../..", import.meta.url));

// A socket on 127.0.0.1 that remembers what it received, in order.
async function socketOn(): Promise<{ socket: Socket; port: number; received: Buffer[] }> {
  const socket = createSocket("udp4");
  const received: Buffer[] = [];
  socket.on("message", (payload) => received.push(payload));
  await new Promise<void>((resolve) => socket.bind(0, LOOPBACK, resolve));
  onTestFinished(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return { socket, port: socket.address().port, received };
}

// Waits for a condition on the sockets' state, never for a fixed time; the deadline only bounds a broken run.
async function until(what: string, condition: () => boolean, deadlineMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > deadlineMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

type Impairment = { policy: Policy } | { script: Script };

// Sends `messages` in order from a client through a proxy to an echo server, and waits until everything the
// proxy sent on in both directions has arrived.
async function throughLink(
  seed: number,
  impairment: Impairment,
  messages: string[],
  holdCapMs?: number,
  identify?: Identify,
) {
  const server = await socketOn();
  server.socket.on("message", (payload, from) => server.socket.send(payload, from.port, from.address));
  const client = await socketOn();
  const lines: string[] = [];
  const options = {
    listenPort: 0,
    target: { port: server.port },
    seed,
    log: { write: (line: string) => lines.push(line) },
    ...impairment,
    ...(holdCapMs === undefined ? {} : { holdCapMs }),
    ...(identify === undefined ? {} : { identify }),
  } as ProxyOptions;
  const proxy = await startProxy(options);
  onTestFinished(() => proxy.close());
  for (const message of messages) {
    await new Promise<void>((resolve, reject) =>
      client.socket.send(message, proxy.port, LOOPBACK, (error) => (error ? reject(error) : resolve())),
    );
  }
  await until("the link to settle", () => {
    const stats = proxy.stats();
    return (
      stats.arrived.c2s === messages.length &&
      stats.held === 0 &&
      server.received.length === stats.sent.c2s &&
      stats.arrived.s2c === server.received.length &&
      client.received.length === stats.sent.s2c
    );
  });
  return { proxy, lines, atServer: server.received.map(String), atClient: client.received.map(String) };
}

// The multiset of contents the log says were sent on in one direction, one sha1 per copy.
const sentOn = (entries: readonly LogEntry[], dir: LogEntry["dir"]) =>
  entries
    .filter((entry) => entry.dir === dir)
    .flatMap((entry) => Array(entry.sent).fill(entry.sha1) as string[]);
const hashes = (messages: string[]) => messages.map((message) => sha1Hex(Buffer.from(message))).sort();
const numbered = (n: number) => Array.from({ length: n }, (_, i) => `msg ${i + 1}`);
const lossy: Policy = { drop: 0.3, duplicate: 0, reorder: 0, delayMs: [0, 0] };

// What a run's log says happened, independent of arrival times: c2s by arrival number (the client sends in
// order), s2c by content (echoes of different datagrams are independent).
const actions = (proxy: ImpairProxy) => {
  const entries = proxy.entries();
  return {
    c2s: entries.filter((e) => e.dir === "c2s").map((e) => `${e.k} ${e.sha1} ${e.action}`),
    s2c: entries
      .filter((e) => e.dir === "s2c")
      .map((e) => `${e.sha1} ${e.action}`)
      .sort(),
  };
};

describe("startProxy over loopback", () => {
  it("delivers to the server exactly what its log says it forwarded", async () => {
    const { proxy, lines, atServer, atClient } = await throughLink(42, { policy: lossy }, numbered(50));
    const entries = proxy.entries();
    expect(hashes(atServer)).toEqual(sentOn(entries, "c2s").sort());
    expect(hashes(atClient)).toEqual(sentOn(entries, "s2c").sort());
    const drops = entries.filter((entry) => entry.action === "drop").length;
    expect(drops).toBeGreaterThan(0);
    expect(atServer.length).toBeLessThan(50);
    expect(lines.map((line) => JSON.parse(line))).toEqual(entries);
    expect(Object.keys(entries[0]!).sort()).toEqual(
      ["action", "dir", "heldFor", "identity", "k", "len", "occurrence", "sent", "sha1", "t"].sort(),
    );
    expect(proxy.stats()).toMatchObject({ seed: 42, clients: 1, ignored: 0, sendErrors: 0, held: 0 });
  });

  it("replays the same fates from the same seed, and different ones from another seed", async () => {
    const first = await throughLink(42, { policy: lossy }, numbered(50));
    const again = await throughLink(42, { policy: lossy }, numbered(50));
    const other = await throughLink(43, { policy: lossy }, numbered(50));
    expect(actions(again.proxy)).toEqual(actions(first.proxy));
    expect(actions(other.proxy).c2s).not.toEqual(actions(first.proxy).c2s);
  });

  it("plays a script: drop #1, swap #2 and #3, duplicate #4", async () => {
    const script: Script = { dropFirst: "c2s", swap: [2, 3], duplicate: 4 };
    const { proxy, atServer } = await throughLink(0, { script }, numbered(5), 10_000);
    expect(atServer).toEqual(["msg 3", "msg 2", "msg 4", "msg 4", "msg 5"]);
    expect(proxy.entries().map((e) => `${e.dir} ${e.k} ${e.action} ${e.sent}`)).toContain("c2s 2 reorder 1");
  });

  it("drops a retransmitted payload at most twice", async () => {
    const always: Policy = { drop: 1, duplicate: 0, reorder: 0, delayMs: [0, 0] };
    const { proxy, atServer } = await throughLink(1, { policy: always }, [
      "seq 7",
      "seq 7",
      "seq 7",
      "seq 7",
    ]);
    expect(atServer).toEqual(["seq 7", "seq 7"]);
    const c2s = proxy.entries().filter((e) => e.dir === "c2s");
    expect(c2s.map((e) => [e.occurrence, e.action])).toEqual([
      [1, "drop"],
      [2, "drop"],
      [3, "forward"],
      [4, "forward"],
    ]);
  });

  it("keys fates on the identity it is given, so random content replays the same fates", async () => {
    // "seq <n> <random>": the identity ignores the random part, as the protocol identity does for readings.
    const identify: Identify = (dir, payload) => `${dir}:${String(Buffer.from(payload)).split(" ")[1]}`;
    const noisy = () => Array.from({ length: 40 }, (_, i) => `seq ${i} ${Math.random()}`);
    const fatesOf = (proxy: ImpairProxy) =>
      proxy
        .entries()
        .filter((e) => e.dir === "c2s")
        .map((e) => `${e.identity} ${e.action}`);
    const first = await throughLink(42, { policy: lossy }, noisy(), undefined, identify);
    const again = await throughLink(42, { policy: lossy }, noisy(), undefined, identify);
    expect(fatesOf(again.proxy)).toEqual(fatesOf(first.proxy));
    expect(fatesOf(first.proxy)[0]).toMatch(/^c2s:0 /);
    const unnamed = await throughLink(42, { policy: lossy }, noisy());
    expect(unnamed.proxy.entries()[0]!.identity).toBe(unnamed.proxy.entries()[0]!.sha1);
  });

  it("drops everything both ways on a black-hole link", async () => {
    const { proxy, atServer } = await throughLink(0, { script: { dropAll: true } }, numbered(5));
    expect(atServer).toEqual([]);
    expect(proxy.stats().actions.c2s.drop).toBe(5);
  });

  it("logs a datagram still held at close as never sent, and clears its timer", async () => {
    const server = await socketOn();
    const client = await socketOn();
    const slow: Policy = { drop: 0, duplicate: 0, reorder: 0, delayMs: [60_000, 60_000] };
    const proxy = await startProxy({ listenPort: 0, target: { port: server.port }, seed: 5, policy: slow });
    onTestFinished(() => proxy.close());
    client.socket.send("late", proxy.port, LOOPBACK);
    await until("the datagram to be held", () => proxy.stats().held === 1);
    await proxy.close();
    expect(proxy.entries()).toMatchObject([{ dir: "c2s", action: "delay", sent: 0 }]);
    expect(proxy.stats().held).toBe(0);
    expect(server.received).toEqual([]);
  });

  it("refuses a target off loopback and a port already taken", async () => {
    await expect(
      startProxy({ target: { host: "10.0.0.1", port: 9 }, seed: 1, script: {} }),
    ).rejects.toMatchObject({ name: "ImpairError", code: "bad-option" });
    const negative: Policy = { drop: -0.1, duplicate: 0, reorder: 0, delayMs: [0, 0] };
    await expect(startProxy({ target: { port: 9 }, seed: 1, policy: negative })).rejects.toThrow(
      "impair: policy drop is -0.1, not a probability between 0 and 1",
    );
    const backwards: Policy = { drop: 0, duplicate: 0, reorder: 0, delayMs: [50, 20] };
    await expect(startProxy({ target: { port: 9 }, seed: 1, policy: backwards })).rejects.toThrow(
      "delayMs [50, 20]",
    );
    const taken = await socketOn();
    const error = await startProxy({
      listenPort: taken.port,
      target: { port: 9 },
      seed: 1,
      script: {},
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImpairError);
    expect(error).toMatchObject({ code: "bind-failed" });
  });

  afterAll(async () => {
    // Every socket above has been closed; libuv releases a closed handle a loop turn or two later.
    const udpHandles = () => process.getActiveResourcesInfo().filter((kind) => kind === "UDPWrap");
    await until("every UDP handle to be released", () => udpHandles().length === 0, 2_000);
  });
});

describe("closing the proxy", () => {
  it("leaves nothing that keeps a process alive", async () => {
    const dir = await mkdtemp(join(tmpdir(), "impair-"));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const script = join(dir, "exits.mts");
    const proxyModule = join(REPO, "harness/impair/proxy.ts");
    await writeFile(
      script,
      `import { createSocket } from "node:dgram";
import { startProxy } from ${JSON.stringify(proxyModule)};
const server = createSocket("udp4");
server.on("message", (payload, from) => server.send(payload, from.port, from.address));
await new Promise((resolve) => server.bind(0, "127.0.0.1", resolve));
const policy = { drop: 0.2, duplicate: 0.2, reorder: 0.3, delayMs: [30_000, 30_000], delay: 0.3 };
const proxy = await startProxy({ listenPort: 0, target: { port: server.address().port }, seed: 3, policy });
const client = createSocket("udp4");
await new Promise((resolve) => client.bind(0, "127.0.0.1", resolve));
for (let i = 0; i < 30; i++) client.send("m" + i, proxy.port, "127.0.0.1");
while (proxy.stats().arrived.c2s < 30) await new Promise((resolve) => setImmediate(resolve));
await proxy.close();
client.close();
server.close();
process.stdout.write(JSON.stringify(proxy.stats()));
`,
    );
    type Outcome = { code: number | null; killed: boolean; stdout: string; stderr: string };
    const outcome = await new Promise<Outcome>((resolve) => {
      const child = execFile(
        process.execPath,
        ["--import", "tsx", script],
        { cwd: REPO, timeout: 20_000 },
        (error, stdout, stderr) =>
          resolve({ code: child.exitCode, killed: error?.killed ?? false, stdout, stderr }),
      );
    });
    expect(outcome).toMatchObject({ code: 0, killed: false, stderr: "" });
    const stats = JSON.parse(outcome.stdout);
    expect(stats.held).toBe(0);
    expect(stats.actions.c2s.delay).toBeGreaterThan(0);
  });
});
