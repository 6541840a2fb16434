// What socklab's sensor probe (tasks/probes/sensor_probe.py) saw, judged with the student's protocol: the
// probe records every byte the server sent back, phase by phase; here they are read as the server's declared
// messages and counted against what each phase calls for.
//
// TCP: two readings in one segment get exactly two replies; half a reading gets none until the rest comes; the
// rest gets exactly one. UDP: a valid reading sent after a truncated and a garbage datagram gets exactly one
// reply, and no reply answers a bad datagram as if it were a reading (told by the sequence number when the
// reply declares one; without one, an answer to a bad datagram is only advice: it may be an error notice).
import { decodeMessage, type Protocol, splitStream } from "../../protocol/index.ts";
import { z } from "../../schema/index.ts";
import { readProbeReport } from "../probe-report.ts";
import { readingMessage } from "./probe-readings.ts";

const probePhase = z.object({
  phase: z.string(),
  /** Bytes sent in this phase (per send). */
  sent: z.array(z.number()),
  /** Whether the server was seen to read what was sent (its receive queue emptied). */
  serverRead: z.boolean().optional(),
  /** What came back: one hex string per datagram (UDP) or per recv of the phase's byte stream (TCP). */
  received: z.array(z.string()),
  /** TCP: the server closed or reset the connection during the phase. */
  closed: z.boolean().optional(),
});
export type ProbePhase = z.output<typeof probePhase>;

/** What socklab's sensor probe (tasks/probes/sensor_probe.py) prints last. */
const probeReportSchema = z.object({
  transport: z.enum(["tcp", "udp"]),
  phases: z.array(probePhase),
  /** The server refused, reset or closed on the probe, or its UDP port closed. */
  serverGone: z.string().optional(),
  /** The probe's own failure (socklab's fault). */
  error: z.string().optional(),
});
export type ProbeReport = z.output<typeof probeReportSchema>;

/** Why the probe's phases do not show the expected replies. */
export type ProbeCause =
  | "one-recv-per-reading"
  | "reply-before-whole"
  | "extra-replies"
  | "undecodable-reply"
  | "bad-datagram-as-reading"
  | "no-reply"
  | "server-gone";

export interface ProbeJudgement {
  readonly ok: boolean;
  /** One line per phase: what was sent and what came back. */
  readonly phases: readonly string[];
  /** The first problem, in words, and its cause. */
  readonly problem: string | null;
  readonly cause: ProbeCause | null;
  /** Something worth saying that costs no points. */
  readonly advice: string | null;
}

const bytesOf = (hex: string) => new Uint8Array(Buffer.from(hex, "hex"));

/** The probe's report from its last output line, or null when it printed none. */
export function parseProbeReport(stdout: string): ProbeReport | null {
  return readProbeReport(stdout, probeReportSchema);
}

function replies(n: number): string {
  return `${n} repl${n === 1 ? "y" : "ies"}`;
}

/** Judges a TCP probe report: coalesced → 2 replies, half → none, split → 1. */
export function judgeTcpProbe(
  report: ProbeReport,
  protocol: Protocol,
  isReply: (name: string) => boolean = () => true,
): ProbeJudgement {
  const lines: string[] = [];
  const expected: Record<string, number> = { coalesced: 2, half: 0, split: 1 };
  for (const phase of report.phases) {
    const bytes = bytesOf(phase.received.join(""));
    // Where each recv ended: what cuts text replies sent without a line end.
    const boundaries = phase.received.map((_, i) => phase.received.slice(0, i + 1).join("").length / 2);
    const split = splitStream(protocol, "server", bytes, boundaries);
    // A control message (a greeting the server sends first) is no reply.
    const count = split.messages.filter((m) => isReply(m.message.name)).length;
    const sent = phase.sent.join(" + ");
    lines.push(
      `${phase.phase} (${sent} bytes sent): ${bytes.length} bytes back, ${replies(count)}${phase.closed ? ", then the server closed the connection" : ""}`,
    );
    const want = expected[phase.phase] ?? 0;
    const fail = (problem: string, cause: ProbeCause): ProbeJudgement => ({
      ok: false,
      phases: lines,
      problem,
      cause,
      advice: null,
    });
    if (split.problem || (split.leftover.length > 0 && count >= want)) {
      return fail(
        `the server's answer to the ${phase.phase} reading(s) is not the declared reply: ${split.problem?.message ?? `${split.leftover.length} bytes left over`}`,
        "undecodable-reply",
      );
    }
    if (phase.phase === "half" && bytes.length > 0) {
      return fail(
        `the server answered after only ${phase.sent[0]} bytes of a reading — before the reading was whole`,
        "reply-before-whole",
      );
    }
    if (count > want) {
      return fail(
        `${replies(count)} to ${phase.phase === "coalesced" ? "two readings sent in one segment" : "one reading sent in two pieces"}, not ${want}`,
        "extra-replies",
      );
    }
    if (count < want) {
      return fail(
        phase.phase === "coalesced"
          ? `${replies(count)} to two readings sent in one segment, not 2`
          : `no reply to a reading sent in two pieces (${phase.sent[0]} bytes, then the rest)`,
        phase.closed ? "server-gone" : "one-recv-per-reading",
      );
    }
  }
  const complete = ["coalesced", "half", "split"].every((p) => report.phases.some((x) => x.phase === p));
  if (!complete) {
    return {
      ok: false,
      phases: lines,
      problem: report.serverGone ?? "the probe could not finish its readings",
      cause: "server-gone",
      advice: null,
    };
  }
  return { ok: true, phases: lines, problem: null, cause: null, advice: null };
}

