import { describe, expect, it } from "vitest";
import { pairReplies } from "../../grade/sensor/reply-pairs.ts";
import type { TimedMessage, TrafficProblem } from "../../grade/sensor/sensor-traffic.ts";
import { checkProtocol, type Protocol, type StructValue } from "../../protocol/index.ts";
import { readingsTable } from "./readings.ts";

function protocolOf(messages: unknown[]): Protocol {
  const checked = checkProtocol({ protocol: { messages } });
  if (!checked.ok) throw new Error(checked.problems.map((p) => p.message).join("; "));
  return checked.protocol;
}

const NUMBERED = protocolOf([
  {
    name: "reading",
    from: "client",
    format: "!If?",
    fields: ["seq", "temperature", "alarm"],
    sequence: "seq",
  },
  { name: "ack", from: "server", format: "!I", fields: ["seq"], sequence: "seq" },
]);
const PLAIN = protocolOf([
  { name: "reading", from: "client", format: "!If", fields: ["sensor", "temperature"] },
  { name: "ack", from: "server", format: "!B", fields: ["ok"] },
]);

function message(
  name: string,
  packet: number,
  timeMs: number,
  fields: Record<string, StructValue>,
  options: { conversation?: number; sequence?: number } = {},
): TimedMessage {
  return {
    name,
    from: name === "reading" ? "client" : "server",
    conversation: options.conversation ?? 0,
    packet,
    timeUs: 1_000_000 + timeMs * 1000,
    groups: [],
    relativeSeconds: timeMs / 1000,
    offset: 0,
    bytes: new Uint8Array(),
    values: Object.values(fields),
    fields,
    ...(options.sequence === undefined ? {} : { sequence: options.sequence }),
  };
}

const reading = (packet: number, timeMs: number, seq: number, conversation = 0) =>
  message(
    "reading",
    packet,
    timeMs,
    { seq, temperature: 21.5, alarm: false },
    { sequence: seq, conversation },
  );
const ack = (packet: number, timeMs: number, seq: number, conversation = 0) =>
  message("ack", packet, timeMs, { seq }, { sequence: seq, conversation });

const rowsOf = (md: string) => md.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| ---"));

describe("readingsTable", () => {
  it("pairs replies by sequence number, whatever their order", () => {
    const traffic = {
      readings: [reading(4, 0, 1), reading(6, 200, 2), reading(8, 400, 3)],
      replies: [ack(9, 400.25, 3), ack(7, 201.5, 2)],
      problems: [],
    };
    const md = readingsTable(traffic, NUMBERED);
    const rows = rowsOf(md);
    expect(rows[0]).toBe(
      "| time (s) | packet | seq | temperature | alarm | reply packet | reply delay (ms) |",
    );
    expect(rows[1]).toBe("| 0.000 | 4 | 1 | 21.5 | False | – | – |");
    expect(rows[2]).toBe("| 0.200 | 6 | 2 | 21.5 | False | 7 | 1.500 |");
    expect(rows[3]).toBe("| 0.400 | 8 | 3 | 21.5 | False | 9 | 0.250 |");
    expect(md).toContain("3 readings, 2 answered (replies paired by sequence number).");
  });

  it("pairs in order per conversation without sequence numbers and shows the conversation", () => {
    const r = (packet: number, timeMs: number, conversation: number) =>
      message("reading", packet, timeMs, { sensor: 7, temperature: 20 }, { conversation });
    const a = (packet: number, timeMs: number, conversation: number) =>
      message("ack", packet, timeMs, { ok: 1 }, { conversation });
    const traffic = {
      readings: [r(4, 0, 0), r(5, 1, 1), r(8, 200, 0)],
      replies: [a(6, 2, 1), a(7, 3, 0), a(9, 201, 0), a(10, 202, 0)],
      problems: [],
    };
    const pairs = pairReplies(traffic.readings, traffic.replies);
    expect(pairs.map((p) => p.reply?.packet ?? null)).toEqual([7, 6, 9]);
    const md = readingsTable(traffic, PLAIN);
    expect(rowsOf(md)[0]).toContain("| conversation |");
    expect(rowsOf(md)[1]).toBe("| 0.000 | 4 | 0 | – | 7 | 20.0 | 7 | 3.000 |");
    expect(md).toContain("1 reply matches no reading: packets 10.");
    expect(md).toContain("(replies paired in order)");
  });

  it("does not pair a reply sent before its reading", () => {
    const pairs = pairReplies([reading(5, 10, 1)], [ack(4, 5, 1)]);
    expect(pairs[0]!.reply).toBeNull();
  });

  it("stops at max and lists each traffic problem", () => {
    const readings = Array.from({ length: 5 }, (_, i) => reading(10 + i, i * 100, i));
    const problems: TrafficProblem[] = [
      {
        from: "client",
        conversation: 0,
        packet: 20,
        offset: 45,
        length: 3,
        message: "the stream ends 3 bytes into a message",
        incomplete: true,
      },
      {
        from: "server",
        conversation: 0,
        packet: null,
        offset: 0,
        length: 2,
        message: "2 bytes <no message>",
        incomplete: false,
      },
    ];
    const md = readingsTable({ readings, replies: [], problems }, NUMBERED, { max: 2 });
    expect(rowsOf(md)).toHaveLength(3);
    expect(md).toContain("The first 2 of 5 readings are shown.");
    expect(md).toContain(
      "- packet 20, offset 45, 3 bytes from the client (conversation 0): the stream ends 3 bytes into a message",
    );
    expect(md).toContain(
      "- packet unknown, offset 0, 2 bytes from the server (conversation 0): 2 bytes &lt;no message>",
    );
  });

  it("says when nothing was decoded", () => {
    expect(readingsTable({ readings: [], replies: [], problems: [] }, PLAIN)).toBe(
      "No readings were decoded.",
    );
  });
});
