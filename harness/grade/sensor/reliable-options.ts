// The manifest options of reliable UDP (sensor-udp-reliable): the sensor options, at least 6 readings, how
// the server's output shows a delivered reading, how many seeded links, and the give-up bound.
import { nestedRepetition } from "../../protocol/index.ts";
import { z } from "../../schema/index.ts";
import { deliveredPattern } from "./delivery.ts";
import { sensorOptionsShape } from "./sensor-options.ts";

/** Whether `text` compiles to a regular expression with at least one capturing group. */
export function groupCount(text: string): boolean {
  try {
    // An empty alternative matches "", and the match array has one slot per group.
    return (deliveredPattern(`${text}|`).exec("")?.length ?? 0) > 1;
  } catch {
    return false;
  }
}

/** The keys of sensor-udp-reliable in socklab.yaml. */
export const reliableOptions = z.object({
  ...sensorOptionsShape,
  /** At least 6 readings: fewer leave no seed whose link both drops, duplicates and reorders a reading. */
  count: z.number().int().min(6).max(10_000).default(20),
  /** How the server's output shows each delivered reading: a regex with a group `seq` (or a first group). */
  delivered: z
    .string()
    .default("seq=(?<seq>\\d+)")
    .refine(groupCount, {
      message: "a regular expression with a group for the sequence number, e.g. 'seq=(?<seq>\\d+)'",
    })
    .refine((text) => !nestedRepetition(text), {
      message:
        "a repeated group that repeats inside, such as (a+)+, can take exponential time; repeat one of them only",
    }),
  /** How many seeded lossy links to grade over. */
  seeds: z.number().int().min(1).max(10).default(4),
  /**
   * Seconds the client may take, beyond count × interval, to give up on a link that delivers nothing. The
   * default is generous: students give up after 10–50 tries of a reading with timeouts of 0.2–2 s (12–35 s in
   * the designs we have seen); the check is there for a client that never ends.
   */
  giveUpWithin: z.number().min(1).max(120).default(60),
});
/** The options of sensor-udp-reliable, as its checks read them. */
export type ReliableOptions = z.output<typeof reliableOptions>;

/** How long the client may take to give up on a link that delivers nothing. */
export function giveUpBoundMs(o: ReliableOptions): number {
  return Math.round((o.count * o.interval + o.giveUpWithin) * 1000);
}
