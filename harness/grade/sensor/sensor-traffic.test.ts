import { describe, expect, it } from "vitest";
import { analysePackets, T0, TcpScript } from "../../../test/support/analyse-scenarios.ts";
import type { PcapPacket } from "../../capture/index.ts";
import { buildUdp } from "../../decode/index.ts";
import { checkProtocol, type Protocol, pack, type StructValue } from "../../protocol/index.ts";
import { controlNames, sensorTraffic, type TimedMessage, writeSizeMismatch } from "./sensor-traffic.ts";

// The reference protocol: a 20-byte reading (type 1) and a 6-byte reply (type 2), both numbered by `seq`.
function referenceProtocol(): Protocol {
  const checked = checkProtocol({
    protocol: {
      messages: [
        {
          name: "reading",
          from: "client",
          format: "!BHIfff?",
          fields: ["type", "sensor", "seq", "temperature", "humidity", "pressure", "alarm"],
          sequence: "seq",
          match: { type: 1 },
        },
        {
          name: "reply",
          from: "server",
          format: "!BI?",
          fields: ["type", "seq", "ok"],
          sequence: "seq",
          match: { type: 2 },
        },
      ],
    },
  });
  if (!checked.ok) throw new Error(checked.problems.map((p) => `${p.path}: ${p.message}`).join("; "));
  return checked.protocol;
}

const PROTOCOL = referenceProtocol();

function packed(format: string, values: StructValue[]): Uint8Array {
  const result = pack(format, values);
  if (!result.ok) throw new Error(result.problem.message);
  return result.value;
}

const reading = (seq: number, temperature = 21.5) =>
  packed("!BHIfff?", [1, 7, seq, temperature, 40.25, 1013.5, false]);
const reply = (seq: number) => packed("!BI?", [2, seq, true]);
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

function datagram(fromClient: boolean, payload: Uint8Array, timeUs: number): PcapPacket {
  const [sport, dport] = fromClient ? [41000, 9001] : [9001, 41000];
  return { timeUs, data: buildUdp({ src: "127.0.0.1", dst: "127.0.0.1", sport, dport, payload }) };
}

