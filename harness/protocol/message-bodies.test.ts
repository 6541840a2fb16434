// Messages beyond one fixed struct: batches (a repeated group), tails (length-prefixed or to the end),
// text read with a regular expression, JSON read at paths, and `constant:` — described, refused at exact
// paths, read from datagrams and cut out of TCP streams.

import { describe, expect, test } from "vitest";
import { decodeMessage, splitStream } from "./protocol-decode.ts";
import { checkProtocol, type Protocol, type ProtocolProblem } from "./protocol-descriptor.ts";

const protocolOf = (...messages: unknown[]): Protocol => {
  const result = checkProtocol({ protocol: { messages } });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.protocol;
};
const problems = (...messages: unknown[]): ProtocolProblem[] => {
  const result = checkProtocol({ protocol: { messages } });
  return result.ok ? [] : result.problems;
};
const fromHex = (text: string) => Uint8Array.from(Buffer.from(text.replaceAll(" ", ""), "hex"));
const text = (s: string) => new TextEncoder().encode(s);

const batch = {
  name: "batch",
  from: "client",
  format: "!BHB",
  fields: ["type", "batch", "n"],
  repeat: { count: "n", format: "!Hb", fields: ["seq", "t"] },
  sequence: "seq",
  match: { type: 7 },
};
const hello = {
  name: "hello",
  from: "client",
  format: "!BB",
  fields: ["type", "len"],
  tail: { field: "place", length: "len", as: "text" },
  match: { type: 1 },
  kind: "control",
};
const note = { name: "note", from: "server", format: "!B", fields: ["code"], tail: { field: "rest" } };
const binary = protocolOf(batch, hello, note);

// type 7, batch 1, n 2, then (seq 10, t -3), (seq 11, t 4)
const twoReadings = fromHex("07 0001 02  000a fd  000b 04");
// type 1, len 3, "lab"
const helloLab = fromHex("01 03 6c6162");

describe("described", () => {
  test("every field with its type and place", () => {
    const [b, h] = binary.messages;
    expect(b!.fields.map((f) => `${f.name}:${f.type}:${f.part}`)).toEqual([
      "type:int:head",
      "batch:int:head",
      "n:int:head",
      "seq:int:group",
      "t:int:group",
    ]);
    expect(h!.fields.at(-1)).toMatchObject({ name: "place", type: "str", part: "tail" });
  });

  test.each<[string, unknown, string[]]>([
    [
      "a count that is no head field",
      { ...batch, repeat: { ...batch.repeat, count: "k" } },
      ["repeat.count"],
    ],
    ["a float count", { ...batch, format: "!BHf" }, ["repeat.count"]],
    [
      "a group field named twice",
      { ...batch, repeat: { ...batch.repeat, fields: ["type", "t"] } },
      ["repeat.fields[0]"],
    ],
    [
      "a group format that is no format",
      { ...batch, repeat: { ...batch.repeat, format: "!Hz" } },
      ["repeat.format"],
    ],
    ["an unknown key in repeat", { ...batch, repeat: { ...batch.repeat, every: 1 } }, ["repeat"]],
    [
      "a tail length that is no field",
      { ...hello, tail: { field: "place", length: "size" } },
      ["tail.length"],
    ],
    ["a tail as something else", { ...hello, tail: { field: "place", as: "utf8" } }, ["tail.as"]],
    ["a match on a group field", { ...batch, match: { seq: 1 } }, ["match.seq"]],
    ["a constant that is no field", { ...batch, constant: ["unit"] }, ["constant[0]"]],
    ["format and text", { ...batch, text: "(?<a>x)" }, ["format"]],
    ["no body", { name: "x", from: "client" }, ["format"]],
    ["a text pattern with no named group", { name: "x", from: "client", text: "T=\\d+" }, ["text"]],
    ["a text pattern that does not compile", { name: "x", from: "client", text: "(?<a>[" }, ["text"]],
    [
      "a type for no group",
      { name: "x", from: "client", text: "(?<a>\\d)", fields: { b: "int" } },
      ["fields.b"],
    ],
    [
      "an unknown type",
      { name: "x", from: "client", text: "(?<a>\\d)", fields: { a: "number" } },
      ["fields"],
    ],
    ["json with fields", { name: "x", from: "client", json: { a: "int" }, fields: ["a"] }, ["fields"]],
    ["json with no path", { name: "x", from: "client", json: {} }, ["json"]],
    [
      "a sequence on a text group",
      { name: "x", from: "client", text: "(?<a>\\w+)", fields: { a: "str" }, sequence: "a" },
      ["sequence"],
    ],
    ["repeat on json", { name: "x", from: "client", json: { a: "int" }, repeat: batch.repeat }, ["repeat"]],
  ])("refuses %s", (_, message, at) => {
    const found = problems(message).map((p) => p.path.replace("protocol.messages[0].", ""));
    expect(found).toEqual(at);
  });
});

