import { describe, expect, it } from "vitest";
import {
  checkProtocol,
  decodeMessage,
  type Protocol,
  type ProtocolMessage,
  unpack,
} from "../../protocol/index.ts";
import { probeConfig, probeValue, readingMessage } from "./probe-readings.ts";

/** The k-th probe reading's head values, in format order. */
const probeValues = (message: ProtocolMessage, k: number) =>
  message.fields.filter((f) => f.part === "head").map((f) => probeValue(message, f, k));

function protocolOf(...messages: Record<string, unknown>[]): Protocol {
  const checked = checkProtocol({ protocol: { messages } });
  if (!checked.ok) throw new Error(checked.problems.map((p) => `${p.path}: ${p.message}`).join("; "));
  return checked.protocol;
}

const READING = {
  name: "reading",
  from: "client",
  format: "!BHIfff?",
  fields: ["type", "sensor", "seq", "temperature", "humidity", "pressure", "alarm"],
  sequence: "seq",
  match: { type: 1 },
};
const REPLY = {
  name: "reply",
  from: "server",
  format: "!BI?",
  fields: ["type", "seq", "ok"],
  sequence: "seq",
  match: { type: 2 },
};
const PROTOCOL = protocolOf(REPLY, READING);

function messageOf(protocol: Protocol, name: string): ProtocolMessage {
  const found = protocol.messages.find((m) => m.name === name);
  if (!found) throw new Error(`no message ${name}`);
  return found;
}

interface ProbeJson {
  transport: string;
  host: string;
  port: number;
  replySize: number;
  readings: string[];
}

const bytesOf = (hex: string) => new Uint8Array(Buffer.from(hex, "hex"));
const configOf = (base64: string | null): ProbeJson => {
  if (base64 === null) throw new Error("no probe configuration");
  return JSON.parse(Buffer.from(base64, "base64").toString("utf8")) as ProbeJson;
};

describe("probeValue", () => {
  it("keeps a field declared constant (an id, a version) the same in every reading", () => {
    const reading = messageOf(protocolOf(REPLY, { ...READING, constant: ["sensor"] }), "reading");
    const sensor = reading.fields.find((f) => f.name === "sensor")!;
    const humidity = reading.fields.find((f) => f.name === "humidity")!;
    expect([0, 1, 2].map((k) => probeValue(reading, sensor, k))).toEqual([1, 1, 1]);
    expect([0, 1, 2].map((k) => probeValue(reading, humidity, k))).toEqual([20.5, 21.5, 22.5]);
  });
});

describe("readingMessage", () => {
  it("takes the client message with a sequence field, else the one with the most fields", () => {
    expect(readingMessage(PROTOCOL)?.name).toBe("reading");
    const hello = {
      name: "hello",
      from: "client",
      format: "!B4s",
      fields: ["type", "id"],
      match: { type: 9 },
    };
    expect(readingMessage(protocolOf(hello, READING))?.name).toBe("reading");
    expect(readingMessage(protocolOf(hello, { ...READING, sequence: undefined }))?.name).toBe("reading");
  });
  it("is null without a client message", () => {
    // The descriptor refuses a protocol without a client message; a filtered one stands for it.
    const onlyReplies: Protocol = { messages: PROTOCOL.messages.filter((m) => m.from === "server") };
    expect(readingMessage(onlyReplies)).toBeNull();
  });
});

describe("probeValues", () => {
  it("uses match values, counts the sequence from k and varies the rest with k", () => {
    const reading = messageOf(PROTOCOL, "reading");
    expect(probeValues(reading, 0)).toEqual([1, 1, 0, 20.5, 20.5, 20.5, true]);
    expect(probeValues(reading, 2)).toEqual([1, 3, 2, 22.5, 22.5, 22.5, true]);
    expect(probeValues(reading, 1)).toEqual([1, 2, 1, 21.5, 21.5, 21.5, false]);
  });

  it("gives characters and byte strings of the declared sizes", () => {
    const protocol = protocolOf({
      name: "sample",
      from: "client",
      format: "<c4s5pdeq",
      fields: ["grade", "unit", "label", "value", "half", "counter"],
    });
    expect(probeValues(messageOf(protocol, "sample"), 0)).toEqual(["A", "S", "S", 20.5, 20.5, 1]);
  });

  it("keeps a match value even on the sequence field's type", () => {
    const protocol = protocolOf({
      name: "hello",
      from: "client",
      format: "!4sH",
      fields: ["magic", "seq"],
      sequence: "seq",
      match: { magic: "SENS" },
    });
    expect(probeValues(messageOf(protocol, "hello"), 5)).toEqual(["SENS", 5]);
  });
});

