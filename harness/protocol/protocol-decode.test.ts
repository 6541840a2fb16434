// decodeMessage and splitStream over byte literals annotated field by field, and dataKinds.

import { describe, expect, test } from "vitest";
import { dataKinds, decodeMessage, splitStream } from "./protocol-decode.ts";
import { checkProtocol, type Protocol } from "./protocol-descriptor.ts";

const fields = ["type", "sensor", "seq", "temperature", "humidity", "pressure", "alarm"];
const protocolOf = (...messages: unknown[]): Protocol => {
  const result = checkProtocol({ protocol: { messages } });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.protocol;
};
const telemetry = protocolOf(
  { name: "reading", from: "client", format: "!BHIfff?", fields, sequence: "seq", match: { type: 1 } },
  { name: "alert", from: "client", format: "!BHIfff?", fields, sequence: "seq", match: { type: 2 } },
  { name: "hello", from: "client", format: "!B8s", fields: ["type", "name"], match: { type: 0 } },
  { name: "reply", from: "server", format: "!BI?", fields: ["type", "seq", "ok"] },
);
const fromHex = (text: string) => Uint8Array.from(Buffer.from(text.replaceAll(" ", ""), "hex"));
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((part) => [...part]));

// type 1, sensor 7, seq 42, temperature 21.5, humidity 40.0, pressure 1013.25, alarm False
const reading42 = fromHex("01 0007 0000002a 41ac0000 42200000 447d5000 00");
// type 2, sensor 7, seq 43, temperature -3.0, humidity 0.5, pressure 980.0, alarm True
const alert43 = fromHex("02 0007 0000002b c0400000 3f000000 44750000 01");
// type 0, name b"probe\0\0\0"
const hello = fromHex("00 70726f6265000000");
// type 1, seq 42, ok True
const reply42 = fromHex("01 0000002a 01");

describe("decodeMessage", () => {
  test("picks a message by match and names its values", () => {
    const result = decodeMessage(telemetry, "client", reading42);
    if (!result.ok) throw new Error(result.problem.message);
    const { message, fields: values, sequence } = result.decoded;
    expect(message.name).toBe("reading");
    expect(values).toEqual({
      type: 1,
      sensor: 7,
      seq: 42,
      temperature: 21.5,
      humidity: 40,
      pressure: 1013.25,
      alarm: false,
    });
    expect(sequence).toBe(42);
  });

  test.each<[string, "client" | "server", Uint8Array, string]>([
    ["match type 2", "client", alert43, "alert"],
    ["size alone", "client", hello, "hello"],
    ["the only server message", "server", reply42, "reply"],
  ])("picks by %s", (_, from, bytes, name) => {
    const result = decodeMessage(telemetry, from, bytes);
    expect(result.ok && result.decoded.message.name).toBe(name);
  });

  test.each<[string, "client" | "server", Uint8Array, string]>([
    [
      "a size no message has",
      "client",
      reading42.subarray(0, 19),
      'no client message is 19 bytes long ("reading" is 20, "alert" is 20, "hello" is 9)',
    ],
    [
      "a size that fits but no match",
      "client",
      concat(fromHex("09"), reading42.subarray(1)),
      '20 bytes from the client fit the size of "reading" (20 bytes, type=1) and "alert" (20 bytes, type=2) but not their match values',
    ],
    [
      "a client message sent by the server",
      "server",
      reading42,
      'no server message is 20 bytes long ("reply" is 6)',
    ],
  ])("refuses %s", (_, from, bytes, message) => {
    const result = decodeMessage(telemetry, from, bytes);
    expect(result.ok ? "decoded" : result.problem).toEqual({
      code: "no-message",
      message,
      offset: 0,
      candidates: [],
    });
  });

  test("reports two messages fitting when the protocol was not checked for it", () => {
    const [reading] = telemetry.messages;
    const twice: Protocol = { messages: [reading!, { ...reading!, name: "copy" }] };
    const result = decodeMessage(twice, "client", reading42);
    expect(result.ok ? "decoded" : [result.problem.code, result.problem.candidates]).toEqual([
      "ambiguous",
      ["reading", "copy"],
    ]);
  });
});

