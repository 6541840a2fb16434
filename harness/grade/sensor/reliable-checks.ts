// The checks of reliable UDP: the server's delivered sequence, read from its output, against the readings the
// client sent, run by run, with what the lossy link (or the kernel's drop rules) did to them.
import { type LogEntry, parseIdentityKey } from "../../impair/index.ts";
import type { Protocol } from "../../protocol/index.ts";
import type { RunRecord } from "../../session/index.ts";
import { type CheckDefinition, fail, pass } from "../check.ts";
import { runOf } from "../checks/run-check.ts";
import { outputRefs } from "../evidence.ts";
import { type TaskEvidence, taskCheck } from "../task.ts";
import { deliveredBy, deliveredPattern, describeDelivery, judgeDelivery } from "./delivery.ts";
import { clientTakesPort, linkOf } from "./link-evidence.ts";
import { giveUpBoundMs, type ReliableOptions } from "./reliable-options.ts";
import { identities, type LinkGroup } from "./reliable-runs.ts";
import { trafficOf } from "./sensor-evidence.ts";

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
function judgeRun(evidence: TaskEvidence<ReliableOptions>, name: string): RunJudgement {
  const run = runOf(evidence, name);
  const o = evidence.env.entry.options;
  const link = linkOf(run);
  const clientPort = link?.port ?? run.port;
  const { delivered, stream } = run.server
    ? deliveredBy(run.server.outcome, deliveredPattern(o.delivered))
    : { delivered: [], stream: "stdout" as const };
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
  const from = stream === "stderr" ? " (read from the server's stderr)" : "";
  const line = `${run.name}: ${describeDelivery(verdict, delivered)}${from}${clientEnded ? "" : `; the client did not end by itself (${client?.outcome.description ?? "not started"})`}`;
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

/** The names of the runs of a kind. */
function runsIn(evidence: TaskEvidence<ReliableOptions>, group: LinkGroup): string[] {
  return Object.values(evidence.runs)
    .filter((run) => run.group === group)
    .map((run) => run.name);
}

const HELP =
  "Number every reading; the server acknowledges each one (its reply carries the number), delivers a reading " +
  "only when every earlier one was delivered (keep later ones in a buffer), and re-acknowledges but never " +
  "re-delivers a duplicate. The client retransmits a reading whose acknowledgement does not come within a timeout.";

export function deliveryCheck(
  id: string,
  title: string,
  points: number,
  runName: string,
): CheckDefinition<TaskEvidence<ReliableOptions>> {
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
export function numberedReadings(
  check: CheckDefinition<TaskEvidence<ReliableOptions>>,
): CheckDefinition<TaskEvidence<ReliableOptions>> {
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

/** Over every seeded lossy link (or the kernel drops standing in for it), every reading delivered once, in order. */
export function seededLinksCheck(): CheckDefinition<TaskEvidence<ReliableOptions>> {
  return taskCheck<ReliableOptions>({
    id: "seeded-links",
    title: "over every seeded lossy link, every reading is delivered once, in order",
    points: 4,
    dependsOn: "server-ready",
    run: (evidence) => {
      const names = runsIn(evidence, "lossy");
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
            expected: "on every seed: each reading delivered once, in order, and the client ending by itself",
            actual: lines.join(" | "),
            evidence: first?.run.server ? outputRefs(first.run, first.run.server, /./, 3) : [],
            help: `${HELP} Replay a seed with \`socklab check --task sensor-udp-reliable\`: the seeds are fixed, and each run's capture and link log are kept.`,
          },
          [...lines, ...notes],
        ),
        points: judged.length === 0 ? 0 : Math.floor((4 * good.length) / judged.length),
      };
    },
  });
}

/** On a link that delivers nothing, the client gives up in bounded time. */
export function givesUpCheck(): CheckDefinition<TaskEvidence<ReliableOptions>> {
  return taskCheck<ReliableOptions>({
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
  });
}
