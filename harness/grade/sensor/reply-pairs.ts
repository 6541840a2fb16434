// Each reading paired with the server's reply to it, within its conversation: by sequence number when the
// readings and replies of that conversation both carry one (the first unused reply with the same number, not
// before the reading), otherwise the nth reply with the nth reading. The checks and the report share it.
import type { TimedMessage } from "./sensor-traffic.ts";

/** A reading with the reply paired with it, or null. */
export interface ReadingReply {
  readonly reading: TimedMessage;
  readonly reply: TimedMessage | null;
}

/**
 * Pairs each reading with a reply of the same conversation: by sequence number when readings and replies of
 * that conversation both carry one (the first unused reply with the same number, not before the reading),
 * otherwise the nth reply with the nth reading.
 */
export function pairReplies(
  readings: readonly TimedMessage[],
  replies: readonly TimedMessage[],
): ReadingReply[] {
  const byConversation = new Map<number, TimedMessage[]>();
  for (const reply of replies) {
    const list = byConversation.get(reply.conversation) ?? [];
    list.push(reply);
    byConversation.set(reply.conversation, list);
  }
  const numberedReadings = new Set(
    readings.filter((r) => r.sequence !== undefined).map((r) => r.conversation),
  );
  const numbered = (conversation: number) =>
    numberedReadings.has(conversation) &&
    (byConversation.get(conversation) ?? []).some((r) => r.sequence !== undefined);
  const used = new Set<TimedMessage>();
  const nextInOrder = new Map<number, number>();
  return readings.map((reading) => {
    const mine = byConversation.get(reading.conversation) ?? [];
    let reply: TimedMessage | undefined;
    if (numbered(reading.conversation)) {
      const seq = reading.sequence;
      reply =
        seq === undefined
          ? undefined
          : mine.find(
              (r) =>
                !used.has(r) &&
                r.sequence !== undefined &&
                BigInt(r.sequence) === BigInt(seq) &&
                r.timeUs >= reading.timeUs,
            );
    } else {
      const next = nextInOrder.get(reading.conversation) ?? 0;
      reply = mine[next];
      nextInOrder.set(reading.conversation, next + 1);
    }
    if (reply !== undefined) used.add(reply);
    return { reading, reply: reply ?? null };
  });
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
