// The sensor deliverable's checks over the traffic read with the student's own protocol description: the
// design (kinds of data), every message decoding, replies, the period, random values, counting sequence
// numbers, and socklab's probe. Each is a small function from evidence to a verdict that names packets.
import {
  type ArrivalStats,
  arrivalStats,
  BURST_FRACTION,
  burstGaps,
  PERIOD_TOLERANCE,
} from "../../analyse/timing.ts";
import { type DataKind, dataKinds, formatValue, type Protocol } from "../../protocol/index.ts";
import type { RunRecord } from "../../session/index.ts";
import { type CheckDefinition, defineCheck, fail, pass, type Verdict } from "../check.ts";
import { type RunCheckOptions, runOf } from "../checks/run-check.ts";
import { outputRefs, packetRef, tracebackLine } from "../evidence.ts";
import type { EvidenceRef } from "../result.ts";
import type { TaskEvidence } from "../task.ts";
import { judgeTcpProbe, judgeUdpProbe, type ProbeCause, parseProbeReport } from "./probe-judge.ts";
import { readingMessage } from "./probe-readings.ts";
import { unanswered } from "./reply-pairs.ts";
import { trafficOf } from "./sensor-evidence.ts";
import type { SensorOptions } from "./sensor-options.ts";
import { readingItems, type SensorTraffic, sequencesOf, type TimedMessage } from "./sensor-traffic.ts";

type Check = CheckDefinition<TaskEvidence<SensorOptions>>;

/** The sensor checks take the shared options, but each keeps its own prerequisite. */
type Options = Omit<RunCheckOptions, "dependsOn">;

const NO_PROTOCOL_HELP =
  "Describe your messages in socklab.yaml under `protocol: messages:` (name, from, format, fields; see docs/manifest.md).";

function protocolOrFail(evidence: TaskEvidence<SensorOptions>): Protocol | Verdict {
  const protocol = evidence.env.protocol;
  if (protocol) return protocol;
  return fail({
    message: "socklab.yaml describes no protocol, so the messages cannot be read",
    expected: "a `protocol:` section with your reading and reply messages",
    actual: "none",
    help: NO_PROTOCOL_HELP,
  });
}

function isVerdict(value: Protocol | Verdict): value is Verdict {
  return "pass" in value;
}

/** The traffic of the check's run, or a failing verdict when there is no protocol to read it with. */
function trafficFor(
  evidence: TaskEvidence<SensorOptions>,
  runName: string,
): [RunRecord, SensorTraffic] | Verdict {
  const protocol = protocolOrFail(evidence);
  if (isVerdict(protocol)) return protocol;
  const run = runOf(evidence, runName);
  return [run, trafficOf(run, protocol)];
}

/** A check over the sensor traffic of the check's run (default "main"), after the server became ready. */
function trafficCheck(
  options: Options,
  id: string,
  title: string,
  judge: (run: RunRecord, traffic: SensorTraffic, evidence: TaskEvidence<SensorOptions>) => Verdict,
): Check {
  return defineCheck({
    id: options.id ?? id,
    title: options.title ?? title,
    points: options.points,
    dependsOn: "server-ready",
    run: (evidence) => {
      const found = trafficFor(evidence, options.run ?? "main");
      return Array.isArray(found) ? judge(found[0], found[1], evidence) : found;
    },
  });
}

const refs = (run: RunRecord, messages: readonly TimedMessage[], max = 3): EvidenceRef[] =>
  messages.slice(0, max).map((m) => packetRef(run, m.packet));

/** A message by its declared name, its number when it has one, and its packet: "reading seq 14 (packet 31)". */
const seqText = (m: TimedMessage) =>
  m.sequence === undefined
    ? `${m.name} in packet ${m.packet}`
    : `${m.name} seq ${String(m.sequence)} (packet ${m.packet})`;

// ------------------------------------------------------------------ design

/** The kinds of data (integer, floating point, boolean, bytes/char) of a protocol's richest message from one
 * side, with its struct types (format characters). */
export function kindsFrom(
  protocol: Protocol,
  from: "client" | "server",
): { name: string; types: string[]; kinds: DataKind[] } {
  const sent = protocol.messages.filter((m) => m.from === from);
  let best: { name: string; types: string[]; kinds: DataKind[] } = { name: "", types: [], kinds: [] };
  for (const message of sent) {
    const types = [...new Set(message.fields.map((field) => field.char ?? field.type))];
    const kinds = dataKinds(message);
    if (
      kinds.length > best.kinds.length ||
      (kinds.length === best.kinds.length && types.length > best.types.length)
    )
      best = { name: message.name, types, kinds };
  }
  return best;
}

