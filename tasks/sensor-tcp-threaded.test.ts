import { describe, expect, it } from "vitest";
import type { SensorTraffic, TimedMessage } from "../harness/grade/index.ts";
import { replySpans } from "./sensor-tcp-threaded.ts";

/** A reply of `conversation` at `timeUs` (only the fields replySpans reads matter). */
function replyAt(conversation: number, timeUs: number, seq: number): TimedMessage {
  return {
    name: "reply",
    from: "server",
    conversation,
    packet: 0,
    timeUs,
    groups: [],
    relativeSeconds: 0,
    offset: seq * 6,
    bytes: new Uint8Array(6),
    values: [2, seq, true],
    fields: { type: 2, seq, ok: true },
    sequence: seq,
  };
}

function trafficOf(conversations: number[], replies: TimedMessage[]): SensorTraffic {
  return { readings: [], replies, controls: [], problems: [], conversations };
}

describe("replySpans", () => {
  it("gives each connection's first and last reply time, in connection order", () => {
    const traffic = trafficOf(
      [0, 1, 2],
      [
        replyAt(1, 1_050, 0),
        replyAt(0, 1_000, 0),
        replyAt(2, 1_100, 0),
        replyAt(0, 201_000, 1),
        replyAt(1, 201_050, 1),
        replyAt(0, 401_000, 2),
      ],
    );
    expect(replySpans(traffic)).toEqual([
      { conversation: 0, firstUs: 1_000, lastUs: 401_000 },
      { conversation: 1, firstUs: 1_050, lastUs: 201_050 },
      { conversation: 2, firstUs: 1_100, lastUs: 1_100 },
    ]);
  });

  it("takes the earliest and latest even when replies are not in time order", () => {
    const traffic = trafficOf([0], [replyAt(0, 500, 2), replyAt(0, 100, 0), replyAt(0, 300, 1)]);
    expect(replySpans(traffic)).toEqual([{ conversation: 0, firstUs: 100, lastUs: 500 }]);
  });

  it("leaves out connections with no reply", () => {
    expect(replySpans(trafficOf([0, 1], [replyAt(1, 7, 0)]))).toEqual([
      { conversation: 1, firstUs: 7, lastUs: 7 },
    ]);
    expect(replySpans(trafficOf([0, 1], []))).toEqual([]);
  });
});