describe("a datagram", () => {
  test("a batch: the head and each group", () => {
    const result = decodeMessage(binary, "client", twoReadings);
    expect(result).toMatchObject({
      ok: true,
      decoded: {
        fields: { type: 7, batch: 1, n: 2 },
        groups: [
          { seq: 10, t: -3 },
          { seq: 11, t: 4 },
        ],
      },
    });
    // The sequence field is in the groups: the message as a whole has none.
    expect(result.ok && result.decoded.sequence).toBeUndefined();
  });

  test("a batch whose count does not fit its length", () => {
    const result = decodeMessage(binary, "client", twoReadings.subarray(0, 7));
    expect(result.ok ? "decoded" : result.problem.message).toMatch(
      /"batch": 7 bytes, but its head says more/,
    );
  });

  test("a length-prefixed tail, and a tail to the end", () => {
    expect(decodeMessage(binary, "client", helloLab)).toMatchObject({
      ok: true,
      decoded: { fields: { type: 1, len: 3, place: "lab" } },
    });
    const rest = decodeMessage(binary, "server", fromHex("05 0102"));
    expect(rest.ok && [...(rest.decoded.fields.rest as Uint8Array)]).toEqual([1, 2]);
  });

  test("text, with its line end, typed", () => {
    const protocol = protocolOf({
      name: "reading",
      from: "client",
      text: "S(?P<sensor>\\d+);seq=(?<seq>\\d+);T=(?<t>-?[\\d.]+);A=(?<alarm>\\w+)",
      fields: { sensor: "int", seq: "int", t: "float", alarm: "bool" },
      sequence: "seq",
    });
    const result = decodeMessage(protocol, "client", text("S1;seq=4;T=-2.5;A=False\r\n"));
    expect(result).toMatchObject({
      ok: true,
      decoded: { sequence: 4, fields: { sensor: 1, seq: 4, t: -2.5, alarm: false } },
    });
    const bad = decodeMessage(protocol, "client", text("S1;seq=x;T=1;A=0"));
    expect(bad.ok ? "decoded" : bad.problem.message).toMatch(/does not match/);
  });

  test("JSON at paths, told apart by match values and by the paths they have", () => {
    const protocol = protocolOf(
      { name: "init", from: "client", json: { type: "str", sensor: "str" }, match: { type: "init" } },
      {
        name: "reading",
        from: "client",
        json: { type: "str", seq: "int", "data.t": "float", alarm: "bool" },
        match: { type: "reading" },
        sequence: "seq",
      },
      { name: "ack", from: "server", json: { ack: "int" } },
    );
    const reading = decodeMessage(
      protocol,
      "client",
      text('{"type": "reading", "seq": 3, "data": {"t": 21}, "alarm": 0}'),
    );
    expect(reading).toMatchObject({
      ok: true,
      decoded: { sequence: 3, fields: { "data.t": 21, alarm: false }, message: { name: "reading" } },
    });
    const init = decodeMessage(protocol, "client", text('{"type": "init", "sensor": 7}'));
    expect(init).toMatchObject({ ok: true, decoded: { message: { name: "init" }, fields: { sensor: "7" } } });
    const other = decodeMessage(protocol, "client", text('{"type": "bye"}'));
    expect(other.ok ? "decoded" : other.problem.message).toMatch(
      /"init": it has no "sensor"; "reading": it has no "seq"/,
    );
  });
});

describe("a TCP stream", () => {
  test("batches and tails cut where their heads say", () => {
    const stream = Uint8Array.from([...helloLab, ...twoReadings, ...twoReadings.subarray(0, 6)]);
    const split = splitStream(binary, "client", stream);
    expect(split.messages.map((m) => [m.message.name, m.offset])).toEqual([
      ["hello", 0],
      ["batch", 5],
    ]);
    expect(split.problem).toBeUndefined();
    expect(split.leftover.length).toBe(6);
  });

  const lines = protocolOf(
    { name: "reading", from: "client", text: "T=(?<t>[\\d.]+)", fields: { t: "float" } },
    { name: "ok", from: "server", text: "OK (?<seq>\\d+)", fields: { seq: "int" } },
  );

  test("text cut at line ends", () => {
    const split = splitStream(lines, "client", text("T=1.5\nT=2\r\nT=3"));
    expect(split.messages.map((m) => m.fields.t)).toEqual([1.5, 2]);
    expect(split.leftover.length).toBe(3);
  });

  test("text without line ends cut at the segments, and two answers received together", () => {
    const stream = text("OK 9OK 10OK 11");
    const split = splitStream(lines, "server", stream, [4, 14]);
    expect(split.messages.map((m) => m.fields.seq)).toEqual([9, 10, 11]);
    expect(split.leftover.length).toBe(0);
  });

  test("JSON documents back to back, with or without newlines", () => {
    const protocol = protocolOf({ name: "r", from: "client", json: { seq: "int", "v.x": "float" } });
    const split = splitStream(
      protocol,
      "client",
      text('{"seq":1,"v":{"x":2.5}}\n{"seq":2,"v":{"x":"}"}}{"seq":3,"v":{"x":1}}\n{"se'),
    );
    expect(split.messages.map((m) => m.fields.seq)).toEqual([1]);
    expect(split.problem?.code).toBe("no-message");
    const clean = splitStream(protocol, "client", text('{"seq":1,"v":{"x":2.5}}{"seq":3,"v":{"x":1}}\n{"se'));
    expect(clean.messages.map((m) => m.fields.seq)).toEqual([1, 3]);
    expect(clean.leftover.length).toBe(4);
  });
});