/**
 * The handout: "the final mark will consider positively the use of multiple data types, both in the sent
 * data and responses from the server". Multiple means two kinds of data or more (integers of several widths
 * are one kind), in the richest reading and in the richest reply; one point of two for either.
 */
export function protocolDesignCheck(options: Options): Check {
  return defineCheck({
    id: options.id ?? "protocol-design",
    title: options.title ?? "readings and replies each mix several kinds of data",
    points: options.points,
    run: (evidence) => {
      const protocol = protocolOrFail(evidence);
      if (isVerdict(protocol)) return protocol;
      const reading = kindsFrom(protocol, "client");
      const reply = kindsFrom(protocol, "server");
      const readingOk = reading.kinds.length >= 2;
      const replyOk = reply.kinds.length >= 2;
      const describe = (k: { name: string; types: string[]; kinds: DataKind[] }, side: string) =>
        k.name
          ? `"${k.name}" uses ${k.types.map((t) => `'${t}'`).join(", ")} (${k.kinds.join(", ")})`
          : `no ${side} message is described`;
      if (readingOk && replyOk) {
        return pass(`${describe(reading, "client")}; ${describe(reply, "server")}`);
      }
      const half = options.points / 2;
      return {
        ...fail({
          message: [
            readingOk ? null : `the readings use ${reading.kinds.length} kind(s) of data, not several`,
            replyOk ? null : `the replies use ${reply.kinds.length} kind(s) of data, not several`,
          ]
            .filter(Boolean)
            .join("; "),
          expected:
            "readings and replies each mixing at least two kinds of data (integer, floating point, boolean, bytes/char)",
          actual: `${describe(reading, "client")}; ${describe(reply, "server")}`,
          help:
            "Mix struct types: e.g. 'I' or 'H' for ids and counters, 'f' or 'd' for measurements, '?' for a flag, " +
            "'4s' for a unit or name. Update both the programs and the manifest's formats.",
        }),
        points: (readingOk ? half : 0) + (replyOk ? half : 0),
      };
    },
  });
}

// ------------------------------------------------------------------ decoding

function problemRefs(run: RunRecord, traffic: SensorTraffic): EvidenceRef[] {
  return traffic.problems.flatMap((p) => (p.packet === null ? [] : [packetRef(run, p.packet)])).slice(0, 3);
}

/** Every byte the client and server sent reads as messages of the declared formats. */
export function messagesDecodeCheck(options: Options): Check {
  return trafficCheck(
    options,
    "readings-decode",
    "every message decodes with the declared formats",
    (run, traffic) => {
      if (traffic.readings.length === 0 && traffic.problems.length === 0) {
        return fail({
          message: "no reading was captured",
          expected: "readings from the client to the server's port",
          actual: `${traffic.conversations.length} conversation(s) with the server's port, no payload from the client`,
          help: "Check that the client connects to {host} {port} and sends its readings.",
        });
      }
      if (traffic.problems.length === 0) {
        const sizes = [
          ...new Set([...traffic.readings, ...traffic.replies].map((m) => `${m.name} ${m.bytes.length} B`)),
        ];
        return pass(
          `${traffic.readings.length} reading(s) and ${traffic.replies.length} reply message(s) decode (${sizes.join(", ")})`,
          refs(run, traffic.readings, 1),
        );
      }
      const first = traffic.problems[0]!;
      const where = first.packet === null ? "" : ` (packet ${first.packet})`;
      return fail({
        message: `${traffic.problems.length} stretch(es) of bytes are not messages of the declared protocol`,
        expected:
          "every datagram (UDP) or the whole stream (TCP) cut into messages of the declared sizes and match values",
        actual: `from the ${first.from}${where}, offset ${first.offset}, ${first.length} bytes: ${first.message}`,
        evidence: problemRefs(run, traffic),
        help:
          "The manifest's formats must be exactly those your programs pack with (same byte-order prefix, same " +
          "fields, same sizes). Send exactly one packed message per send (UDP) or packed messages back to back (TCP), nothing else.",
      });
    },
  );
}

// ------------------------------------------------------------------ replies

