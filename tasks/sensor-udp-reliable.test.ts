import { describe, expect, it } from "vitest";
import {
  clientTakesPort,
  gradedSeeds,
  groupCount,
  linkPort,
  linkSummary,
  validate,
} from "../harness/grade/index.ts";
import { DEFAULT_POLICY, type LogEntry, missingImpairments, planOf } from "../harness/impair/index.ts";
import { checkProtocol, type Protocol } from "../harness/protocol/index.ts";
import task from "./sensor-udp-reliable.ts";

function protocolOf(reading: string, reply: string): Protocol {
  const checked = checkProtocol({
    protocol: {
      messages: [
        { name: reading, from: "client", format: "!If?", fields: ["seq", "t", "alarm"], sequence: "seq" },
        { name: reply, from: "server", format: "!I?", fields: ["seq", "ok"], sequence: "seq" },
      ],
    },
  });
  if (!checked.ok) throw new Error(checked.problems.map((p) => p.message).join("; "));
  return checked.protocol;
}

/** What the seed's link lacks for readings numbered from `first`, with the link's identities. */
function missingFor(seed: number, count: number, reading: string, reply: string, first: number): string[] {
  return missingImpairments(
    planOf(seed, DEFAULT_POLICY, count, (dir, i) =>
      dir === "c2s" ? `${reading}:${first + i}` : `${reply}:${first + i}`,
    ),
  );
}

describe("gradedSeeds", () => {
  it("is deterministic, ascending, and gives as many seeds as asked", () => {
    const seeds = gradedSeeds(null, 20, 4);
    expect(seeds).toHaveLength(4);
    expect(gradedSeeds(null, 20, 4)).toEqual(seeds);
    expect([...seeds].sort((a, b) => a - b)).toEqual(seeds);
    expect(new Set(seeds).size).toBe(4);
    expect(gradedSeeds(null, 20, 2)).toEqual(seeds.slice(0, 2));
  });

  it("picks only seeds that impair every way, whether readings count from 0 or from 1", () => {
    for (const seed of gradedSeeds(null, 20, 4)) {
      for (const first of [0, 1]) expect(missingFor(seed, 20, "reading", "reply", first)).toEqual([]);
    }
  });

  it("skips seeds that would miss an impairment", () => {
    // Five readings leave few datagrams to impair: most seeds lack something.
    const seeds = gradedSeeds(null, 5, 2);
    expect(seeds).toHaveLength(2);
    const skipped = Array.from({ length: seeds.at(-1)! }, (_, i) => i + 1).filter((s) => !seeds.includes(s));
    expect(skipped.length).toBeGreaterThan(0);
    for (const seed of skipped) {
      const missing = [0, 1].flatMap((first) => missingFor(seed, 5, "reading", "reply", first));
      expect(missing.length).toBeGreaterThan(0);
    }
  });

  it("names datagrams with the protocol's own message names", () => {
    const protocol = protocolOf("sample", "ack");
    for (const seed of gradedSeeds(protocol, 10, 3)) {
      for (const first of [0, 1]) expect(missingFor(seed, 10, "sample", "ack", first)).toEqual([]);
    }
    expect(gradedSeeds(protocolOf("reading", "reply"), 10, 3)).toEqual(gradedSeeds(null, 10, 3));
  });
});

describe("groupCount", () => {
  it.each([
    ["seq=(?<seq>\\d+)", true],
    ["(\\d+)", true],
    ["delivered (\\d+) of (\\d+)", true],
    ["seq=\\d+", false],
    ["(?:seq=)\\d+", false],
    ["(", false],
    ["[", false],
  ])("%s → %s", (text, ok) => {
    expect(groupCount(text)).toBe(ok);
  });

  it("guards the task's `delivered` option", () => {
    expect(validate(task.options, {}).ok).toBe(true);
    expect(validate(task.options, { delivered: "got (\\d+)" }).ok).toBe(true);
    expect(validate(task.options, { delivered: "seq=\\d+" }, ["tasks", "sensor-udp-reliable"])).toEqual({
      ok: false,
      issues: [
        {
          path: "tasks.sensor-udp-reliable.delivered",
          message: "a regular expression with a group for the sequence number, e.g. 'seq=(?<seq>\\d+)'",
        },
      ],
    });
  });
});

describe("linkSummary", () => {
  const entry = (action: LogEntry["action"], identity: string, occurrence = 1): LogEntry => ({
    t: 0,
    dir: identity.startsWith("reply") ? "s2c" : "c2s",
    k: 1,
    len: 9,
    sha1: "0123456789abcdef0123456789abcdef01234567",
    identity,
    occurrence,
    action,
    heldFor: 0,
    sent: action === "drop" ? 0 : 1,
  });

  it("says so when the link forwarded everything", () => {
    expect(linkSummary([])).toBe("the link forwarded everything");
    expect(linkSummary([entry("forward", "reading:0"), entry("forward", "reply:0")])).toBe(
      "the link forwarded everything",
    );
  });

  it("lists what it dropped, duplicated, reordered and delayed, with copies", () => {
    expect(
      linkSummary([
        entry("forward", "reading:0"),
        entry("drop", "reading:3"),
        entry("delay", "reading:4"),
        entry("drop", "reply:0"),
        entry("duplicate", "reading:5"),
        entry("reorder", "reading:2"),
        entry("drop", "reading:3", 2),
      ]),
    ).toBe(
      "dropped reading:3, reply:0, reading:3 (copy 2); duplicated reading:5; reordered reading:2; delayed reading:4",
    );
  });

  it("cuts a long list after eight", () => {
    const drops = Array.from({ length: 10 }, (_, i) => entry("drop", `reading:${i}`));
    expect(linkSummary(drops)).toBe(
      "dropped reading:0, reading:1, reading:2, reading:3, reading:4, reading:5, reading:6, reading:7, …",
    );
  });
});

describe("clientTakesPort", () => {
  it("is true only when the command has {port}", () => {
    expect(clientTakesPort("python3 sensor_client.py {host} {port} {interval} {count}")).toBe(true);
    expect(clientTakesPort("python3 sensor_client.py 127.0.0.1 9001")).toBe(false);
    expect(clientTakesPort("python3 sensor_client.py {host}")).toBe(false);
  });
});

describe("linkPort", () => {
  it("is the port after the server's, or the one before at the top of the range", () => {
    expect(linkPort(9001)).toBe(9002);
    expect(linkPort(1024)).toBe(1025);
    expect(linkPort(65534)).toBe(65535);
    expect(linkPort(65535)).toBe(65534);
  });
});