describe("JSON lists", () => {
  const protocol = protocolOf({
    name: "batch",
    from: "client",
    json: { batch: "int", "readings[].seq": "int", "readings[].t": "float" },
    sequence: "readings[].seq",
  });

  test("each item of the list is a group", () => {
    const result = decodeMessage(
      protocol,
      "client",
      text('{"batch": 2, "readings": [{"seq": 5, "t": 20.5}, {"seq": 6, "t": 21}]}'),
    );
    expect(result).toMatchObject({
      ok: true,
      decoded: {
        fields: { batch: 2 },
        groups: [
          { "readings[].seq": 5, "readings[].t": 20.5 },
          { "readings[].seq": 6, "readings[].t": 21 },
        ],
      },
    });
    expect(protocol.messages[0]!.fields.map((f) => f.part)).toEqual(["head", "group", "group"]);
  });

  test("a list that is not one, or an item without a path", () => {
    const notList = decodeMessage(protocol, "client", text('{"batch": 1, "readings": 3}'));
    expect(notList.ok ? "decoded" : notList.problem.message).toMatch(/"readings" is not a list/);
    const missing = decodeMessage(protocol, "client", text('{"batch": 1, "readings": [{"seq": 1}]}'));
    expect(missing.ok ? "decoded" : missing.problem.message).toMatch(/item 0 of "readings" has no "t"/);
  });

  test("a document that is a list, and two lists refused", () => {
    const top = protocolOf({ name: "r", from: "client", json: { "[].t": "float" } });
    expect(decodeMessage(top, "client", text('[{"t": 1.5}, {"t": 2}]'))).toMatchObject({
      ok: true,
      decoded: { groups: [{ "[].t": 1.5 }, { "[].t": 2 }] },
    });
    expect(
      problems({ name: "r", from: "client", json: { "a[].t": "float", "b[].t": "float" } }),
    ).toHaveLength(1);
  });
});

describe("nestedRepetition", () => {
  test.each<[string, boolean]>([
    ["(a+)+", true],
    ["(\\d*,?)*", true],
    ["((ab)*c)+", false],
    ["((ab)*)+", true],
    ["(?<t>\\d+)(,\\d+)*", false],
    ["T=(?<t>-?\\d+\\.\\d+);H=(?<h>[\\d.]+)", false],
    ["(?<a>[(+]+)+", true],
    ["(\\d+\\.)+", false],
    ["(?:\\s*\\w+)*", true],
    ["(?<vals>\\d+(,\\d+)*)", false],
    ["(\\+)+", false],
    ["(a|b){2,}", false],
    ["(a{1,3}){2}", false],
    ["(a{1,3}){2,}", true],
  ])("%s: %s", async (source, nested) => {
    const { nestedRepetition } = await import("./text-body.ts");
    expect(nestedRepetition(source)).toBe(nested);
  });
});

describe("a tail read as fields", () => {
  const framed = protocolOf(
    {
      name: "reading",
      from: "client",
      format: "!I",
      fields: ["len"],
      tail: { length: "len", json: { seq: "int", t: "float" } },
      sequence: "seq",
    },
    {
      name: "ack",
      from: "server",
      format: "!H",
      fields: ["len"],
      tail: { length: "len", text: "OK (?<n>\\d+)" },
    },
  );
  const frame = (json: string) => {
    const body = text(json);
    const head = new Uint8Array(4);
    new DataView(head.buffer).setUint32(0, body.length);
    return Uint8Array.from([...head, ...body]);
  };

  test("a length-prefixed JSON document over TCP, its fields the message's", () => {
    const stream = Uint8Array.from([...frame('{"seq": 1, "t": 20.5}'), ...frame('{"seq": 2, "t": 21}')]);
    const split = splitStream(framed, "client", stream);
    expect(split.messages.map((m) => [m.sequence, m.fields.t])).toEqual([
      [1, 20.5],
      [2, 21],
    ]);
    expect(framed.messages[0]!.fields.map((f) => `${f.name}:${f.part}`)).toEqual([
      "len:head",
      "seq:head",
      "t:head",
    ]);
  });

  test("a tail that is not the document described is no message", () => {
    const result = decodeMessage(framed, "client", frame('{"seq": 1}'));
    expect(result.ok ? "decoded" : result.problem.message).toMatch(/its tail: it has no "t"/);
  });

  test.each<[string, unknown, string[]]>([
    ["both a field and json", { field: "x", json: { a: "int" } }, ["tail"]],
    ["nothing to read", { length: "len" }, ["tail"]],
    ["types without text", { field: "x", fields: { a: "int" } }, ["tail.fields"]],
  ])("refuses %s", (_, tail, at) => {
    const message = { name: "m", from: "client", format: "!I", fields: ["len"], tail };
    expect(problems(message).map((p) => p.path.replace("protocol.messages[0].", ""))).toEqual(at);
  });
});
