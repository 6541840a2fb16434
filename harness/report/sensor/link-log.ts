// The lossy link's log read for reliable UDP: which reading (or reply) each datagram was, whether the client
// had sent it before, and whether the link passed it on. The Stevens graph and the price of reliability both
// read the log through this file.
import { type LogEntry, parseIdentityKey } from "../../impair/index.ts";

/**
 * The fields of the impair proxy's log that reports read. `identity` names the message a datagram carries
 * (`reading:5`, `reply:5`) when the link knows the student's protocol, else it is the payload's SHA-1.
 */
export type LinkLogEntry = Readonly<
  Pick<LogEntry, "t" | "dir" | "k" | "len" | "occurrence" | "action" | "sent">
> & {
  readonly identity?: string;
};

/** Maps a datagram's identity to the reading sequence number it is about (null: not a reading or reply). */
export type IdentityToSeq = (identity: string) => number | null;

/** The sequence number of an identity such as `reading:5` or `reply:5` (bytes: null). */
export const identitySeq: IdentityToSeq = (key) => {
  const identity = parseIdentityKey(key);
  return identity.kind === "message" ? identity.sequence : null;
};

/** One log entry with what the reports need to know about it. */
export interface LinkDatagram {
  readonly entry: LinkLogEntry;
  /** The reading it carries or answers, when its identity says so. */
  readonly seq: number | null;
  /**
   * The sender had sent this message before: the same bytes (`occurrence` > 1) or the same identity
   * in an earlier datagram of the same direction.
   */
  readonly repeat: boolean;
  /** The link passed no copy on (dropped, or still held when the link closed). */
  readonly lost: boolean;
}

/** The log in arrival order per direction (client to server first), each entry classified. */
export function linkDatagrams(
  log: readonly LinkLogEntry[],
  identityToSeq: IdentityToSeq = identitySeq,
): LinkDatagram[] {
  const ordered = [...log].sort((a, b) => (a.dir === b.dir ? a.k - b.k : a.dir === "c2s" ? -1 : 1));
  const seen = new Set<string>();
  return ordered.map((entry) => {
    const key = entry.identity === undefined ? null : `${entry.dir}|${entry.identity}`;
    const repeat = entry.occurrence > 1 || (key !== null && seen.has(key));
    if (key !== null) seen.add(key);
    return {
      entry,
      seq: entry.identity === undefined ? null : identityToSeq(entry.identity),
      repeat,
      lost: entry.action === "drop" || entry.sent === 0,
    };
  });
}
