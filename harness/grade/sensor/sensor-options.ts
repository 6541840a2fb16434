// The manifest keys every sensor task shares: how often and how many readings the client sends (substituted
// as {interval} and {count} in its command), and an optional per-task protocol description.

import { z } from "../../schema/index.ts";
import type { TaskEntry } from "../manifest.ts";
import { protocolOption } from "./protocol-option.ts";

/** interval, count, protocol — the keys of sensor-tcp and sensor-udp. */
export const sensorOptionsShape = {
  /** Seconds between readings: the period the client is told to keep ({interval}). */
  interval: z.number().min(0.01).max(10).default(0.2),
  /** Readings the client sends ({count}). */
  count: z.number().int().min(3).max(10_000).default(20),
  protocol: protocolOption,
};

export const sensorOptions = z.object(sensorOptionsShape);

/** {duration}: count × interval in seconds, for a client that takes how long to run rather than how many
 * readings (rounded to the millisecond: 20 × 0.2 is 4, not 4.000000000000001); {interval_ms} and
 * {duration_ms}: the same in whole milliseconds, for programs that take milliseconds. */
export function sensorPlaceholders(options: { count: number; interval: number }): {
  duration: number;
  interval_ms: number;
  duration_ms: number;
} {
  const durationMs = Math.round(options.count * options.interval * 1000);
  return {
    duration: durationMs / 1000,
    interval_ms: Math.round(options.interval * 1000),
    duration_ms: durationMs,
  };
}
export type SensorOptions = z.infer<typeof sensorOptions>;

/**
 * The shared sensor options of an entry held without its task's type (the summary across tasks): read from
 * the manifest's value with the shared schema, which every sensor task's schema extends.
 */
export function sensorOptionsOf(entry: TaskEntry): SensorOptions {
  return sensorOptions.parse(entry.input);
}