/** The value a reading's sequence field takes in bytes that are all 0xff (the garbage datagram). */
function garbageSequence(protocol: Protocol): bigint | null {
  const reading = readingMessage(protocol);
  if (reading?.body.type !== "struct") return null;
  const slot = reading.body.slots.find((s) => s.name === reading.sequence);
  if (!slot) return null;
  return /[bhilq]/.test(slot.char) ? -1n : (1n << BigInt(8 * slot.size)) - 1n;
}

/** Judges a UDP probe report: no reply paired to a bad datagram; exactly one reply to the valid reading. */
export function judgeUdpProbe(
  report: ProbeReport,
  protocol: Protocol,
  isReply: (name: string) => boolean = () => true,
): ProbeJudgement {
  const lines: string[] = [];
  let advice: string | null = null;
  const reading = readingMessage(protocol);
  // The probe's truncated datagram is the first half of its reading number 1, the valid one is number 0.
  const badSequence: Record<string, bigint | null> = {
    truncated: reading?.sequence ? 1n : null,
    garbage: garbageSequence(protocol),
  };
  for (const phase of report.phases) {
    const decoded = phase.received.map((hex) => decodeMessage(protocol, "server", bytesOf(hex)));
    const answers = decoded.flatMap((d) => (d.ok && isReply(d.decoded.message.name) ? [d.decoded] : []));
    lines.push(
      `${phase.phase} (${phase.sent[0]} bytes): ${phase.received.length} datagram(s) back, ${answers.length} of them declared server messages`,
    );
    if (phase.phase === "valid") {
      if (answers.length === 1) continue;
      const gone = report.serverGone ?? null;
      return {
        ok: false,
        phases: lines,
        problem:
          answers.length === 0
            ? `no reply to the valid reading sent after the bad datagrams${phase.received.length > 0 ? ` (${phase.received.length} datagram(s) that are no declared server message)` : ""}`
            : `${replies(answers.length)} to one valid reading, not 1`,
        cause: answers.length === 0 ? (gone ? "server-gone" : "no-reply") : "extra-replies",
        advice,
      };
    }
    const seq = badSequence[phase.phase] ?? null;
    const paired = answers.find(
      (a) => a.sequence !== undefined && seq !== null && BigInt(a.sequence) === seq,
    );
    if (paired) {
      return {
        ok: false,
        phases: lines,
        problem: `the server answered the ${phase.phase} datagram (${phase.sent[0]} bytes) as a reading: a "${paired.message.name}" with sequence number ${String(paired.sequence)}`,
        cause: "bad-datagram-as-reading",
        advice,
      };
    }
    if (answers.length > 0) {
      advice ??= `the server answered the ${phase.phase} datagram (${phase.sent[0]} bytes) with a "${answers[0]!.message.name}" message; if that is an error notice, make sure a client cannot take it for an acknowledgement (give it its own type or status)`;
    }
  }
  if (!report.phases.some((p) => p.phase === "valid")) {
    return {
      ok: false,
      phases: lines,
      problem: report.serverGone ?? "the probe could not send its valid reading",
      cause: "server-gone",
      advice,
    };
  }
  return { ok: true, phases: lines, problem: null, cause: null, advice };
}
