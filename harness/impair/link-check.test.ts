import { describe, expect, it } from "vitest";
import type { Conversation } from "../analyse/types.ts";
import { type Action, sha1Hex } from "./fate.ts";
import { crossCheckLink, type LegDatagram, type LinkLegs, linkLegsOf } from "./link-check.ts";
import type { LogEntry } from "./proxy.ts";

type Step = readonly [dir: "c2s" | "s2c", text: string, action: Action];
const COPIES: Record<Action, number> = { drop: 0, duplicate: 2, forward: 1, reorder: 1, delay: 1 };

// A faithful link: each step arrives on its inbound leg and leaves on the outbound one as its action says
// (reordered datagrams leave after the next arrival in their direction). Packet numbers follow capture order.
function simulate(steps: readonly Step[]): { log: LogEntry[]; legs: LinkLegs } {
  const log: LogEntry[] = [];
  const legs = { client: [] as LegDatagram[], server: [] as LegDatagram[] };
  const k = { c2s: 0, s2c: 0 };
  const held: { dir: "c2s" | "s2c"; text: string }[] = [];
  let number = 0;
  const put = (leg: "client" | "server", dir: "c2s" | "s2c", text: string) => {
    number++;
    legs[leg].push({
      number,
      timeUs: number * 100,
      direction: dir,
      payload: Buffer.from(text).toString("base64"),
    });
  };
  for (const [dir, text, action] of steps) {
    const [inbound, outbound] =
      dir === "c2s" ? (["client", "server"] as const) : (["server", "client"] as const);
    put(inbound, dir, text);
    const sha1 = sha1Hex(Buffer.from(text));
    log.push({
      t: number,
      dir,
      k: ++k[dir],
      len: text.length,
      sha1,
      identity: sha1,
      occurrence: 1,
      action,
      heldFor: 0,
      sent: COPIES[action],
    });
    if (action === "reorder") {
      held.push({ dir, text });
      continue;
    }
    for (let copy = 0; copy < COPIES[action]; copy++) put(outbound, dir, text);
    for (const h of held.filter((h) => h.dir === dir)) {
      put(dir === "c2s" ? "server" : "client", dir, h.text);
      held.splice(held.indexOf(h), 1);
    }
  }
  return { log, legs };
}

const STORY: Step[] = [
  ["c2s", "reading 0", "drop"],
  ["c2s", "reading 0", "forward"],
  ["s2c", "ack 0", "drop"],
  ["c2s", "reading 0", "forward"],
  ["s2c", "ack 0", "forward"],
  ["c2s", "reading 1", "duplicate"],
  ["s2c", "ack 1", "forward"],
  ["s2c", "ack 1", "forward"],
  ["c2s", "reading 2", "reorder"],
  ["c2s", "reading 3", "forward"],
  ["s2c", "ack 3", "delay"],
  ["s2c", "ack 2", "forward"],
];

// The same capture with one packet's payload replaced, or one packet removed.
const withPayload = (legs: LinkLegs, number: number, text: string): LinkLegs => ({
  client: legs.client.map((r) =>
    r.number === number ? { ...r, payload: Buffer.from(text).toString("base64") } : r,
  ),
  server: legs.server.map((r) =>
    r.number === number ? { ...r, payload: Buffer.from(text).toString("base64") } : r,
  ),
});
const without = (legs: LinkLegs, number: number): LinkLegs => ({
  client: legs.client.filter((r) => r.number !== number),
  server: legs.server.filter((r) => r.number !== number),
});
const packetOf = (legs: LinkLegs, leg: "client" | "server", text: string, nth = 0) =>
  legs[leg].filter((r) => r.payload === Buffer.from(text).toString("base64"))[nth]!.number;

