// checkProtocol, one row per rule: a description that passes, and descriptions refused at exact paths.

import { describe, expect, test } from "vitest";
import { checkProtocol, type ProtocolProblem } from "./protocol-descriptor.ts";

const reading = {
  name: "reading",
  from: "client",
  format: "!BHIfff?",
  fields: ["type", "sensor", "seq", "temperature", "humidity", "pressure", "alarm"],
  sequence: "seq",
  match: { type: 1 },
};
const sixFields = ["type", "sensor", "seq", "temperature", "humidity", "alarm"];
const reply = { name: "reply", from: "server", format: "!BI?", fields: ["type", "seq", "ok"] };
const manifest = (...messages: unknown[]) => ({ protocol: { messages } });
const problems = (raw: unknown): ProtocolProblem[] => {
  const result = checkProtocol(raw);
  return result.ok ? [] : result.problems;
};
const paths = (raw: unknown) => problems(raw).map((p) => p.path);

describe("checkProtocol accepts", () => {
  test("the sensor-telemetry protocol", () => {
    const result = checkProtocol(manifest(reading, reply));
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const [first, second] = result.protocol.messages;
    if (first!.body.type !== "struct") throw new Error("not a struct message");
    expect(first!.body.layout.size).toBe(20);
    expect(first!.sequence).toBe("seq");
    expect(first!.body.matchBytes).toEqual([{ field: "type", offset: 0, bytes: Uint8Array.of(1) }]);
    expect(first!.body.slots.map((s) => [s.name, s.offset, s.size])).toEqual([
      ["type", 0, 1],
      ["sensor", 1, 2],
      ["seq", 3, 4],
      ["temperature", 7, 4],
      ["humidity", 11, 4],
      ["pressure", 15, 4],
      ["alarm", 19, 1],
    ]);
    expect(second!.match).toEqual({});
    expect(second!.sequence).toBeUndefined();
  });

  test.each<[string, unknown[]]>([
    [
      "same side, different sizes",
      [reading, { ...reading, name: "short", format: "!BHIff?", fields: sixFields }],
    ],
    ["same side and size, told apart by match", [reading, { ...reading, name: "alert", match: { type: 2 } }]],
    [
      "match on bytes, bools and floats",
      [
        {
          ...reply,
          from: "client",
          format: "!4sc?f",
          fields: ["tag", "c", "b", "x"],
          match: { tag: "AB", c: "z", b: true, x: 1.5 },
        },
      ],
    ],
    [
      "padding with native alignment",
      [{ name: "n", from: "client", format: "BdH", fields: ["a", "b", "c"] }],
    ],
  ])("%s", (_, messages) => {
    expect(problems(manifest(...messages))).toEqual([]);
  });
});

