// The sensor tasks' report sections: the protocol as packet diagrams, the decoded readings and replies, their
// timing, the bytes each layer adds per reading, and for reliable UDP what each lossy link did (a Stevens-style
// time-sequence plot and the price of reliability). Also the submission summary's TCP vs UDP overhead table.
import {
  clientTakesPort,
  legConversations,
  linkOf,
  type RunRecord,
  readingMessage,
  type SensorOptions,
  type TaskEvidence,
  type TimedMessage,
  trafficOf,
} from "../../grade/index.ts";
import { overheadComparison, overheadPerReading, type ReadingOverhead } from "./overhead.ts";
import { protocolSection } from "./protocol.ts";
import { readingsTable } from "./readings.ts";
import { priceOfReliability } from "./reliability.ts";
import { stevensPlot, stevensPoints } from "./stevens.ts";
import { timingSection } from "./timing.ts";

/** The run a task's readings are shown from: "main", or the perfect link of reliable UDP. */
function mainRun(evidence: TaskEvidence<unknown>): RunRecord | null {
  return evidence.runs.main ?? evidence.runs.clean ?? null;
}

/** How many readings the messages carry (a batch carries several) and their mean application bytes each. */
function readingBytes(readings: readonly TimedMessage[]): { count: number; size: number } {
  const count = readings.reduce((sum, m) => sum + Math.max(1, m.groups.length), 0);
  const bytes = readings.reduce((sum, m) => sum + m.bytes.length, 0);
  return { count, size: count === 0 ? 0 : Math.round((bytes / count) * 10) / 10 };
}

/** Bytes per layer per reading over a run's server-side conversations, or null without a protocol. */
export function readingOverhead(evidence: TaskEvidence<unknown>): ReadingOverhead | null {
  const run = mainRun(evidence);
  const protocol = evidence.env.protocol;
  const reading = protocol ? readingMessage(protocol) : null;
  if (!run || !protocol || !reading) return null;
  const traffic = trafficOf(run, protocol);
  if (traffic.readings.length === 0) return null;
  const { count, size } = readingBytes(traffic.readings);
  return overheadPerReading(legConversations(run), count, size).data;
}

function linkSections(evidence: TaskEvidence<SensorOptions>): string[] {
  const runs = Object.values(evidence.runs).filter((r) => linkOf(r) !== null);
  if (!clientTakesPort(evidence.env.entry.client)) {
    const fallback = Object.values(evidence.runs);
    return [
      "## The lossy links",
      "The client's command has no `{port}`, so socklab could not put its lossy link between client and server. " +
        "It used deterministic kernel drops instead (an nftables `numgen inc` rule per run, hooked before " +
        "routing, so the dropped datagrams are still in the captures); they cannot duplicate or reorder. Runs: " +
        fallback
          .map((r) => `\`${r.name}\` (${r.title.replace(/^the student's client and server over /, "")})`)
          .join(", ") +
        ".",
    ];
  }
  const count = evidence.env.entry.options.count;
  const parts = ["## The lossy links"];
  for (const run of runs) {
    const link = linkOf(run)!;
    if (link.log.length === 0) continue;
    const price = priceOfReliability(link.log, count);
    const agreement = link.agreement;
    parts.push(
      `### ${run.name}: ${run.title}`,
      agreement.agrees
        ? `The link's log of ${link.log.length} datagrams agrees with the capture of both legs (each arrival on its inbound leg; no copy of a dropped datagram, two of a duplicated one, one of any other on the outbound leg).`
        : `**The link's log and the capture disagree** (a fault of socklab's, not of the submission): ${agreement.findings.slice(0, 5).join("; ")}`,
      stevensPlot(stevensPoints(link.log), { title: `${run.name}: readings (sequence number) over time` }),
      price.markdown,
    );
  }
  return parts;
}

/** Markdown sections for a sensor task's report. */
export function sensorSections(
  evidence: TaskEvidence<SensorOptions>,
  transport: "tcp" | "udp",
  options: { readonly reliable?: boolean } = {},
): string[] {
  const protocol = evidence.env.protocol;
  if (!protocol) return ["## Protocol\n\nNo `protocol:` in socklab.yaml: the messages could not be read."];
  const parts = ["## Protocol", protocolSection(protocol)];
  const run = mainRun(evidence);
  if (run) {
    const traffic = trafficOf(run, protocol);
    const interval = evidence.env.entry.options.interval;
    parts.push(`## Readings and replies (${run.name} run)`, readingsTable(traffic, protocol));
    parts.push("## Timing", timingSection(traffic.readings, interval));
    const reading = readingMessage(protocol);
    if (reading && traffic.readings.length > 0) {
      parts.push(
        `## Overhead per reading over ${transport.toUpperCase()}`,
        overheadPerReading(
          legConversations(run),
          readingBytes(traffic.readings).count,
          readingBytes(traffic.readings).size,
        ).markdown,
      );
    }
  }
  if (options.reliable) parts.push(...linkSections(evidence));
  return parts;
}

const LABELS: Readonly<Record<string, string>> = {
  "sensor-tcp": "TCP",
  "sensor-udp": "UDP",
  "sensor-tcp-threaded": "TCP, threaded server",
  "sensor-udp-reliable": "reliable UDP (perfect link)",
};

/** The summary's side-by-side overhead table of the sensor tasks that were graded (none: no section). */
export function sensorSummarySections(all: ReadonlyMap<string, TaskEvidence<unknown>>): string[] {
  const rows = Object.entries(LABELS).flatMap(([id, label]) => {
    const evidence = all.get(id);
    const data = evidence ? readingOverhead(evidence) : null;
    return data ? [{ label, data }] : [];
  });
  if (rows.length === 0) return [];
  return [
    "## Overhead per reading: TCP vs UDP",
    "Bytes each layer adds per reading, counting every packet of the exchange (handshake, acknowledgements, " +
      "close, replies, retransmissions).",
    overheadComparison(rows),
  ];
}
