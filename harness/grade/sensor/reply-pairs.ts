// Each reading paired with the server's reply to it, within its conversation: by sequence number when the
// readings and replies of that conversation both carry one (the first unused reply with the same number, not
// before the reading), otherwise — or when the numbers leave readings unanswered that order would answer —
// the nth reply with the nth reading. The checks and the report share it.
import type { TimedMessage } from "./sensor-traffic.ts";

/** A reading with the reply paired with it, or null. */
export interface ReadingReply {
  readonly reading: TimedMessage;
  readonly reply: TimedMessage | null;
}

/** Pairs each reading with a reply of the same conversation (see above). */
export function pairReplies(
  readings: readonly TimedMessage[],
  replies: readonly TimedMessage[],
): ReadingReply[] {
  const conversations = [...new Set(readings.map((r) => r.conversation))];
  const paired = new Map<TimedMessage, TimedMessage | null>();
  for (const conversation of conversations) {
    const mine = readings.filter((r) => r.conversation === conversation);
    const theirs = replies.filter((r) => r.conversation === conversation);
    const numbered =
      mine.some((r) => r.sequence !== undefined) && theirs.some((r) => r.sequence !== undefined);
    const inOrder = byOrder(mine, theirs);
    const bySeq = numbered ? bySequence(mine, theirs) : null;
    // A reply's number may count something else (its own counter): when numbers leave readings unanswered
    // but order answers every one, each after its reading, order is what the server meant.
    const orderAnswersAll = inOrder.every((p, i) => p !== null && p.timeUs >= mine[i]!.timeUs);
    const chosen = bySeq && (bySeq.every((p) => p !== null) || !orderAnswersAll) ? bySeq : inOrder;
    for (const [i, reading] of mine.entries()) paired.set(reading, chosen[i] ?? null);
  }
  return readings.map((reading) => ({ reading, reply: paired.get(reading) ?? null }));
}

// The first unused reply with the reading's number, not before it.
function bySequence(
  readings: readonly TimedMessage[],
  replies: readonly TimedMessage[],
): (TimedMessage | null)[] {
  const used = new Set<TimedMessage>();
  return readings.map((reading) => {
    const seq = reading.sequence;
    const reply =
      seq === undefined
        ? undefined
        : replies.find(
            (r) =>
              !used.has(r) &&
              r.sequence !== undefined &&
              BigInt(r.sequence) === BigInt(seq) &&
              r.timeUs >= reading.timeUs,
          );
    if (reply) used.add(reply);
    return reply ?? null;
  });
}

// The nth reply with the nth reading.
function byOrder(
  readings: readonly TimedMessage[],
  replies: readonly TimedMessage[],
): (TimedMessage | null)[] {
  return readings.map((_, i) => replies[i] ?? null);
}

const cache = new WeakMap<readonly TimedMessage[], Map<TimedMessage, TimedMessage | null>>();

/** The reply paired with a reading of `traffic` (null: none), computed once per traffic. */
export function replyTo(
  traffic: { readonly readings: readonly TimedMessage[]; readonly replies: readonly TimedMessage[] },
  reading: TimedMessage,
): TimedMessage | null {
  let pairs = cache.get(traffic.readings);
  if (!pairs) {
    pairs = new Map(pairReplies(traffic.readings, traffic.replies).map((p) => [p.reading, p.reply]));
    cache.set(traffic.readings, pairs);
  }
  return pairs.get(reading) ?? null;
}

/** The readings no reply was paired with. */
export function unanswered(traffic: {
  readonly readings: readonly TimedMessage[];
  readonly replies: readonly TimedMessage[];
}): TimedMessage[] {
  return traffic.readings.filter((m) => replyTo(traffic, m) === null);
}