describe("checkProtocol refuses", () => {
  test.each<[string, unknown, string[]]>([
    ["no protocol section", {}, ["protocol"]],
    ["protocol not a mapping", { protocol: [] }, ["protocol"]],
    ["no messages", { protocol: { messages: [] } }, ["protocol.messages"]],
    ["a message that is not a mapping", manifest(reading, "reply"), ["protocol.messages[1]"]],
    ["a duplicate name", manifest(reading, { ...reply, name: "reading" }), ["protocol.messages[1].name"]],
    ["a missing name", manifest({ ...reading, name: undefined }), ["protocol.messages[0].name"]],
    ["an unknown key", manifest({ ...reading, feilds: [] }), ["protocol.messages[0].feilds"]],
    ["from neither side", manifest(reading, { ...reply, from: "both" }), ["protocol.messages[1].from"]],
    ["no client message", manifest(reply), ["protocol.messages"]],
    ["a bad format", manifest(reading, { ...reply, format: "!BIz" }), ["protocol.messages[1].format"]],
    ["format not a string", manifest({ ...reading, format: 7 }), ["protocol.messages[0].format"]],
    [
      "too few fields",
      manifest(reading, { ...reply, fields: ["type", "seq"] }),
      ["protocol.messages[1].fields"],
    ],
    ["fields not a list", manifest({ ...reading, fields: "type" }), ["protocol.messages[0].fields"]],
    [
      "a field that is not a name",
      manifest({ ...reply, from: "client", fields: ["type", 3, "ok"] }),
      ["protocol.messages[0].fields[1]"],
    ],
    [
      "a duplicate field",
      manifest({ ...reply, from: "client", fields: ["type", "seq", "type"] }),
      ["protocol.messages[0].fields[2]"],
    ],
    ["sequence not a field", manifest({ ...reading, sequence: "seqno" }), ["protocol.messages[0].sequence"]],
    [
      "sequence on a float",
      manifest({ ...reading, sequence: "humidity" }),
      ["protocol.messages[0].sequence"],
    ],
    ["match not a mapping", manifest({ ...reading, match: [1] }), ["protocol.messages[0].match"]],
    [
      "match on an unknown field",
      manifest({ ...reading, match: { kind: 1 } }),
      ["protocol.messages[0].match.kind"],
    ],
    [
      "match value out of range",
      manifest({ ...reading, match: { type: 256 } }),
      ["protocol.messages[0].match.type"],
    ],
    [
      "match value not an integer",
      manifest({ ...reading, match: { type: 1.5 } }),
      ["protocol.messages[0].match.type"],
    ],
    [
      "match string on an integer",
      manifest({ ...reading, match: { type: "1" } }),
      ["protocol.messages[0].match.type"],
    ],
    [
      "match number on a bool",
      manifest({ ...reading, match: { alarm: 1 } }),
      ["protocol.messages[0].match.alarm"],
    ],
    [
      "match string too long",
      manifest({ ...reply, from: "client", format: "!2sI?", match: { type: "abc" } }),
      ["protocol.messages[0].match.type"],
    ],
    [
      "same size, no match",
      manifest(reading, { ...reading, name: "alert", match: undefined }),
      ["protocol.messages[1].match"],
    ],
    [
      "same size, same match",
      manifest(reading, { ...reading, name: "alert" }),
      ["protocol.messages[1].match"],
    ],
    ["an unknown kind", manifest({ ...reading, kind: "heartbeat" }), ["protocol.messages[0].kind"]],
    [
      "a server kind on a client message",
      manifest({ ...reading, kind: "ack" }),
      ["protocol.messages[0].kind"],
    ],
    [
      "several problems at once",
      manifest({ ...reading, from: "x", format: "!BH", fields: ["a", "a"] }),
      ["protocol.messages[0].from", "protocol.messages[0].fields[1]", "protocol.messages"],
    ],
  ])("%s", (_, raw, expected) => {
    expect(paths(raw)).toEqual(expected);
  });

  test.each<[string, unknown, string]>([
    [
      "count mismatch names both counts",
      manifest(reading, { ...reply, fields: ["type", "seq"] }),
      'format "!BI?" packs 3 values but 2 field names are given',
    ],
    [
      "format problem quotes Python",
      manifest({ ...reading, format: "!BIz" }),
      "struct.error: bad char in struct format (at character 3)",
    ],
    [
      "range problem quotes Python",
      manifest({ ...reading, match: { type: 256 } }),
      'field "type" ("B") cannot hold 256: struct.error: ubyte format requires 0 <= number <= 255',
    ],
    [
      "duplicate name says where",
      manifest(reading, { ...reading, name: "reading", match: { type: 2 } }),
      '"reading" is already the name of messages[0]',
    ],
    [
      "indistinguishable names both",
      manifest(reading, { ...reading, name: "alert" }),
      'messages "reading" and "alert" are both sent by the client and both 20 bytes long; give them match values that differ in the same field (e.g. a type byte)',
    ],
  ])("%s", (_, raw, message) => {
    expect(problems(raw).map((p) => p.message)).toContain(message);
  });
});
