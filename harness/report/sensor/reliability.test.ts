import { describe, expect, it } from "vitest";
import { LOSSY_LOG } from "../../../test/support/sensor-fixtures.ts";
import { priceOfReliability } from "./reliability.ts";

describe("priceOfReliability", () => {
  it("counts what reliability cost on the lossy link", () => {
    const { data, markdown } = priceOfReliability(LOSSY_LOG, 3);
    expect(data).toEqual({
      readings: 3,
      datagramsSent: 8,
      extraDatagrams: 5,
      retransmissions: 3,
      replies: 4,
      repeatedReplies: 2,
      duplicatedByLink: { c2s: 1, s2c: 0 },
      droppedByLink: { c2s: 2, s2c: 1 },
      heldByLink: { c2s: 1, s2c: 0 },
      payloadBytes: { c2s: 145, s2c: 32 },
      extraPayloadBytes: 76,
    });
    expect(markdown).toContain("| datagrams sent | 8 | 4 |");
    expect(markdown).toContain("| dropped by the link | 2 | 1 |");
    expect(markdown).toContain(
      "3 unique readings took 8 datagrams from the client (2.67 per reading, 5 extra)",
    );
    expect(markdown).toContain("76 extra payload bytes");
  });

  it("costs nothing extra over a perfect link", () => {
    const log = LOSSY_LOG.filter((e) => e.k === 1).map((e) => ({ ...e }));
    const { data } = priceOfReliability(log, 1);
    expect(data.extraDatagrams).toBe(0);
    expect(data.retransmissions).toBe(0);
    expect(data.extraPayloadBytes).toBe(0);
    expect(data.droppedByLink).toEqual({ c2s: 0, s2c: 0 });
  });

  it("says – per reading when none got through", () => {
    expect(priceOfReliability([], 0).markdown).toContain("(– per reading");
  });
});
