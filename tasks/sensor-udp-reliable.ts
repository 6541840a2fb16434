// Optional deliverable 2: reliable, in-order sensor readings over UDP. socklab puts its seeded lossy link
// (harness/impair) between the student's client and server — the client is given the link's port as {port} —
// and grades the server's delivered sequence: every reading exactly once and in order, over a fixed list of
// seeds (each chosen so that it drops a reading and a reply, duplicates one reading and reorders two) and four
// scripted cases; and the client must give up in bounded time on a link that delivers nothing. Where the
// client's command takes no {port}, deterministic kernel drops (nftables `numgen inc`) replace the link.
import type { RunRecord } from "../harness/grade/index.ts";
import {
  type CheckDefinition,
  clientTakesPort,
  clientTimeoutMs,
  defineTask,
  deliveredPattern,
  deliveredSequence,
  describeDelivery,
  fail,
  judgeDelivery,
  LINK_PROGRAM,
  linkOf,
  messagesDecodeCheck,
  outputRefs,
  pass,
  type RunContext,
  type RunSpec,
  role,
  runOf,
  SERVER_SLACK_MS,
  type SensorOptions,
  sensorOptionsShape,
  sensorServer,
  serverReadyCheck,
  type TaskEnvironment,
  type TaskEvidence,
  taskCheck,
  trafficOf,
  z,
} from "../harness/grade/index.ts";
import {
  chooseSeeds,
  DEFAULT_POLICY,
  type IdentityOf,
  LISTENING_LINE,
  type LinkConfig,
  type LogEntry,
  linkRole,
  messageKey,
  nftDropRules,
  type Policy,
  parseIdentityKey,
  type Script,
} from "../harness/impair/index.ts";
import type { Protocol } from "../harness/protocol/index.ts";
import { sensorSections } from "../harness/report/index.ts";

/** Whether `text` compiles to a regular expression with at least one capturing group. */
export function groupCount(text: string): boolean {
  try {
    // An empty alternative matches "", and the match array has one slot per group.
    return (deliveredPattern(`${text}|`).exec("")?.length ?? 0) > 1;
  } catch {
    return false;
  }
}

const options = z.object({
  ...sensorOptionsShape,
  /** At least 6 readings: fewer leave no seed whose link both drops, duplicates and reorders a reading. */
  count: z.number().int().min(6).max(10_000).default(20),
  /** How the server's output shows each delivered reading: a regex with a group `seq` (or a first group). */
  delivered: z.string().default("seq=(?<seq>\\d+)").refine(groupCount, {
    message: "a regular expression with a group for the sequence number, e.g. 'seq=(?<seq>\\d+)'",
  }),
  /** How many seeded lossy links to grade over. */
  seeds: z.number().int().min(1).max(10).default(4),
  /** Seconds the client may take, beyond count × interval, to give up on a link that delivers nothing. */
  giveUpWithin: z.number().min(1).max(120).default(10),
});
type Options = SensorOptions & { delivered: string; seeds: number; giveUpWithin: number };

const NO_LOSS: Policy = { drop: 0, duplicate: 0, reorder: 0, delayMs: [0, 0] };