/** The server answers every reading with a reply of the declared format. */
export function repliesCheck(options: Options): Check {
  return trafficCheck(options, "replies", "the server replies to every reading", (run, traffic) => {
    const serverProblems = traffic.problems.filter((p) => p.from === "server");
    const missing = unanswered(traffic);
    if (traffic.readings.length > 0 && missing.length === 0 && serverProblems.length === 0) {
      return pass(
        `${traffic.replies.length} reply message(s) for ${traffic.readings.length} reading(s), all decoded`,
        refs(run, traffic.replies, 1),
      );
    }
    if (traffic.readings.length === 0) {
      return fail({
        message: "no reading was captured, so no reply could be checked",
        actual: "no readings",
      });
    }
    return fail({
      message:
        missing.length > 0
          ? `${missing.length} of ${traffic.readings.length} readings got no reply`
          : "the server's replies do not decode with the declared format",
      expected: "one reply per reading, in the declared reply format",
      actual:
        missing.length > 0
          ? `no reply to ${missing.slice(0, 5).map(seqText).join(", ")}${missing.length > 5 ? ", …" : ""} (${traffic.replies.length} reply message(s) captured${traffic.replies.some((r) => r.sequence !== undefined) ? "" : "; the replies carry no declared sequence number, so they are paired with the readings in order and the last readings are the ones counted as unanswered"})`
          : serverProblems[0]!.message,
      evidence: missing.length > 0 ? refs(run, missing) : problemRefs(run, traffic),
      help: "After each reading, the server sends a packed reply (e.g. the reading's sequence number and a status) back to the client's address.",
    });
  });
}

// ------------------------------------------------------------------ period

/** Arrival statistics of the readings of each conversation (of each kind of reading, with `byKind`). */
export function readingStats(
  traffic: SensorTraffic,
  byKind = false,
): { conversation: number; kind: string | null; stats: ArrivalStats }[] {
  const kinds = byKind ? [...new Set(traffic.readings.map((m) => m.name))] : [null];
  return traffic.conversations
    .flatMap((conversation) =>
      kinds.map((kind) => ({
        conversation,
        kind,
        stats: arrivalStats(
          traffic.readings
            .filter((m) => m.conversation === conversation && (kind === null || m.name === kind))
            .map((m) => m.timeUs),
        ),
      })),
    )
    .filter((s) => s.stats.count > 0);
}

/** The median number of readings per message (batches), 1 when no message is a batch. */
function medianBatch(readings: readonly TimedMessage[]): number {
  const sizes = readings.map((m) => Math.max(1, m.groups.length)).sort((a, b) => a - b);
  return sizes.length === 0 ? 1 : sizes[Math.floor(sizes.length / 2)]!;
}

/** A gap this long is a stall (the client waited on something else): max(3 periods, period + 250 ms). */
export function stallUs(periodUs: number): number {
  return Math.max(3 * periodUs, periodUs + 250_000);
}

/** Why arrivals do not keep the period: its kind, and in words. */
export interface PeriodProblem {
  readonly kind: "too-few" | "off-period" | "burst" | "stall";
  readonly text: string;
}

/** Why arrivals do not keep the period, or null when they do; `stalls` also refuses gaps over stallUs. */
export function periodProblem(stats: ArrivalStats, periodUs: number, stalls = false): PeriodProblem | null {
  const problem = (kind: PeriodProblem["kind"], text: string): PeriodProblem => ({ kind, text });
  if (stats.count < 3)
    return problem("too-few", `only ${stats.count} reading(s): too few to measure a period`);
  const median = stats.medianUs!;
  const bursts = burstGaps(stats.gapsUs, periodUs).length;
  const off = Math.abs(median - periodUs) / periodUs;
  if (off > PERIOD_TOLERANCE) {
    return problem(
      "off-period",
      `median gap ${(median / 1000).toFixed(1)} ms is ${(off * 100).toFixed(0)}% off the period ${(periodUs / 1000).toFixed(0)} ms`,
    );
  }
  if (bursts > 0) {
    return problem(
      "burst",
      `${bursts} gap(s) shorter than ${((periodUs * BURST_FRACTION) / 1000).toFixed(0)} ms (a burst; shortest ${(stats.minUs! / 1000).toFixed(1)} ms)`,
    );
  }
  const stalled = stats.gapsUs.filter((g) => g > stallUs(periodUs));
  if (stalls && stalled.length > 0) {
    return problem(
      "stall",
      `${stalled.length} gap(s) longer than ${(stallUs(periodUs) / 1000).toFixed(0)} ms (a stall; longest ${(stats.maxUs! / 1000).toFixed(0)} ms)`,
    );
  }
  return null;
}

const ms = (us: number | null) => (us === null ? "–" : `${(us / 1000).toFixed(1)} ms`);

