// The lossy link inside real runs: the bundled link program started as a probe in the run's namespace between
// a small reliable-UDP client and the reference UDP echo server. Its log must agree with the capture of both
// legs, a scripted drop must happen, a seeded policy must do exactly what the seed's plan says, and an
// nftables rule must drop deterministically without any link.
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "vitest";
import type { UdpConversation } from "../../harness/analyse/types.ts";
import {
  executeRun,
  type ProgramRole,
  type RunContext,
  type RunRecord,
  type RunSpec,
} from "../../harness/grade/index.ts";
import {
  chooseSeeds,
  crossCheckLink,
  DEFAULT_POLICY,
  type IdentityOf,
  LISTENING_LINE,
  type LinkConfig,
  linkLegsOf,
  linkRole,
  nftDropRules,
  parseLinkOutput,
  planOf,
} from "../../harness/impair/index.ts";
import { stageProgramFolders } from "../../harness/session/index.ts";
import { type OnFinished, tempOutDir } from "./sandbox-helpers.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const SERVER_PORT = 5005;
const LINK_PORT = 6000;
const COUNT = 10;

// Sends readings (seq, random value) one at a time and waits for the echo of each, retransmitting on timeout.
const CLIENT = `import random, socket, struct, sys
port, count = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(0.5)
for seq in range(count):
    data = struct.pack("!Id", seq, random.random())
    for attempt in range(6):
        s.sendto(data, ("127.0.0.1", port))
        try:
            while struct.unpack("!Id", s.recvfrom(100)[0])[0] != seq:
                pass
            print("ack", seq, attempt, flush=True)
            break
        except socket.timeout:
            pass
    else:
        sys.exit("gave up on %d" % seq)
`;

const IDENTIFY: LinkConfig["identify"] = {
  messages: [
    { name: "reading", from: "client", format: "!Id", fields: ["seq", "value"], sequence: "seq" },
    { name: "reply", from: "server", format: "!Id", fields: ["seq", "value"], sequence: "seq" },
  ],
};
const IDENTITY_OF: IdentityOf = (direction, i) => (direction === "c2s" ? `reading:${i}` : `reply:${i}`);

async function submissionWithClient(onFinished: OnFinished): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "socklab-link-sub-"));
  onFinished(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, "client.py"), CLIENT);
  await chmod(dir, 0o755);
  return dir;
}

const clientRole = (port: number): ProgramRole => ({
  name: "client",
  source: "student",
  command: `python3 client.py ${port} ${COUNT}`,
  timeoutMs: 20_000,
});

// One run: the reference echo server, then `drive`; the capture is analysed on every port.
async function run(
  onFinished: OnFinished,
  drive: (ctx: RunContext) => Promise<void>,
  extra: Partial<RunSpec> = {},
): Promise<RunRecord> {
  const folders = await stageProgramFolders({
    reference: join(ROOT, "reference"),
    probes: join(ROOT, "tasks", "probes"),
  });
  onFinished(() => folders.release());
  const spec: RunSpec = {
    name: "link",
    title: "through the lossy link",
    protocol: "udp",
    port: SERVER_PORT,
    server: { name: "server", source: "reference", command: `python3 udp_echo_server.py ${SERVER_PORT}` },
    analyseAllPorts: true,
    extraPorts: [LINK_PORT],
    drive,
    ...extra,
  };
  const record = await executeRun(
    spec,
    await submissionWithClient(onFinished),
    await tempOutDir(onFinished),
    folders,
  );
  if (record.faults.length > 0 || record.mode !== "namespace") {
    throw new Error(`the run went wrong (${record.mode}): ${record.faults.map((f) => f.message).join("; ")}`);
  }
  return record;
}

// Starts the link, runs the client through it, then stops the link so that it prints its stats.
const throughLink = (config: LinkConfig) => async (ctx: RunContext) => {
  const link = await ctx.start(linkRole(config));
  const listening = await link.waitForOutput(LISTENING_LINE, 10_000, "the link to listen");
  if (listening.status !== "done") throw new Error(`the link did not start: ${JSON.stringify(listening)}`);
  await ctx.runClient(clientRole(LINK_PORT));
  await link.stop();
};

function linkOf(record: RunRecord) {
  const link = record.clients.find((c) => c.role.name === "link");
  const client = record.clients.find((c) => c.role.name === "client");
  if (link === undefined || client === undefined) throw new Error("the run has no link or no client");
  return { link: parseLinkOutput(link.outcome.stdout), linkOutcome: link.outcome, client: client.outcome };
}