describe("sensorTraffic over TCP", () => {
  it("cuts the stream into messages, each with the packet that carried its last byte", () => {
    const r0 = reading(0);
    const t = new TcpScript({ serverPort: 9000 })
      .handshake() // 1-3
      .c("P.", { payload: r0.subarray(0, 8), dt: 1000 }) // 4: first 8 bytes of reading 0
      .c("P.", { payload: r0.subarray(8), dt: 1000 }) // 5: the rest of reading 0
      .s("P.", { payload: reply(0), dt: 1000 }) // 6
      .c("P.", { payload: concat(reading(1), reading(2)), dt: 1000 }) // 7: readings 1 and 2 coalesced
      .s("P.", { payload: concat(reply(1), reply(2)), dt: 1000 }); // 8
    const traffic = sensorTraffic(analysePackets(t.packets).conversations, PROTOCOL, T0);
    expect(traffic.problems).toEqual([]);
    expect(traffic.conversations).toEqual([0]);
    expect(traffic.readings.map((m) => [m.name, m.sequence, m.packet, m.offset])).toEqual([
      ["reading", 0, 5, 0],
      ["reading", 1, 7, 20],
      ["reading", 2, 7, 40],
    ]);
    expect(traffic.replies.map((m) => [m.name, m.sequence, m.packet, m.offset])).toEqual([
      ["reply", 0, 6, 0],
      ["reply", 1, 8, 6],
      ["reply", 2, 8, 12],
    ]);
    const first = traffic.readings[0]!;
    expect(first).toMatchObject({ from: "client", conversation: 0, timeUs: T0 + 300 + 2000 });
    expect(first.relativeSeconds).toBeCloseTo(0.0023, 9);
    expect(first.fields).toEqual({
      type: 1,
      sensor: 7,
      seq: 0,
      temperature: 21.5,
      humidity: 40.25,
      pressure: 1013.5,
      alarm: false,
    });
    expect(first.values).toEqual([1, 7, 0, 21.5, 40.25, 1013.5, false]);
    expect([...first.bytes]).toEqual([...r0]);
  });

  it("maps messages to their packets when the capture starts after the handshake", () => {
    // No SYN seen: the analysis still numbers the first data byte 1 (baseSeq = first seq − 1).
    const r0 = reading(0);
    const t = new TcpScript({ serverPort: 9000 })
      .c("P.", { payload: r0.subarray(0, 19) }) // 1
      .c("P.", { payload: r0.subarray(19) }) // 2: the reading's last byte alone
      .s("P.", { payload: reply(0) }) // 3
      .c("P.", { payload: new TextEncoder().encode("junk") }); // 4
    const traffic = sensorTraffic(analysePackets(t.packets).conversations, PROTOCOL, T0);
    expect(traffic.readings.map((m) => [m.sequence, m.packet])).toEqual([[0, 2]]);
    expect(traffic.replies.map((m) => [m.sequence, m.packet])).toEqual([[0, 3]]);
    expect(traffic.problems).toMatchObject([{ from: "client", offset: 20, packet: 4 }]);
  });

  it("reports a stream that ends mid-message as incomplete, at its offset and packet", () => {
    const t = new TcpScript({ serverPort: 9000 })
      .handshake()
      .c("P.", { payload: reading(0) }) // 4
      .c("P.", { payload: reading(1).subarray(0, 7) }); // 5
    const traffic = sensorTraffic(analysePackets(t.packets).conversations, PROTOCOL, T0);
    expect(traffic.readings.map((m) => m.sequence)).toEqual([0]);
    expect(traffic.problems).toEqual([
      {
        from: "client",
        conversation: 0,
        packet: 5,
        offset: 20,
        length: 7,
        message: "the stream ends 7 bytes into a message (bytes 20..)",
        incomplete: true,
      },
    ]);
  });

  it("reports bytes that start no message as garbage, not incomplete", () => {
    const t = new TcpScript({ serverPort: 9000 })
      .handshake()
      .c("P.", { payload: reading(0) }) // 4
      .c("P.", { payload: concat(reading(1), new TextEncoder().encode("hello")) }) // 5
      .s("P.", { payload: reply(0) }) // 6
      .s("P.", { payload: new TextEncoder().encode("OK\n") }); // 7
    const traffic = sensorTraffic(analysePackets(t.packets).conversations, PROTOCOL, T0);
    expect(traffic.readings.map((m) => m.sequence)).toEqual([0, 1]);
    expect(traffic.replies.map((m) => m.sequence)).toEqual([0]);
    expect(traffic.problems).toHaveLength(2);
    expect(traffic.problems[0]).toMatchObject({
      from: "client",
      packet: 5,
      offset: 40,
      length: 5,
      incomplete: false,
    });
    expect(traffic.problems[0]!.message).toContain("bytes 40.. from the client start no message");
    expect(traffic.problems[1]).toMatchObject({
      from: "server",
      packet: 7,
      offset: 6,
      length: 3,
      incomplete: false,
    });
  });

  it("takes the first transmission's packet when a segment is retransmitted", () => {
    const t = new TcpScript({ serverPort: 9000 })
      .handshake()
      .c("P.", { payload: reading(0) }) // 4
      .c("P.", { rel: 1, payload: reading(0), dt: 200_000 }); // 5: retransmission
    const traffic = sensorTraffic(analysePackets(t.packets).conversations, PROTOCOL, T0);
    expect(traffic.readings.map((m) => [m.sequence, m.packet])).toEqual([[0, 4]]);
    expect(traffic.problems).toEqual([]);
  });
});

describe("sensorTraffic over UDP", () => {
  it("decodes each datagram as one message, with its packet and time", () => {
    const packets = [
      datagram(true, reading(0), T0), // 1
      datagram(false, reply(0), T0 + 500), // 2
      datagram(true, reading(1, 22), T0 + 200_000), // 3
      datagram(false, reply(1), T0 + 200_400), // 4
    ];
    const traffic = sensorTraffic(analysePackets(packets).conversations, PROTOCOL, T0);
    expect(traffic.problems).toEqual([]);
    expect(traffic.readings.map((m) => [m.sequence, m.packet, m.offset, m.relativeSeconds])).toEqual([
      [0, 1, 0, 0],
      [1, 3, 0, 0.2],
    ]);
    expect(traffic.readings[1]!.fields.temperature).toBe(22);
    expect(traffic.replies.map((m) => [m.sequence, m.packet, m.fields.ok])).toEqual([
      [0, 2, true],
      [1, 4, true],
    ]);
  });

  it("names the packet of a datagram that is no message", () => {
    const packets = [
      datagram(true, reading(0), T0), // 1
      datagram(true, reading(1).subarray(0, 12), T0 + 1000), // 2: truncated
      datagram(false, packed("!BI?", [9, 0, true]), T0 + 2000), // 3: reply size, wrong type
    ];
    const traffic = sensorTraffic(analysePackets(packets).conversations, PROTOCOL, T0);
    expect(traffic.readings.map((m) => m.packet)).toEqual([1]);
    expect(traffic.replies).toEqual([]);
    expect(traffic.problems).toEqual([
      {
        from: "client",
        conversation: 0,
        packet: 2,
        offset: 0,
        length: 12,
        message: 'no client message is 12 bytes long ("reading" is 20)',
        incomplete: false,
      },
      {
        from: "server",
        conversation: 0,
        packet: 3,
        offset: 0,
        length: 6,
        message: expect.stringContaining("fit the size of"),
        incomplete: false,
      },
    ]);
  });
});