describe("probeConfig", () => {
  it("is base64 JSON with the reply's size and three readings, as bytes that decode", () => {
    const config = configOf(probeConfig(PROTOCOL, "udp", "127.0.0.1", 9001));
    expect(config).toMatchObject({ transport: "udp", host: "127.0.0.1", port: 9001, replySize: 6 });
    expect(config.readings).toHaveLength(3);
    config.readings.forEach((hex, k) => {
      const decoded = decodeMessage(PROTOCOL, "client", bytesOf(hex));
      expect(decoded).toMatchObject({ ok: true, decoded: { sequence: k, fields: { type: 1 } } });
    });
  });

  it("packs strings as bytes", () => {
    const protocol = protocolOf(
      {
        name: "hello",
        from: "client",
        format: "!4sHf?",
        fields: ["magic", "seq", "t", "alarm"],
        sequence: "seq",
        match: { magic: "SENS" },
      },
      REPLY,
    );
    const config = configOf(probeConfig(protocol, "tcp", "127.0.0.1", 9000));
    expect(unpack("!4sHf?", bytesOf(config.readings[1]!))).toEqual({
      ok: true,
      value: [new TextEncoder().encode("SENS"), 1, 21.5, false],
    });
  });

  it("builds a batch of one reading and a length-prefixed tail", () => {
    const protocol = protocolOf(
      {
        name: "batch",
        from: "client",
        format: "!BBH",
        fields: ["type", "n", "len"],
        repeat: { count: "n", format: "!If", fields: ["seq", "t"] },
        tail: { field: "place", length: "len", as: "text" },
        match: { type: 3 },
        sequence: "seq",
      },
      REPLY,
    );
    const hex = configOf(probeConfig(protocol, "udp", "127.0.0.1", 9000)).readings[2]!;
    const decoded = decodeMessage(protocol, "client", bytesOf(hex));
    expect(decoded).toMatchObject({
      ok: true,
      decoded: { fields: { type: 3, n: 1, len: 5, place: "probe" }, groups: [{ seq: 2, t: 22.5 }] },
    });
  });

  it("writes text readings into the pattern, with a line end over TCP", () => {
    const protocol = protocolOf(
      {
        name: "reading",
        from: "client",
        text: "S(?P<sensor>\\d+);seq=(?<seq>\\d+);T=(?<t>-?\\d+\\.\\d+);A=(?<alarm>True|False)",
        fields: { sensor: "int", seq: "int", t: "float", alarm: "bool" },
        sequence: "seq",
      },
      { name: "ok", from: "server", text: "OK (?<seq>\\d+)", fields: { seq: "int" } },
    );
    const config = configOf(probeConfig(protocol, "tcp", "127.0.0.1", 9000));
    expect(Buffer.from(config.readings[1]!, "hex").toString()).toBe("S2;seq=1;T=21.50;A=False\n");
    expect(config.replySize).toBe(1);
  });

  it("gives up on a text pattern it cannot write into", () => {
    const protocol = protocolOf({ name: "r", from: "client", text: "(a|b)+(?<t>\\d+)" });
    expect(probeConfig(protocol, "udp", "127.0.0.1", 9000)).toBeNull();
  });

  it("serialises JSON readings at their paths", () => {
    const protocol = protocolOf({
      name: "reading",
      from: "client",
      json: { type: "str", seq: "int", "data.t": "float", alarm: "bool" },
      match: { type: "reading" },
      sequence: "seq",
    });
    const config = configOf(probeConfig(protocol, "udp", "127.0.0.1", 9000));
    expect(JSON.parse(Buffer.from(config.readings[0]!, "hex").toString())).toEqual({
      type: "reading",
      seq: 0,
      data: { t: 20.5 },
      alarm: true,
    });
  });
});

describe("writeText", () => {
  it("writes a value into a group of plain alternatives, escaped separators kept as text", () => {
    const protocol = protocolOf({
      name: "r",
      from: "client",
      text: "ESTACIO=(?<station>\\d+)\\|N=(?<n>\\d+)\\|TEMP=(?<t>-?\\d+\\.\\d+)\\|PLUJA=(?<rain>si|no)",
      fields: { station: "int", n: "int", t: "float", rain: "str" },
      sequence: "n",
    });
    const config = configOf(probeConfig(protocol, "udp", "127.0.0.1", 9000));
    expect(Buffer.from(config.readings[2]!, "hex").toString()).toBe("ESTACIO=3|N=2|TEMP=22.50|PLUJA=si");
  });
});

describe("JSON lists", () => {
  it("sends one item in each list, nested where the dots say", () => {
    const protocol = protocolOf({
      name: "batch",
      from: "client",
      json: { type: "str", "data.readings[].seq": "int", "data.readings[].t": "float" },
      match: { type: "batch" },
      sequence: "data.readings[].seq",
    });
    const config = configOf(probeConfig(protocol, "udp", "127.0.0.1", 9000));
    const sent = Buffer.from(config.readings[1]!, "hex");
    expect(JSON.parse(sent.toString())).toEqual({ type: "batch", data: { readings: [{ seq: 1, t: 21.5 }] } });
    expect(decodeMessage(protocol, "client", new Uint8Array(sent))).toMatchObject({ ok: true });
  });
});

describe("a length-prefixed JSON reading", () => {
  it("writes the document and its length", () => {
    const protocol = protocolOf({
      name: "reading",
      from: "client",
      format: "!I",
      fields: ["len"],
      tail: { length: "len", json: { seq: "int", t: "float" } },
      sequence: "seq",
    });
    const bytes = bytesOf(configOf(probeConfig(protocol, "tcp", "127.0.0.1", 9000)).readings[1]!);
    const body = '{"seq":1,"t":21.5}';
    expect(new DataView(bytes.buffer).getUint32(0)).toBe(body.length);
    expect(Buffer.from(bytes.subarray(4)).toString()).toBe(body);
    expect(decodeMessage(protocol, "client", bytes)).toMatchObject({ ok: true, decoded: { sequence: 1 } });
  });
});
