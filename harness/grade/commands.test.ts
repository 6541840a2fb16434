import { describe, expect, it } from "vitest";
import { fillCommand, placeholders } from "./commands.ts";
import { sensorPlaceholders } from "./sensor/sensor-options.ts";

/** An entry as a sensor task reads it when its options have a count and an interval. */
const entry = (options: Record<string, unknown>) => ({
  server: "python3 server.py {port}",
  client: "python3 client.py {host} {port}",
  host: "127.0.0.1",
  port: 9000,
  options,
  input: options,
  derived:
    typeof options.count === "number" && typeof options.interval === "number"
      ? sensorPlaceholders({ count: options.count, interval: options.interval })
      : {},
});

describe("placeholders", () => {
  it("gives a sensor task's duration as count × interval in seconds, rounded to the millisecond", () => {
    expect(placeholders(entry({ count: 20, interval: 0.2 })).duration).toBe(4);
    expect(placeholders(entry({ count: 7, interval: 0.15 })).duration).toBe(1.05);
    expect(placeholders(entry({ quit: "end" })).duration).toBeUndefined();
  });

  it("gives the interval and the duration in milliseconds too", () => {
    expect(
      fillCommand(
        "c.py -p {port} --period-ms {interval_ms} --for {duration_ms}",
        entry({ count: 20, interval: 0.2 }),
      ),
    ).toBe("c.py -p 9000 --period-ms 200 --for 4000");
  });

  it("lets an option of the same name win over a derived one", () => {
    expect(placeholders({ ...entry({ duration: 9 }), derived: { duration: 4 } }).duration).toBe(9);
  });

  it("fills a client command that takes a run length, and an integer interval as written", () => {
    expect(
      fillCommand(
        "python3 c.py {host} {port} --duration {duration} -i {interval}",
        entry({ count: 30, interval: 1 }),
      ),
    ).toBe("python3 c.py 127.0.0.1 9000 --duration 30 -i 1");
  });
});
