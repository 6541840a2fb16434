// Cross-checking the link's log against the capture. Both legs are on `lo`: the client leg (client ↔ link
// port) and the server leg (link's upstream socket ↔ server port). Every logged arrival must be on its
// inbound leg, in order, with the same bytes; the outbound leg must carry exactly the copies the log says
// were sent: none for a drop, two for a duplicate, one otherwise.

import type { Conversation, Direction } from "../analyse/types.ts";
import { sha1Hex } from "./fate.ts";
import type { LogEntry } from "./proxy.ts";

/** One captured datagram of a leg (a UDP timeline row); `direction` is c2s when it travels client → server. */
export interface LegDatagram {
  readonly number: number;
  readonly timeUs: number;
  readonly direction: Direction;
  /** The payload as base64, or null when the analysis did not keep it. */
  readonly payload: string | null;
}

/** The captured datagrams of the two legs, in capture order. */
export interface LinkLegs {
  /** Between the client and the link's port. */
  readonly client: readonly LegDatagram[];
  /** Between the link's upstream socket and the server. */
  readonly server: readonly LegDatagram[];
}

/** Whether the log and the capture tell the same story; each finding names the packets concerned. */
export interface LinkCheck {
  readonly agrees: boolean;
  readonly findings: string[];
}

const LEG_NAME = { client: "client leg", server: "server leg" } as const;

/** Checks the link's log against the two captured legs. */
export function crossCheckLink(log: readonly LogEntry[], legs: LinkLegs): LinkCheck {
  const findings: string[] = [];
  for (const dir of ["c2s", "s2c"] as const) {
    const entries = log.filter((entry) => entry.dir === dir).sort((a, b) => a.k - b.k);
    const [inboundLeg, outboundLeg] =
      dir === "c2s" ? (["client", "server"] as const) : (["server", "client"] as const);
    const inbound = rowsOf(legs[inboundLeg], dir);
    const outbound = rowsOf(legs[outboundLeg], dir);
    findings.push(...unkept([...inbound, ...outbound], dir));
    findings.push(...checkArrivals(entries, inbound, dir, LEG_NAME[inboundLeg]));
    findings.push(...checkCopiesSent(entries, dir));
    findings.push(...checkDepartures(entries, inbound, outbound, dir, LEG_NAME[outboundLeg]));
  }
  return { agrees: findings.length === 0, findings };
}

/** The two legs of a link from an analysis's UDP conversations (their timelines must have been kept). */
export function linkLegsOf(
  conversations: readonly Conversation[],
  ports: { readonly linkPort: number; readonly serverPort: number },
): LinkLegs {
  const leg = (port: number): LegDatagram[] =>
    conversations
      .filter((c) => c.protocol === "udp" && (c.server.port === port || c.client.port === port))
      .flatMap((c) =>
        (c.timeline ?? []).flatMap((row) => {
          if (row.protocol !== "udp") return [];
          // c2s must mean "towards `port`"; a conversation opened by that port is seen the other way round.
          const flipped = c.server.port !== port;
          const direction: Direction = flipped ? (row.direction === "c2s" ? "s2c" : "c2s") : row.direction;
          return [{ number: row.number, timeUs: row.timeUs, direction, payload: row.payload }];
        }),
      )
      .sort((a, b) => a.number - b.number);
  return { client: leg(ports.linkPort), server: leg(ports.serverPort) };
}

interface Row {
  readonly number: number;
  readonly sha1: string | null;
}

function rowsOf(leg: readonly LegDatagram[], dir: Direction): Row[] {
  return leg
    .filter((row) => row.direction === dir)
    .sort((a, b) => a.number - b.number)
    .map((row) => ({
      number: row.number,
      sha1: row.payload === null ? null : sha1Hex(Buffer.from(row.payload, "base64")),
    }));
}

function unkept(rows: readonly Row[], dir: Direction): string[] {
  const numbers = rows.filter((row) => row.sha1 === null).map((row) => row.number);
  if (numbers.length === 0) return [];
  return [
    `${dir}: the payload of packets ${list(numbers)} was not kept by the analysis, so it cannot be compared`,
  ];
}

// Every logged arrival on the inbound leg, in arrival order; stops at the first disagreement.
function checkArrivals(entries: readonly LogEntry[], inbound: readonly Row[], dir: Direction, leg: string) {
  for (let i = 0; i < Math.max(entries.length, inbound.length); i++) {
    const entry = entries[i];
    const row = inbound[i];
    if (entry === undefined) {
      const extra = inbound.slice(i).map((r) => r.number);
      return [`packets ${list(extra)} (${dir}) reached the link on the ${leg} but are not in its log`];
    }
    if (row === undefined) {
      return [
        `the log's ${dir} arrival k=${entry.k} (${short(entry.sha1)}) is not on the ${leg}: it has only ${i}`,
      ];
    }
    if (row.sha1 !== null && row.sha1 !== entry.sha1) {
      return [
        `packet ${row.number} (${dir}, ${leg}) carries ${short(row.sha1)}, but the log's arrival k=${entry.k} ` +
          `carries ${short(entry.sha1)}; later ${dir} arrivals were not compared`,
      ];
    }
  }
  return [];
}

const COPIES: Record<LogEntry["action"], readonly number[]> = {
  drop: [0],
  duplicate: [2],
  forward: [1],
  // A held datagram is sent once, or never when the link closed first.
  reorder: [1, 0],
  delay: [1, 0],
};

function checkCopiesSent(entries: readonly LogEntry[], dir: Direction): string[] {
  return entries
    .filter((entry) => !COPIES[entry.action].includes(entry.sent))
    .map(
      (entry) =>
        `the log's ${dir} arrival k=${entry.k} is a ${entry.action} but says ${entry.sent} copies were sent`,
    );
}

// The outbound leg carries, per content, exactly the copies the log sent, each after the bytes arrived.
function checkDepartures(
  entries: readonly LogEntry[],
  inbound: readonly Row[],
  outbound: readonly Row[],
  dir: Direction,
  leg: string,
): string[] {
  const findings: string[] = [];
  const contents = new Set([
    ...entries.map((e) => e.sha1),
    ...outbound.flatMap((r) => (r.sha1 ? [r.sha1] : [])),
  ]);
  for (const sha1 of contents) {
    const logged = entries.filter((entry) => entry.sha1 === sha1);
    const left = outbound.filter((row) => row.sha1 === sha1).map((row) => row.number);
    const expected = logged.reduce((sum, entry) => sum + entry.sent, 0);
    if (left.length !== expected) {
      const story = logged.length === 0 ? "the link never received them" : `the log: ${fates(logged)}`;
      const where = left.length === 0 ? "never" : `${left.length} times (packets ${list(left)})`;
      findings.push(
        `${dir} bytes ${short(sha1)} left on the ${leg} ${where}, expected ${expected}; ${story}`,
      );
    }
    const firstIn = inbound.find((row) => row.sha1 === sha1)?.number;
    const early = left.filter((number) => firstIn === undefined || number < firstIn);
    if (early.length > 0 && logged.length > 0) {
      findings.push(
        `packets ${list(early)} (${dir}, ${leg}) left the link before its bytes ${short(sha1)} arrived`,
      );
    }
  }
  return findings;
}

function fates(entries: readonly LogEntry[]): string {
  return entries.map((entry) => `k=${entry.k} ${entry.action}`).join(", ");
}

function short(sha1: string): string {
  return `sha1 ${sha1.slice(0, 8)}`;
}

function list(numbers: readonly number[]): string {
  return numbers.length <= 8 ? numbers.join(", ") : `${numbers.slice(0, 8).join(", ")} … (${numbers.length})`;
}