describe("splitStream", () => {
  const names = (bytes: Uint8Array, from: "client" | "server" = "client") => {
    const split = splitStream(telemetry, from, bytes);
    return {
      messages: split.messages.map((m) => `${m.message.name}@${m.offset}`),
      leftover: split.leftover.length,
      leftoverOffset: split.leftoverOffset,
      problem: split.problem?.code,
    };
  };

  test.each<[string, Uint8Array, string[], number]>([
    ["nothing", new Uint8Array(), [], 0],
    ["one whole message", reading42, ["reading@0"], 0],
    [
      "coalesced messages",
      concat(hello, reading42, alert43, reading42),
      ["hello@0", "reading@9", "alert@29", "reading@49"],
      0,
    ],
    ["a message split after its type byte", concat(reading42, alert43.subarray(0, 1)), ["reading@0"], 1],
    ["a message split in the middle", concat(hello, reading42.subarray(0, 12)), ["hello@0"], 12],
  ])("%s", (_, bytes, messages, leftover) => {
    expect(names(bytes)).toEqual({
      messages,
      leftover,
      leftoverOffset: bytes.length - leftover,
      problem: undefined,
    });
  });

  test("reassembles a message whose bytes arrived in two segments", () => {
    const whole = concat(reading42, alert43);
    const first = splitStream(telemetry, "client", whole.subarray(0, 25));
    expect(first.messages.map((m) => m.message.name)).toEqual(["reading"]);
    const second = splitStream(telemetry, "client", concat(first.leftover, whole.subarray(25)));
    expect(second.messages.map((m) => [m.message.name, m.sequence])).toEqual([["alert", 43]]);
    expect(second.leftover.length).toBe(0);
  });

  test("server replies coalesced", () => {
    expect(names(concat(reply42, reply42, reply42.subarray(0, 3)), "server")).toEqual({
      messages: ["reply@0", "reply@6"],
      leftover: 3,
      leftoverOffset: 12,
      problem: undefined,
    });
  });

  test("stops at bytes that start no message and keeps them", () => {
    const split = splitStream(telemetry, "client", concat(reading42, fromHex("09 0007"), reading42));
    expect(split.messages.map((m) => m.offset)).toEqual([0]);
    expect(split.leftoverOffset).toBe(20);
    expect(split.leftover.length).toBe(23);
    expect(split.problem).toEqual({
      code: "no-message",
      message:
        'bytes 20.. from the client start no message ("reading" (20 bytes, type=1), "alert" (20 bytes, type=2), ' +
        '"hello" (9 bytes, type=0))',
      offset: 20,
      candidates: [],
    });
  });

  test("stops where messages told apart only by size meet in a stream", () => {
    const bySize = protocolOf(
      { name: "short", from: "client", format: "!BH", fields: ["a", "b"] },
      { name: "long", from: "client", format: "!BI", fields: ["a", "b"] },
    );
    const split = splitStream(bySize, "client", fromHex("01 0002 01 00000002"));
    expect(split.problem?.code).toBe("ambiguous");
    expect(split.problem?.candidates).toEqual(["short", "long"]);
    expect(split.leftoverOffset).toBe(0);
  });
});

describe("dataKinds", () => {
  test.each<[string, string[], string[]]>([
    ["!BHIfff?", fields, ["integer", "float", "bool"]],
    ["!BI?", ["type", "seq", "ok"], ["integer", "bool"]],
    ["<c3sxd", ["c", "s", "d"], ["float", "bytes"]],
    ["@?e", ["b", "e"], ["float", "bool"]],
  ])("%s", (format, names, kinds) => {
    const [message] = protocolOf({ name: "m", from: "client", format, fields: names }).messages;
    expect(dataKinds(message!)).toEqual(kinds);
  });
});