describe("crossCheckLink", () => {
  it("agrees with a capture of a faithful link", () => {
    const { log, legs } = simulate(STORY);
    expect(crossCheckLink(log, legs)).toEqual({ agrees: true, findings: [] });
  });

  it("finds a dropped datagram that left the link after all", () => {
    const { log, legs } = simulate([["c2s", "reading 0", "drop"]]);
    const leaked = { ...legs, server: [{ ...legs.client[0]!, number: 2 }] };
    const check = crossCheckLink(log, leaked);
    expect(check.agrees).toBe(false);
    expect(check.findings).toEqual([
      `c2s bytes sha1 ${sha1Hex(Buffer.from("reading 0")).slice(0, 8)} left on the server leg 1 times (packets 2), expected 0; the log: k=1 drop`,
    ]);
  });

  it("finds a duplicate that left only once", () => {
    const { log, legs } = simulate(STORY);
    const second = packetOf(legs, "server", "reading 1", 1);
    const check = crossCheckLink(log, without(legs, second));
    expect(check.findings).toHaveLength(1);
    expect(check.findings[0]).toMatch(
      /^c2s bytes sha1 \w{8} left on the server leg 1 times \(packets \d+\), expected 2; the log: k=4 duplicate$/,
    );
  });

  it("finds a forwarded reply that never reached the client", () => {
    const { log, legs } = simulate(STORY);
    const out = packetOf(legs, "client", "ack 2");
    expect(crossCheckLink(log, without(legs, out)).findings).toEqual([
      expect.stringMatching(
        /^s2c bytes sha1 \w{8} left on the client leg never, expected 1; the log: k=6 forward$/,
      ),
    ]);
  });

  it("finds an arrival with other bytes, naming the packet", () => {
    const { log, legs } = simulate(STORY);
    const first = packetOf(legs, "client", "reading 0");
    const check = crossCheckLink(log, withPayload(legs, first, "reading 9"));
    expect(check.findings[0]).toMatch(
      new RegExp(`^packet ${first} \\(c2s, client leg\\) carries sha1 \\w{8}, but the log's arrival k=1`),
    );
  });

  it("finds a logged arrival missing from the capture, and a captured one missing from the log", () => {
    const { log, legs } = simulate(STORY);
    expect(crossCheckLink(log, without(legs, packetOf(legs, "client", "reading 3"))).findings).toContain(
      `the log's c2s arrival k=6 (sha1 ${sha1Hex(Buffer.from("reading 3")).slice(0, 8)}) is not on the client leg: it has only 5`,
    );
    const extra = {
      ...legs,
      client: [...legs.client, { number: 99, timeUs: 0, direction: "c2s" as const, payload: "" }],
    };
    expect(crossCheckLink(log, extra).findings).toEqual([
      "packets 99 (c2s) reached the link on the client leg but are not in its log",
    ]);
  });

  it("finds a copy that left before its bytes arrived", () => {
    const { log, legs } = simulate([["s2c", "ack 0", "forward"]]);
    const swapped = {
      client: [{ ...legs.client[0]!, number: 1 }],
      server: [{ ...legs.server[0]!, number: 2 }],
    };
    expect(crossCheckLink(log, swapped).findings).toEqual([
      expect.stringMatching(
        /^packets 1 \(s2c, client leg\) left the link before its bytes sha1 \w{8} arrived$/,
      ),
    ]);
  });

  it("finds a log line whose copy count contradicts its action", () => {
    const { log, legs } = simulate([["c2s", "reading 0", "forward"]]);
    const wrong = [{ ...log[0]!, action: "duplicate" as const }];
    expect(crossCheckLink(wrong, legs).findings[0]).toBe(
      "the log's c2s arrival k=1 is a duplicate but says 1 copies were sent",
    );
  });

  it("says so when the analysis did not keep payloads", () => {
    const { log, legs } = simulate([["c2s", "reading 0", "forward"]]);
    const blind = { client: legs.client.map((r) => ({ ...r, payload: null })), server: legs.server };
    expect(crossCheckLink(log, blind).findings[0]).toBe(
      "c2s: the payload of packets 1 was not kept by the analysis, so it cannot be compared",
    );
  });
});

describe("linkLegsOf", () => {
  const row = (number: number, direction: "c2s" | "s2c") => ({
    protocol: "udp",
    number,
    timeUs: number,
    direction,
    payload: "eA==",
  });
  const conversation = (client: number, server: number, rows: ReturnType<typeof row>[]) =>
    ({
      protocol: "udp",
      client: { address: "127.0.0.1", port: client },
      server: { address: "127.0.0.1", port: server },
      timeline: rows,
    }) as unknown as Conversation;

  it("splits the conversations into legs, c2s meaning towards the link and towards the server", () => {
    const legs = linkLegsOf(
      [
        conversation(40000, 6000, [row(1, "c2s"), row(4, "s2c")]),
        conversation(40001, 5005, [row(2, "c2s"), row(3, "s2c")]),
        conversation(6000, 40002, [row(5, "c2s")]),
        conversation(40003, 9999, [row(6, "c2s")]),
      ],
      { linkPort: 6000, serverPort: 5005 },
    );
    expect(legs.client.map((r) => `${r.number} ${r.direction}`)).toEqual(["1 c2s", "4 s2c", "5 s2c"]);
    expect(legs.server.map((r) => `${r.number} ${r.direction}`)).toEqual(["2 c2s", "3 s2c"]);
  });
});
