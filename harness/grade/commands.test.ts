import { describe, expect, it } from "vitest";
import { fillCommand, placeholders } from "./commands.ts";

const entry = (options: Record<string, unknown>) => ({
  server: "python3 server.py {port}",
  client: "python3 client.py {host} {port}",
  host: "127.0.0.1",
  port: 9000,
  options,
  input: options,
});

describe("placeholders", () => {
  it("gives a sensor task's duration as count × interval in seconds, rounded to the millisecond", () => {
    expect(placeholders(entry({ count: 20, interval: 0.2 })).duration).toBe(4);
    expect(placeholders(entry({ count: 7, interval: 0.15 })).duration).toBe(1.05);
    expect(placeholders(entry({ quit: "end" })).duration).toBeUndefined();
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