describe.concurrent("the lossy link inside a run", () => {
  it("plays a scripted drop of the first reading, and its log agrees with the capture of both legs", async ({
    expect,
    onTestFinished,
  }) => {
    const record = await run(
      onTestFinished,
      throughLink({
        listenPort: LINK_PORT,
        target: { port: SERVER_PORT },
        seed: 1,
        script: { dropFirst: "c2s" },
      }),
    );
    const { link, linkOutcome, client } = linkOf(record);
    expect(client.exitCode).toBe(0);
    expect(linkOutcome.exitCode).toBe(0);
    expect(link.port).toBe(LINK_PORT);
    expect(link.stats).toMatchObject({
      seed: 1,
      clients: 1,
      held: 0,
      sendErrors: 0,
      arrived: { c2s: COUNT + 1 },
    });
    const c2s = link.log.filter((e) => e.dir === "c2s");
    expect(c2s.slice(0, 2).map((e) => [e.k, e.occurrence, e.action])).toEqual([
      [1, 1, "drop"],
      [2, 2, "forward"],
    ]);
    expect(client.stdout.split("\n")[0]).toBe("ack 0 1");
    const legs = linkLegsOf(record.analysis!.conversations, { linkPort: LINK_PORT, serverPort: SERVER_PORT });
    expect(legs.client.filter((r) => r.direction === "c2s")).toHaveLength(COUNT + 1);
    expect(legs.server.filter((r) => r.direction === "c2s")).toHaveLength(COUNT);
    expect(crossCheckLink(link.log, legs)).toEqual({ agrees: true, findings: [] });
    // A tampered log is caught: claiming the dropped reading was forwarded.
    const lie = link.log.map((e) =>
      e.dir === "c2s" && e.k === 1 ? { ...e, action: "forward" as const, sent: 1 } : e,
    );
    expect(crossCheckLink(lie, legs).agrees).toBe(false);
  }, 60_000);

  it("does to each reading's first transmission exactly what the seed's plan says, random values or not", async ({
    expect,
    onTestFinished,
  }) => {
    const [seed] = chooseSeeds(DEFAULT_POLICY, COUNT, 1, IDENTITY_OF);
    const plan = planOf(seed!, DEFAULT_POLICY, COUNT, IDENTITY_OF);
    const record = await run(
      onTestFinished,
      throughLink({
        listenPort: LINK_PORT,
        target: { port: SERVER_PORT },
        seed: seed!,
        policy: DEFAULT_POLICY,
        identify: IDENTIFY,
      }),
    );
    const { link, client } = linkOf(record);
    expect(client.exitCode).toBe(0);
    const firsts = new Map(link.log.filter((e) => e.occurrence === 1).map((e) => [e.identity, e.action]));
    for (const planned of [...plan.c2s, ...plan.s2c]) {
      expect(firsts.get(planned.identity), planned.identity).toBe(planned.fate.action);
    }
    const actions = new Set(link.log.map((e) => e.action));
    expect([...actions].sort()).toEqual(expect.arrayContaining(["drop", "duplicate", "reorder"]));
    const legs = linkLegsOf(record.analysis!.conversations, { linkPort: LINK_PORT, serverPort: SERVER_PORT });
    expect(crossCheckLink(link.log, legs)).toEqual({ agrees: true, findings: [] });
  }, 60_000);

  it("drops with an nftables rule: the first request, then every other reply, each still in the capture", async ({
    expect,
    onTestFinished,
  }) => {
    const record = await run(
      onTestFinished,
      async (ctx) => {
        await ctx.runClient({ ...clientRole(SERVER_PORT), command: `python3 client.py ${SERVER_PORT} 3` });
      },
      {
        nftRules: nftDropRules({ port: SERVER_PORT, dropFirstC2s: true, s2cEvery: 2 }),
        analyseAllPorts: false,
      },
    );
    const client = record.clients[0]!.outcome;
    // Reading 0: dropped, resent, its reply dropped, resent; readings 1 and 2: reply dropped once each.
    expect(client.stdout).toBe("ack 0 2\nack 1 1\nack 2 1\n");
    const udp = record.analysis!.conversations.filter((c): c is UdpConversation => c.protocol === "udp");
    expect(udp).toHaveLength(1);
    expect([udp[0]!.c2s.datagrams, udp[0]!.s2c.datagrams]).toEqual([7, 6]);
  }, 60_000);
});