/** Readings arrive once per declared interval: median gap within 20%, no bursts — per conversation; with
 * `stalls`, no gap of several periods either (a client kept waiting by another's). */
export function periodicCheck(options: Options & { readonly stalls?: boolean }): Check {
  return trafficCheck(
    options,
    "periodic",
    "readings arrive once per interval (median within 20%, no bursts)",
    (run, traffic, evidence) => {
      const periodUs = evidence.env.entry.options.interval * 1e6;
      const problems = (groups: ReturnType<typeof readingStats>) =>
        groups.flatMap((s) => {
          const why = periodProblem(s.stats, periodUs, options.stalls ?? false);
          return why === null ? [] : [{ ...s, why }];
        });
      let all = readingStats(traffic);
      if (all.length === 0) return fail({ message: "no reading was captured", actual: "no readings" });
      let bad = problems(all);
      // Batches: a message of N readings sampled once per interval is sent once every N intervals.
      const batch = medianBatch(traffic.readings);
      if (bad.length > 0 && batch > 1) {
        const batched = readingStats(traffic).flatMap((s) => {
          const why = periodProblem(s.stats, periodUs * batch, options.stalls ?? false);
          return why === null ? [] : [{ ...s, why }];
        });
        if (batched.length === 0) {
          const summary = all.map((s) => `${s.stats.count} batches, median gap ${ms(s.stats.medianUs)}`);
          return pass(`${summary.join("; ")}: one batch of ${batch} readings every ${batch} intervals`);
        }
      }
      // Several kinds of reading (temperature, humidity…) may each keep the period, sent together.
      const kinds = readingStats(traffic, true);
      if (bad.length > 0 && kinds.length > all.length && problems(kinds).length === 0) {
        all = kinds;
        bad = [];
      }
      const summary = (s: { conversation: number; kind: string | null; stats: ArrivalStats }) =>
        `${all.length > 1 ? `connection ${s.conversation}${s.kind ? ` "${s.kind}"` : ""}: ` : ""}${s.stats.count} readings, median gap ${ms(s.stats.medianUs)}, min ${ms(s.stats.minUs)}, max ${ms(s.stats.maxUs)}`;
      if (bad.length === 0) return pass(all.map(summary).join("; "));
      const first = bad[0]!;
      const readings = traffic.readings.filter((m) => m.conversation === first.conversation);
      const worstGap = first.why.kind === "stall" ? first.stats.maxUs : first.stats.minUs;
      // Too few readings have no gap to point at (-1).
      const shortest = worstGap === null ? -1 : first.stats.gapsUs.indexOf(worstGap);
      return fail({
        message: `readings do not keep the ${periodUs / 1000} ms period: ${first.why.text}`,
        expected: `one reading every ${periodUs / 1000} ms (median gap within ±${PERIOD_TOLERANCE * 100}%, no gap under ${(periodUs * BURST_FRACTION) / 1000} ms)`,
        actual: bad.map(summary).join("; "),
        evidence:
          shortest >= 0 && readings[shortest + 1]
            ? [packetRef(run, readings[shortest]!.packet), packetRef(run, readings[shortest + 1]!.packet)]
            : [],
        help:
          "Send one reading, then wait until the next one is due: keep a schedule (next = start + k*interval on time.monotonic()) " +
          "and time.sleep(next - now), rather than sending in a loop without waiting.",
      });
    },
  );
}

// ------------------------------------------------------------------ random values

/** Fields that identify rather than measure: the sequence and match fields of the message, and those the
 * description calls constant. */
function identifierFields(protocol: Protocol, name: string): Set<string> {
  const message = protocol.messages.find((m) => m.name === name);
  const ids = new Set([...Object.keys(message?.match ?? {}), ...(message?.constant ?? [])]);
  if (message?.sequence) ids.add(message.sequence);
  return ids;
}