describe("sensorTraffic", () => {
  it("reads nothing without a protocol", () => {
    const packets = [datagram(true, reading(0), T0)];
    expect(sensorTraffic(analysePackets(packets).conversations, null, T0)).toEqual({
      readings: [],
      replies: [],
      controls: [],
      problems: [],
      conversations: [],
    });
  });

  it("merges conversations in time order", () => {
    const a = new TcpScript({ serverPort: 9000, clientPort: 41000, startUs: T0 });
    const b = new TcpScript({ serverPort: 9000, clientPort: 41001, startUs: T0 + 50, packets: a.packets });
    a.handshake(); // 1-3, T0+100..300
    b.handshake(); // 4-6, T0+150..350
    a.c("P.", { payload: reading(0), dt: 1000 }); // 7 at T0+1300
    b.c("P.", { payload: reading(0), dt: 500 }); // 8 at T0+850
    const packets = [...a.packets].sort((x, y) => x.timeUs - y.timeUs);
    const traffic = sensorTraffic(analysePackets(packets).conversations, PROTOCOL, T0);
    expect(traffic.conversations).toEqual([0, 1]);
    expect(traffic.readings.map((m) => [m.conversation, m.timeUs - T0])).toEqual([
      [1, 850],
      [0, 1300],
    ]);
  });
});

describe("writeSizeMismatch", () => {
  const rows = (...sizes: number[]) => sizes.map((payloadLength, i) => ({ payloadLength, number: i + 4 }));
  const eight = (() => {
    const checked = checkProtocol({
      protocol: {
        messages: [
          { name: "reading", from: "client", format: "!II", fields: ["seq", "value"], sequence: "seq" },
        ],
      },
    });
    if (!checked.ok) throw new Error("bad protocol");
    return checked.protocol;
  })();

  it("names writes of one size that does not fit the declared reading, even when the total divides", () => {
    expect(writeSizeMismatch(eight, rows(12, 12, 12, 12))).toMatchObject({
      size: 12,
      packet: 4,
      message: expect.stringContaining(
        'the client writes 12 bytes at a time (4 of its 4 segments), but "reading" is declared as 8 bytes',
      ),
    });
  });

  it.each([
    ["readings of the declared size", [8, 8, 8, 8]],
    ["two readings per write", [16, 16, 16]],
    ["a reading in two equal writes", [4, 4, 4, 4, 4, 4]],
    ["a header and a body", [3, 5, 3, 5, 3, 5]],
    ["too few segments to tell", [12, 12]],
  ])("accepts %s", (_, sizes) => {
    expect(writeSizeMismatch(eight, rows(...sizes))).toBeNull();
  });
});

describe("controlNames", () => {
  const message = (name: string, conversation: number, sequence?: number) =>
    ({ name, conversation, ...(sequence === undefined ? {} : { sequence }) }) as unknown as TimedMessage;
  const many = (name: string, n: number, conversation = 1) =>
    Array.from({ length: n }, (_, i) => message(name, conversation, i));

  it("takes a message sent once per connection beside repeated readings for a control message", () => {
    expect(controlNames([message("hello", 1), ...many("reading", 5), message("bye", 1)])).toEqual(
      new Set(["hello", "bye"]),
    );
  });

  it.each([
    ["a message repeated in a connection", [message("hello", 1), message("hello", 1), ...many("reading", 5)]],
    ["too few readings to tell", [message("hello", 1), ...many("reading", 2)]],
    ["the only kind of message", [message("reading", 1), message("reading", 2)]],
  ])("keeps %s among the readings", (_, messages) => {
    expect(controlNames(messages)).toEqual(new Set());
  });
});
