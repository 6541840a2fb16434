// The runs of reliable UDP: the student's client and server over socklab's seeded lossy link (a perfect link,
// graded seeds, four scripted cases, a link that delivers nothing), or, where the client's command takes no
// {port}, over deterministic kernel drops (nftables numgen) standing in for it.
import {
  chooseSeeds,
  DEFAULT_POLICY,
  type IdentityOf,
  LISTENING_LINE,
  type LinkConfig,
  linkRole,
  messageKey,
  nftDropRules,
  type Policy,
  type Script,
} from "../../impair/index.ts";
import type { Protocol } from "../../protocol/index.ts";
import type { RunContext, RunSpec } from "../../session/index.ts";
import { role } from "../commands.ts";
import type { TaskEnvironment } from "../task.ts";
import { deliveredPattern, deliveredSequence } from "./delivery.ts";
import { clientTakesPort, LINK_PROGRAM } from "./link-evidence.ts";
import { giveUpBoundMs, type ReliableOptions } from "./reliable-options.ts";
import { clientTimeoutMs, SERVER_SLACK_MS, sensorServer } from "./sensor-runs.ts";

const NO_LOSS: Policy = { drop: 0, duplicate: 0, reorder: 0, delayMs: [0, 0] };

/** The scripted cases, packetdrill style: k counts arrivals in a direction (1 = the first datagram). */
export const SCRIPTED: readonly {
  name: string;
  title: string;
  script: Script;
  nft?: { c2s?: boolean; s2c?: boolean };
}[] = [
  {
    name: "lose-first-reading",
    title: "the link loses the first reading",
    script: { dropFirst: "c2s" },
    nft: { c2s: true },
  },
  {
    name: "lose-first-reply",
    title: "the link loses the first reply",
    script: { dropFirst: "s2c" },
    nft: { s2c: true },
  },
  { name: "duplicate-reading", title: "the link duplicates the second reading", script: { duplicate: 2 } },
  {
    name: "swap-two",
    title: "the link delivers the second reading after the third",
    script: { swap: [2, 3] },
  },
];

/** The reading and reply messages' names and whether they carry a sequence number. */
export function identities(protocol: Protocol | null) {
  const reading = protocol?.messages.find((m) => m.from === "client" && m.sequence !== undefined);
  const reply = protocol?.messages.find((m) => m.from === "server" && m.sequence !== undefined);
  return { reading: reading?.name ?? null, reply: reply?.name ?? null };
}

/**
 * The first `howMany` seeds whose link, for `count` readings numbered from 0 or from 1, drops a reading and a
 * reply, duplicates a reading and reorders two: a buggy program then fails on every seed, not on a lucky few.
 */
export function gradedSeeds(protocol: Protocol | null, count: number, howMany: number): number[] {
  const names = identities(protocol);
  const reading = names.reading ?? "reading";
  const reply = names.reply ?? "reply";
  const numbering =
    (first: number): IdentityOf =>
    (dir, i) =>
      messageKey(dir === "c2s" ? reading : reply, first + i);
  try {
    return chooseSeeds(DEFAULT_POLICY, count, howMany, [numbering(0), numbering(1)]);
  } catch {
    return []; // too few readings for any seed to exercise every impairment: `seeded-links` says so
  }
}

/** The port socklab's link listens on: next to the server's. */
export function linkPort(serverPort: number): number {
  return serverPort === 65535 ? 65534 : serverPort + 1;
}

function messagesFor(protocol: Protocol | null): LinkConfig["identify"] {
  if (!protocol) return undefined;
  return { messages: protocol.messages.map((m) => m.written) };
}

/**
 * Counts the server's delivery lines as they are printed, on stdout or stderr; `reached(count, ms)` resolves
 * once `count` have been (or after `ms`, or when the server ends). Subscribe before the client starts: no
 * line is missed.
 */
function watchDeliveries(server: RunContext["server"], pattern: RegExp) {
  let seen = 0;
  let wake: (() => void) | null = null;
  const unsubscribe = server.onLine((line) => {
    if (deliveredSequence(line.text, pattern).length > 0) {
      seen++;
      wake?.();
    }
  });
  return {
    async reached(count: number, timeoutMs: number): Promise<void> {
      const deadline = performance.now() + timeoutMs;
      while (seen < count && server.running && performance.now() < deadline) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.max(0, deadline - performance.now()));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      unsubscribe();
    },
  };
}

/** The kinds of run of reliable UDP: a perfect link, the lossy ones (seeded, or kernel drops), the scripted
 * cases, and a link that delivers nothing. */
export type LinkGroup = "clean" | "lossy" | "scripted" | "black-hole";

interface LinkRun {
  readonly name: string;
  readonly group: LinkGroup;
  readonly title: string;
  readonly seed: number;
  readonly policy?: Policy;
  readonly script?: Script;
  readonly nft?: string;
}