/** Per measured field of the readings (each reading of a batch counted): how many distinct values it took. */
export function fieldVariety(
  protocol: Protocol,
  readings: readonly TimedMessage[],
): { field: string; float: boolean; distinct: number; sample: string }[] {
  const byName = new Map<string, TimedMessage[]>();
  for (const m of readings) byName.set(m.name, [...(byName.get(m.name) ?? []), m]);
  const out: { field: string; float: boolean; distinct: number; sample: string }[] = [];
  for (const [name, messages] of byName) {
    const message = protocol.messages.find((m) => m.name === name);
    if (!message) continue;
    const ids = identifierFields(protocol, name);
    const items = messages.flatMap(readingItems);
    for (const field of message.fields) {
      // A batch's count and a tail (a name, a note) say nothing of the measurements.
      if (ids.has(field.name) || field.part === "tail") continue;
      if (message.body.type === "struct" && message.body.repeat?.count.name === field.name) continue;
      const values = items.flatMap((item) => {
        const value = item[field.name];
        return value === undefined ? [] : [value];
      });
      const texts = values.map((v) => formatValue(v, field.char));
      out.push({
        field: `${name}.${field.name}`,
        float: field.type === "float",
        distinct: new Set(texts).size,
        sample: texts[0] ?? "",
      });
    }
  }
  return out;
}

/** The readings' values are random: measured fields vary (every floating-point one does). */
export function randomValuesCheck(options: Options): Check {
  return trafficCheck(
    options,
    "random-values",
    "the readings' values are random (they vary)",
    (run, traffic, evidence) => {
      const protocol = evidence.env.protocol!;
      if (traffic.readings.length < 3) {
        return fail({
          message: `only ${traffic.readings.length} reading(s) decoded: too few to tell`,
          actual: `${traffic.readings.length} readings`,
        });
      }
      const variety = fieldVariety(protocol, traffic.readings);
      const constant = variety.filter((v) => v.distinct === 1);
      const varying = variety.filter((v) => v.distinct > 1);
      const floatsConstant = constant.filter((v) => v.float);
      if (varying.length > 0 && floatsConstant.length === 0) {
        return pass(
          `${varying.map((v) => `${v.field} took ${v.distinct} values`).join(", ")} over ${traffic.readings.length} readings`,
          [],
          constant.length > 0
            ? [`constant over the run: ${constant.map((v) => `${v.field} = ${v.sample}`).join(", ")}`]
            : [],
        );
      }
      return fail({
        message:
          varying.length === 0
            ? "every measured value is the same in every reading"
            : "floating-point measurements never change",
        expected: `measured fields (not the sequence, match or \`constant:\` fields) to vary over the ${traffic.readings.length} readings`,
        actual: constant.map((v) => `${v.field} always ${v.sample}`).join(", "),
        evidence: refs(run, traffic.readings, 2),
        help:
          "Generate each reading's values with the random module (random.uniform(20, 30), random.random() < 0.1, …) at every period, not once before the loop. " +
          "A field that is meant to stay the same (an id, a unit) is listed under the message's `constant:` in socklab.yaml.",
      });
    },
  );
}

// ------------------------------------------------------------------ sequence numbers

/** Where a list of sequence numbers stops counting up by one, or null. */
export function countingBreak(
  values: readonly (number | bigint)[],
): { at: number; previous: string; value: string } | null {
  for (let i = 1; i < values.length; i++) {
    if (BigInt(values[i]!) !== BigInt(values[i - 1]!) + 1n) {
      return { at: i, previous: String(values[i - 1]), value: String(values[i]) };
    }
  }
  return null;
}

/** Declared sequence fields count up by one per reading (in each connection). Replies are paired by them in
 * the replies check. */
export function sequenceCheck(options: Options): Check {
  return trafficCheck(options, "sequence", "declared sequence numbers count up", (run, traffic, evidence) => {
    const protocol = evidence.env.protocol!;
    if (traffic.readings.length === 0) {
      return fail({
        message: "no reading was captured, so no sequence number could be checked",
        actual: "no readings",
      });
    }
    // One entry per reading, a batch's readings each with their own number.
    const sequenced = traffic.readings.flatMap((m) =>
      sequencesOf(m, protocol).map((sequence) => ({ ...m, sequence })),
    );
    if (sequenced.length === 0) {
      return pass(
        "no sequence field is declared for the readings (nothing to check)",
        [],
        [
          "Declare `sequence: <field>` on the reading to have socklab check it counts up and pair replies by it.",
        ],
      );
    }
    for (const conv of traffic.conversations) {
      const mine = sequenced.filter((m) => m.conversation === conv);
      const broken = countingBreak(mine.map((m) => m.sequence!));
      if (broken) {
        return fail({
          message: `the sequence numbers do not count up by one: ${broken.previous} is followed by ${broken.value}`,
          expected: `${broken.previous} then ${BigInt(broken.previous) + 1n}`,
          actual: mine
            .slice(Math.max(0, broken.at - 2), broken.at + 3)
            .map((m) => String(m.sequence))
            .join(", "),
          evidence: [packetRef(run, mine[broken.at - 1]!.packet), packetRef(run, mine[broken.at]!.packet)],
          help: "Increment the sequence field by one for each new reading (seq = 0, 1, 2, …).",
        });
      }
    }
    const values = sequenced.map((m) => String(m.sequence));
    return pass(
      `sequence numbers ${values[0]}…${values.at(-1)} count up by one (${sequenced.length} readings)`,
    );
  });
}

