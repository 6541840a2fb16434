// The decoded readings of a run and the server's reply to each, as a Markdown table, with the bytes that fit
// no message of the student's protocol listed after it. Replies are paired with readings as the checks pair
// them (harness/grade/sensor/reply-pairs.ts).
import { pairReplies } from "../../grade/sensor/reply-pairs.ts";
import type { TimedMessage, TrafficProblem } from "../../grade/sensor/sensor-traffic.ts";
import { displayValue, type Protocol, type StructChar } from "../../protocol/index.ts";
import { table } from "../markdown.ts";

export interface ReadingsTableOptions {
  /** Readings shown at most (default 50); the rest are counted in a line under the table. */
  readonly max?: number;
}

/** What the table reads: the messages and problems of one run (a `SensorTraffic`). */
export interface ReadingsTraffic {
  readonly readings: readonly TimedMessage[];
  readonly replies: readonly TimedMessage[];
  readonly problems: readonly TrafficProblem[];
}

/** Readings (time, packet, sequence, every field) with their reply's packet and delay, then the problems. */
export function readingsTable(
  traffic: ReadingsTraffic,
  protocol: Protocol,
  options: ReadingsTableOptions = {},
): string {
  const max = Math.max(0, options.max ?? 50);
  const clientMessages = protocol.messages.filter((m) => m.from === "client");
  const fieldChars = new Map<string, StructChar | null>();
  for (const message of clientMessages) {
    for (const field of message.fields)
      if (!fieldChars.has(field.name)) fieldChars.set(field.name, field.char);
  }
  // A field that is the declared sequence number of every message carrying it shows in the seq column only.
  const onlySequence = (name: string) =>
    clientMessages.every((m) => !m.fields.some((f) => f.name === name) || m.sequence === name);
  const fields = [...fieldChars.keys()].filter((name) => !onlySequence(name));
  const conversations = new Set(traffic.readings.map((r) => r.conversation));
  const showMessage = clientMessages.length > 1;
  const showConversation = conversations.size > 1;
  const pairs = pairReplies(traffic.readings, traffic.replies);

  const out: string[] = [];
  if (pairs.length === 0) out.push("No readings were decoded.");
  else {
    const headers = [
      "time (s)",
      "packet",
      ...(showConversation ? ["conversation"] : []),
      ...(showMessage ? ["message"] : []),
      "seq",
      ...fields,
      "reply packet",
      "reply delay (ms)",
    ];
    const rows = pairs.slice(0, max).map(({ reading, reply }) => [
      reading.relativeSeconds.toFixed(3),
      reading.packet,
      ...(showConversation ? [reading.conversation] : []),
      ...(showMessage ? [reading.name] : []),
      reading.sequence === undefined ? "–" : String(reading.sequence),
      ...fields.map((name) => {
        const value = reading.fields[name];
        if (value !== undefined) return displayValue(value, fieldChars.get(name));
        // A batch: each of its readings' values, in order.
        const batch = reading.groups.flatMap((g) => (g[name] === undefined ? [] : [g[name]]));
        const shown = batch.slice(0, 4).map((v) => displayValue(v, fieldChars.get(name)));
        return batch.length > 4 ? `${shown.join(" ")} … (${batch.length})` : shown.join(" ");
      }),
      reply === null ? "–" : reply.packet,
      reply === null ? "–" : ((reply.timeUs - reading.timeUs) / 1000).toFixed(3),
    ]);
    out.push(table(headers, rows));
    if (pairs.length > max) out.push("", `The first ${max} of ${pairs.length} readings are shown.`);
    const answered = pairs.filter((p) => p.reply !== null).length;
    const paired = new Set(pairs.map((p) => p.reply));
    const stray = traffic.replies.filter((r) => !paired.has(r));
    const how =
      traffic.readings.some((r) => r.sequence !== undefined) &&
      traffic.replies.some((r) => r.sequence !== undefined)
        ? "by sequence number"
        : "in order";
    let summary = `${pairs.length} readings, ${answered} answered (replies paired ${how}).`;
    if (stray.length > 0) {
      summary += ` ${stray.length} ${stray.length === 1 ? "reply matches" : "replies match"} no reading: packets ${stray
        .map((r) => r.packet)
        .join(", ")}.`;
    }
    out.push("", summary);
  }
  if (traffic.problems.length > 0) {
    out.push("", "Bytes that are no message of the protocol:", "");
    for (const problem of traffic.problems) out.push(`- ${problemLine(problem)}`);
  }
  return out.join("\n");
}

function problemLine(problem: TrafficProblem): string {
  const where = problem.packet === null ? "packet unknown" : `packet ${problem.packet}`;
  const text = problem.message.replace(/\r?\n/g, " ").replace(/</g, "&lt;");
  return `${where}, offset ${problem.offset}, ${problem.length} bytes from the ${problem.from} (conversation ${problem.conversation}): ${text}`;
}