function linkRuns(env: TaskEnvironment<ReliableOptions>): LinkRun[] {
  const o = env.entry.options;
  const viaLink = clientTakesPort(env.entry.client);
  const port = env.entry.port;
  if (!viaLink) {
    return [
      { name: "clean", group: "clean", title: "no impairment (nftables fallback)", seed: 0 },
      {
        name: "drops",
        group: "lossy",
        title: "the kernel drops every 4th reading and every 5th reply (nftables numgen)",
        seed: 0,
        nft: nftDropRules({ port, c2sEvery: 4, s2cEvery: 5 }),
      },
      ...SCRIPTED.filter((s) => s.nft).map((s) => ({
        name: s.name,
        group: "scripted" as const,
        title: `${s.title} (nftables)`,
        seed: 0,
        nft: nftDropRules({ port, dropFirstC2s: s.nft?.c2s ?? false, dropFirstS2c: s.nft?.s2c ?? false }),
      })),
      {
        name: "black-hole",
        group: "black-hole",
        title: "a link that delivers nothing (nftables)",
        seed: 0,
        nft: nftDropRules({ port, c2sEvery: 1 }),
      },
    ];
  }
  return [
    { name: "clean", group: "clean", title: "a perfect link", seed: 0, policy: NO_LOSS },
    ...gradedSeeds(env.protocol, o.count, o.seeds).map((seed) => ({
      name: `seed-${seed}`,
      group: "lossy" as const,
      title: `a lossy link, seed ${seed} (drop ${DEFAULT_POLICY.drop}, duplicate ${DEFAULT_POLICY.duplicate}, reorder ${DEFAULT_POLICY.reorder}, both ways)`,
      seed,
      policy: DEFAULT_POLICY,
    })),
    ...SCRIPTED.map((s) => ({
      name: s.name,
      group: "scripted" as const,
      title: s.title,
      seed: 0,
      script: s.script,
    })),
    {
      name: "black-hole",
      group: "black-hole",
      title: "a link that delivers nothing",
      seed: 0,
      script: { dropAll: true },
    },
  ];
}

function runSpec(env: TaskEnvironment<ReliableOptions>, spec: LinkRun): RunSpec {
  const { entry } = env;
  const o = entry.options;
  const pattern = deliveredPattern(o.delivered);
  const viaLink = spec.nft === undefined && clientTakesPort(entry.client);
  const front = linkPort(entry.port);
  const clientTimeout =
    spec.group === "black-hole" ? giveUpBoundMs(o) + 2000 : clientTimeoutMs(entry) + 10_000;
  return {
    name: spec.name,
    group: spec.group,
    title: `the student's client and server over ${spec.title}`,
    protocol: "udp",
    port: entry.port,
    analyseAllPorts: true,
    extraPorts: viaLink ? [front] : [],
    snapshotAfter: false,
    ...(spec.nft === undefined ? {} : { nftRules: spec.nft }),
    drive: async (ctx) => {
      const deliveries = watchDeliveries(ctx.server, pattern);
      let clientPort = entry.port;
      let link: Awaited<ReturnType<RunContext["start"]>> | null = null;
      if (viaLink) {
        const config: LinkConfig = {
          listenPort: front,
          target: { port: entry.port },
          seed: spec.seed,
          // A reordered reading waits for the next one, which comes an interval later.
          holdCapMs: Math.max(80, Math.round(o.interval * 2500)),
          ...(spec.script ? { script: spec.script } : { policy: spec.policy ?? NO_LOSS }),
          ...(messagesFor(env.protocol) ? { identify: messagesFor(env.protocol)! } : {}),
        };
        // The link lives as long as the client may.
        link = await ctx.start({
          ...linkRole(config, LINK_PROGRAM),
          timeoutMs: clientTimeout + SERVER_SLACK_MS,
        });
        const ready = await link.waitForOutput(LISTENING_LINE, 10_000, "socklab's link to listen");
        if (ready.status !== "done") {
          ctx.note("linkError", `socklab's link did not start: ${link.output().slice(0, 300)}`);
          return;
        }
        clientPort = front;
      }
      const client = role({ ...entry, port: clientPort }, "client", "student", "client", {
        timeoutMs: clientTimeout,
      });
      await ctx.runClient(client);
      // The last delivery may be printed just after the client got its acknowledgement.
      await deliveries.reached(spec.group === "black-hole" ? 0 : o.count, 1000);
      if (link) await link.stop();
    },
    server: sensorServer(entry, clientTimeout),
  };
}

/** Every run of reliable UDP for the student's entry. */
export function reliableRuns(env: TaskEnvironment<ReliableOptions>): RunSpec[] {
  return linkRuns(env).map((spec) => runSpec(env, spec));
}
