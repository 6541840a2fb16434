import { describe, expect, it } from "vitest";
import {
  checkProtocol,
  decodeMessage,
  type Protocol,
  type ProtocolMessage,
  pack,
  unpack,
} from "../../protocol/index.ts";
import { probeConfig, probeValues, readingMessage } from "./probe-readings.ts";

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
  format: string;
  replySize: number;
  readings: (number | boolean | string)[][];
}

const configOf = (base64: string | null): ProbeJson => {
  if (base64 === null) throw new Error("no probe configuration");
  return JSON.parse(Buffer.from(base64, "base64").toString("utf8")) as ProbeJson;
};

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
    expect(probeValues(messageOf(protocol, "sample"), 0)).toEqual(["A", "SSSS", "PPPP", 20.5, 20.5, 1]);
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
  it("is base64 JSON with the reading's format, the reply's size and three readings that pack", () => {
    const config = configOf(probeConfig(PROTOCOL, "udp", "127.0.0.1", 9001));
    expect(config).toMatchObject({
      transport: "udp",
      host: "127.0.0.1",
      port: 9001,
      format: "!BHIfff?",
      replySize: 6,
    });
    expect(config.readings).toHaveLength(3);
    config.readings.forEach((values, k) => {
      const bytes = pack(config.format, values as (number | boolean)[]);
      if (!bytes.ok) throw new Error(bytes.problem.message);
      const decoded = decodeMessage(PROTOCOL, "client", bytes.value);
      expect(decoded).toMatchObject({ ok: true, decoded: { sequence: k, fields: { type: 1 } } });
    });
  });

  it("carries strings the probe packs as latin-1 bytes", () => {
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
    expect(config.readings[1]).toEqual(["SENS", 1, 21.5, false]);
    const values = config.readings[1]!.map((v) => (typeof v === "string" ? new TextEncoder().encode(v) : v));
    const bytes = pack(config.format, values);
    expect(bytes.ok && unpack(config.format, bytes.value)).toEqual({
      ok: true,
      value: [new TextEncoder().encode("SENS"), 1, 21.5, false],
    });
  });

  it("has replySize 0 without a reply message, and is null without a reading message", () => {
    expect(configOf(probeConfig(protocolOf(READING), "tcp", "127.0.0.1", 9000)).replySize).toBe(0);
    const onlyReplies: Protocol = { messages: PROTOCOL.messages.filter((m) => m.from === "server") };
    expect(probeConfig(onlyReplies, "tcp", "127.0.0.1", 9000)).toBeNull();
  });
});