// ------------------------------------------------------------------ probe

const PROBE_HELP: Record<ProbeCause, string> = {
  "one-recv-per-reading":
    "One recv() is not one message: keep a buffer, append what recv() returns, and unpack a reading whenever " +
    "the buffer holds struct.calcsize(format) bytes (loop until it does; keep the rest for the next one).",
  "reply-before-whole":
    "The server answered half a reading: wait until the buffer holds a whole reading (struct.calcsize(format) " +
    "bytes) before unpacking and answering it.",
  "extra-replies": "Answer each reading exactly once: one reply per whole reading, nothing for partial data.",
  "undecodable-reply":
    "The bytes the server sent back are not the reply described in socklab.yaml: make the manifest's reply format the one the server packs.",
  "bad-datagram-as-reading":
    "Check each datagram's length (len(data) == struct.calcsize(format)) and its type before unpacking; report and ignore a bad datagram instead of answering it as a reading.",
  "no-reply":
    "A bad datagram must not stop the server: check each datagram's length before unpacking, catch struct.error, and keep serving.",
  "server-gone":
    "The server stopped serving socklab's probe: read the server's traceback; a datagram or a reading it cannot handle must not end it.",
};

/** socklab's probe (tasks/probes/sensor_probe.py): awkwardly sent readings, judged with the protocol. */
export function sensorProbeCheck(options: Options & { readonly what: string }): Check {
  return defineCheck({
    id: options.id ?? "probe",
    title: options.title ?? options.what,
    points: options.points,
    dependsOn: "replies",
    run: (evidence) => {
      const protocol = protocolOrFail(evidence);
      if (isVerdict(protocol)) return protocol;
      const name = options.run ?? "probe";
      if (evidence.runs[name] === undefined) {
        // No probe run: socklab could not write a reading from the description. Its limit, not the student's.
        const reading = readingMessage(protocol);
        throw new Error(
          `socklab could not build a reading for its probe from the description of "${reading?.name ?? "?"}"` +
            (reading?.body.type === "text"
              ? ": its `text` pattern is not plain text outside its groups (alternatives, classes or repetition), so socklab cannot write one; the probe did not run"
              : ": the probe did not run"),
        );
      }
      const run = runOf(evidence, name);
      const probe = run.clients.find((c) => c.role.source === "probe");
      const report = probe ? parseProbeReport(probe.outcome.stdout) : null;
      if (!report || report.error) {
        // The probe is socklab's own program: its failure is never the student's.
        throw new Error(
          `socklab's sensor probe ${report?.error ? `failed: ${report.error}` : `printed no report (${probe?.outcome.description ?? "not started"})`}`,
        );
      }
      // The server's control messages in the student's own run (a greeting, say) are not replies here either.
      const main = evidence.runs.main ? trafficOf(runOf(evidence, "main"), protocol) : null;
      const controls = new Set(main?.controls.filter((m) => m.from === "server").map((m) => m.name));
      const isReply = (name: string) => !controls.has(name);
      const judged =
        report.transport === "tcp"
          ? judgeTcpProbe(report, protocol, isReply)
          : judgeUdpProbe(report, protocol, isReply);
      const notes = judged.advice ? [judged.advice] : [];
      if (judged.ok) return pass(`${options.what}: ${judged.phases.join("; ")}`, [], notes);
      const server = run.server;
      const crash = server ? tracebackLine(server.outcome) : null;
      return fail(
        {
          message: judged.problem ?? options.what,
          expected:
            report.transport === "tcp"
              ? "exactly one reply per whole reading, however the readings are cut into segments"
              : "exactly one reply to the valid reading, and no reply answering a bad datagram as a reading",
          actual: [
            ...judged.phases,
            run.serverRunningAtEnd
              ? "the server was still running"
              : `the server ended: ${server?.outcome.description ?? "?"}${crash ? ` (${crash})` : ""}`,
          ].join("; "),
          evidence: server ? outputRefs(run, server, /Traceback|Error|error/) : [],
          help: PROBE_HELP[judged.cause ?? "no-reply"],
        },
        notes,
      );
    },
  });
}