/** The scripted cases, packetdrill style: k counts arrivals in a direction (1 = the first datagram). */
const SCRIPTED: readonly {
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
function identities(protocol: Protocol | null) {
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
  return {
    messages: protocol.messages.map((m) => ({
      name: m.name,
      from: m.from,
      format: m.format,
      fields: m.fields,
      ...(m.sequence === undefined ? {} : { sequence: m.sequence }),
      ...(Object.keys(m.match).length === 0 ? {} : { match: m.match }),
    })),
  };
}

/**
 * Counts the server's delivery lines as they are printed; `reached(count, ms)` resolves once `count` have been
 * (or after `ms`, or when the server ends). Subscribe before the client starts: no line is missed.
 */
function watchDeliveries(server: RunContext["server"], pattern: RegExp) {
  let seen = 0;
  let wake: (() => void) | null = null;
  const unsubscribe = server.onLine((line) => {
    if (line.stream === "stdout" && deliveredSequence(line.text, pattern).length > 0) {
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

interface LinkRun {
  readonly name: string;
  readonly title: string;
  readonly seed: number;
  readonly policy?: Policy;
  readonly script?: Script;
  readonly nft?: string;
  readonly blackHole?: boolean;
}

function linkRuns(env: TaskEnvironment<Options>): LinkRun[] {
  const o = env.entry.options;
  const viaLink = clientTakesPort(env.entry.client);
  const port = env.entry.port;
  if (!viaLink) {
    return [
      { name: "clean", title: "no impairment (nftables fallback)", seed: 0 },
      {
        name: "drops",
        title: "the kernel drops every 4th reading and every 5th reply (nftables numgen)",
        seed: 0,
        nft: nftDropRules({ port, c2sEvery: 4, s2cEvery: 5 }),
      },
      ...SCRIPTED.filter((s) => s.nft).map((s) => ({
        name: s.name,
        title: `${s.title} (nftables)`,
        seed: 0,
        nft: nftDropRules({ port, dropFirstC2s: s.nft?.c2s ?? false, dropFirstS2c: s.nft?.s2c ?? false }),
      })),
      {
        name: "black-hole",
        title: "a link that delivers nothing (nftables)",
        seed: 0,
        nft: nftDropRules({ port, c2sEvery: 1 }),
        blackHole: true,
      },
    ];
  }
  return [
    { name: "clean", title: "a perfect link", seed: 0, policy: NO_LOSS },
    ...gradedSeeds(env.protocol, o.count, o.seeds).map((seed) => ({
      name: `seed-${seed}`,
      title: `a lossy link, seed ${seed} (drop ${DEFAULT_POLICY.drop}, duplicate ${DEFAULT_POLICY.duplicate}, reorder ${DEFAULT_POLICY.reorder}, both ways)`,
      seed,
      policy: DEFAULT_POLICY,
    })),
    ...SCRIPTED.map((s) => ({ name: s.name, title: s.title, seed: 0, script: s.script })),
    {
      name: "black-hole",
      title: "a link that delivers nothing",
      seed: 0,
      script: { dropAll: true },
      blackHole: true,
    },
  ];
}

function giveUpBoundMs(o: Options): number {
  return Math.round((o.count * o.interval + o.giveUpWithin) * 1000);
}

function runSpec(env: TaskEnvironment<Options>, spec: LinkRun): RunSpec {
  const { entry } = env;
  const o = entry.options;
  const pattern = deliveredPattern(o.delivered);
  const viaLink = spec.nft === undefined && clientTakesPort(entry.client);
  const front = linkPort(entry.port);
  const clientTimeout = spec.blackHole ? giveUpBoundMs(o) + 2000 : clientTimeoutMs(entry) + 10_000;
  return {
    name: spec.name,
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
      await deliveries.reached(spec.blackHole ? 0 : o.count, 1000);
      if (link) await link.stop();
    },
    server: sensorServer(entry, clientTimeout),
  };
}

// ------------------------------------------------------------------ evidence

interface RunJudgement {
  readonly run: RunRecord;
  readonly ok: boolean;
  readonly line: string;
  readonly delivered: number[];
  readonly expected: number[];
  readonly log: LogEntry[];
  readonly linkNotes: string[];
}

/** The sequence numbers of the readings the client sent (on its own leg), in increasing order. */
function sentSequence(run: RunRecord, protocol: Protocol | null, port: number): number[] {
  const readings = trafficOf(run, protocol, port).readings;
  const seqs = new Set(readings.flatMap((m) => (m.sequence === undefined ? [] : [Number(m.sequence)])));
  return [...seqs].sort((a, b) => a - b);
}

/** What happened in one run: delivered vs sent, and what the link did. */
function judgeRun(evidence: TaskEvidence<Options>, name: string): RunJudgement {
  const run = runOf(evidence, name);
  const o = evidence.env.entry.options;
  const link = linkOf(run);
  const clientPort = link?.port ?? run.port;
  const delivered = run.server
    ? deliveredSequence(run.server.outcome.stdout, deliveredPattern(o.delivered))
    : [];
  // Every reading the client sent, and `count` readings from its first number (a client that stops early
  // leaves readings missing).
  const sent = sentSequence(run, evidence.env.protocol, clientPort);
  const first = sent[0] ?? 0;
  const expected = [...new Set([...Array.from({ length: o.count }, (_, i) => first + i), ...sent])].sort(
    (a, b) => a - b,
  );
  const verdict = judgeDelivery(delivered, expected);
  const client = run.clients.find((c) => c.role.name === "client");
  const clientEnded = client !== undefined && !client.outcome.timedOut && client.outcome.killedBy !== "stop";
  const linkNotes: string[] = [];
  if (link && !link.agreement.agrees) {
    linkNotes.push(
      `socklab's link log and the capture disagree: ${link.agreement.findings.slice(0, 3).join("; ")}`,
    );
  }
  if (run.notes.linkError) linkNotes.push(run.notes.linkError);
  const ok = verdict.ok && clientEnded;
  const line = `${run.name}: ${describeDelivery(verdict, delivered)}${clientEnded ? "" : `; the client did not end by itself (${client?.outcome.description ?? "not started"})`}`;
  return { run, ok, line, delivered, expected, log: link?.log ?? [], linkNotes };
}

const FALLBACK_NOTE =
  "The client's command has no {port}, so socklab could not put its link between client and server: it used " +
  "deterministic kernel drops (nftables numgen) instead, which cannot duplicate or reorder datagrams.";

/** What the link, or the kernel's drop rules standing in for it, did in a run. */
function whatTheLinkDid(j: RunJudgement, viaLink: boolean): string {
  return viaLink
    ? linkSummary(j.log)
    : `nftables: ${j.run.title.replace(/^the student's client and server over /, "")}`;
}

/** A short account of what the link did: "dropped reading:3, reply:0; duplicated reading:5; …". */
export function linkSummary(log: readonly LogEntry[]): string {
  const by = (action: string) =>
    log
      .filter((e) => e.action === action)
      .map((e) => `${e.identity ?? e.sha1.slice(0, 8)}${e.occurrence > 1 ? ` (copy ${e.occurrence})` : ""}`);
  const parts = (["drop", "duplicate", "reorder", "delay"] as const).flatMap((a) => {
    const list = by(a);
    return list.length === 0
      ? []
      : [
          `${a === "drop" ? "dropped" : a === "duplicate" ? "duplicated" : a === "reorder" ? "reordered" : "delayed"} ${list.slice(0, 8).join(", ")}${list.length > 8 ? ", …" : ""}`,
        ];
  });
  return parts.length === 0 ? "the link forwarded everything" : parts.join("; ");
}

function runNames(evidence: TaskEvidence<Options>, prefix: string): string[] {
  return Object.keys(evidence.runs).filter((n) => n.startsWith(prefix));
}

const HELP =
  "Number every reading; the server acknowledges each one (its reply carries the number), delivers a reading " +
  "only when every earlier one was delivered (keep later ones in a buffer), and re-acknowledges but never " +
  "re-delivers a duplicate. The client retransmits a reading whose acknowledgement does not come within a timeout.";

function deliveryCheck(
  id: string,
  title: string,
  points: number,
  runName: string,
): CheckDefinition<TaskEvidence<Options>> {
  return taskCheck({
    id,
    title,
    points,
    dependsOn: "server-ready",
    run: (evidence) => {
      if (!evidence.runs[runName]) {
        return fail({
          message: `${title}: not tested — the client's command has no {port}, so socklab cannot put its link between client and server`,
          expected: "a client command with {port}",
          actual: evidence.env.entry.client,
          help: "Write the client command with {host} {port} so that socklab can give it the port of its lossy link.",
        });
      }
      const j = judgeRun(evidence, runName);
      const notes = [...j.linkNotes, ...(j.log.length > 0 ? [`link: ${linkSummary(j.log)}`] : [])];
      const what = whatTheLinkDid(j, clientTakesPort(evidence.env.entry.client));
      if (j.ok) return pass(`${j.line}; ${what}`, [], notes);
      return fail(
        {
          message: `${title}: the server's delivered sequence is wrong`,
          expected: `readings ${j.expected.length > 0 ? `${j.expected[0]}..${j.expected.at(-1)}` : "(none seen)"} each delivered once, in order`,
          actual: `${j.line}; ${what}`,
          evidence: j.run.server ? outputRefs(j.run, j.run.server, /./, 3) : [],
          help: HELP,
        },
        notes,
      );
    },
  });
}

/** The decoding check, refusing first a protocol whose readings carry no declared sequence number. */
function numberedReadings(
  check: CheckDefinition<TaskEvidence<Options>>,
): CheckDefinition<TaskEvidence<Options>> {
  return {
    ...check,
    title:
      "every message decodes with the declared formats, readings numbered by a declared `sequence` field",
    run: (evidence) => {
      const protocol = evidence.env.protocol;
      if (protocol && identities(protocol).reading === null) {
        return fail({
          message: "no message from the client declares a `sequence` field",
          expected: "the reading message with `sequence: <field>` (the field that numbers the readings)",
          actual: protocol.messages
            .filter((m) => m.from === "client")
            .map((m) => `"${m.name}" (${m.fields.join(", ")})`)
            .join("; "),
          help:
            "Reliable delivery needs numbered readings: add a sequence field to the reading and name it with " +
            "`sequence:` in socklab.yaml, so socklab can follow each reading across its lossy link.",
        });
      }
      return check.run(evidence);
    },
  };
}

// ------------------------------------------------------------------ task

export default defineTask({
  id: "sensor-udp-reliable",
  title: "Reliable, in-order sensor readings over UDP (optional 2)",
  section: "Optional 2",
  summary:
    "The UDP sensor pair made reliable: socklab inserts a seeded lossy link between client and server that " +
    "drops, duplicates and reorders datagrams both ways (fates depend on the seed and on each datagram's " +
    "identity — its message and sequence number — never on timing, so every run replays from its seed). The " +
    "server's delivered sequence, read from its output, must hold every reading exactly once and in order, on " +
    "every seed and in four scripted cases; and the client must give up in bounded time when nothing gets through.",
  defaults: { host: "127.0.0.1", port: 9001 },
  options,
  runs: (env) => linkRuns(env).map((spec) => runSpec(env, spec)),
  checks: [
    serverReadyCheck({ points: 1, run: "clean" }),
    numberedReadings(messagesDecodeCheck({ points: 1, run: "clean" })),
    deliveryCheck("clean-link", "over a perfect link, every reading is delivered once, in order", 1, "clean"),
    taskCheck<Options>({
      id: "seeded-links",
      title: "over every seeded lossy link, every reading is delivered once, in order",
      points: 4,
      dependsOn: "server-ready",
      run: (evidence) => {
        const names = [...runNames(evidence, "seed-"), ...runNames(evidence, "drops")];
        if (names.length === 0) {
          return fail({
            message: "no seeded lossy link could be graded",
            actual: `no seed among the first 100,000 exercises every impairment for ${evidence.env.entry.options.count} readings`,
            help: "Send more readings (count ≥ 6).",
          });
        }
        const judged = names.map((n) => judgeRun(evidence, n));
        const good = judged.filter((j) => j.ok);
        const lines = judged.map((j) => `${j.line}${j.log.length > 0 ? ` [${linkSummary(j.log)}]` : ""}`);
        const notes = judged.flatMap((j) => j.linkNotes);
        if (!clientTakesPort(evidence.env.entry.client)) notes.push(FALLBACK_NOTE);
        const unnamed = judged.some((j) =>
          j.log.some((e) => e.dir === "c2s" && parseIdentityKey(e.identity ?? "").kind !== "message"),
        );
        if (unnamed) {
          notes.push(
            "socklab's link could not name some readings by their sequence number (they do not decode with the " +
              "declared protocol), so their fates were keyed on their bytes: those runs do not replay exactly from the seed.",
          );
        }
        if (judged.length > 0 && good.length === judged.length) {
          return pass(
            `${judged.length} lossy links (${names.join(", ")}): ${judged.map((j) => `${j.run.name} ok`).join(", ")}`,
            [],
            [...lines, ...notes],
          );
        }
        const first = judged.find((j) => !j.ok);
        return {
          ...fail(
            {
              message: `${judged.length - good.length} of ${judged.length} lossy links broke delivery (${judged
                .filter((j) => !j.ok)
                .map((j) => j.run.name)
                .join(", ")})`,
              expected:
                "on every seed: each reading delivered once, in order, and the client ending by itself",
              actual: lines.join(" | "),
              evidence: first?.run.server ? outputRefs(first.run, first.run.server, /./, 3) : [],
              help: `${HELP} Replay a seed with \`socklab check --task sensor-udp-reliable\`: the seeds are fixed, and each run's capture and link log are kept.`,
            },
            [...lines, ...notes],
          ),
          points: judged.length === 0 ? 0 : Math.floor((4 * good.length) / judged.length),
        };
      },
    }),
    ...SCRIPTED.map((s) =>
      deliveryCheck(s.name, `${s.title}: every reading still delivered once, in order`, 1, s.name),
    ),
    taskCheck<Options>({
      id: "gives-up",
      title: "on a link that delivers nothing, the client gives up in bounded time",
      points: 1,
      dependsOn: "server-ready",
      run: (evidence) => {
        const o = evidence.env.entry.options;
        const run = runOf(evidence, "black-hole");
        const client = run.clients.find((c) => c.role.name === "client");
        const bound = giveUpBoundMs(o);
        if (client && !client.outcome.timedOut && client.outcome.wallMs <= bound) {
          return pass(
            `the client ended after ${(client.outcome.wallMs / 1000).toFixed(1)} s (${client.outcome.description}); the bound is ${(bound / 1000).toFixed(1)} s`,
            outputRefs(run, client, /./, 2),
          );
        }
        return fail({
          message: "the client never gave up on a link that delivers nothing",
          expected: `the client to end by itself within count × interval + ${o.giveUpWithin} s = ${(bound / 1000).toFixed(1)} s`,
          actual: client
            ? `${client.outcome.description} after ${(client.outcome.wallMs / 1000).toFixed(1)} s`
            : "the client was not started",
          evidence: client ? outputRefs(run, client) : [],
          help: "Count the tries of each reading and give up (report the readings not acknowledged, exit non-zero) after a maximum number of retransmissions with a growing timeout.",
        });
      },
    }),
  ],
  sections: (evidence) => sensorSections(evidence, "udp", { reliable: true }),
});
