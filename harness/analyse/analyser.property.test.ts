// Random TCP and UDP traffic between a few endpoints: the analyser never throws and its invariants hold
// whatever the packets say (flags, sequence numbers near the 2^32 wrap, resends, snap-length cuts).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analysePackets, T0 } from "../../test/support/analyse-scenarios.ts";
import { buildTcp, buildUdp } from "../decode/index.ts";

const FLAGS = ["S", "S.", ".", "P.", "F.", "R", "R.", "FP.", "SF", "U."] as const;
const segment = fc.record({
  fromClient: fc.boolean(),
  port: fc.constantFrom(41000, 41001),
  flags: fc.constantFrom(...FLAGS),
  seq: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0xffffff00, max: 0xffffffff })),
  ack: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0xffffff00, max: 0xffffffff })),
  length: fc.integer({ min: 0, max: 40 }),
  window: fc.constantFrom(0, 1, 512, 65535),
  udp: fc.boolean(),
  cut: fc.boolean(),
  dt: fc.integer({ min: 0, max: 5000 }),
});

describe("analyser on random traffic", () => {
  it("never throws, and every overhead bucket adds up to the frames", () => {
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 60 }), (segments) => {
        let time = T0;
        const packets = segments.map((s) => {
          time += s.dt;
          const [src, dst, sport, dport] = s.fromClient
            ? ["127.0.0.1", "127.0.0.1", s.port, 5000]
            : ["127.0.0.1", "127.0.0.1", 5000, s.port];
          const payload = new Uint8Array(s.length).fill(0x61);
          const data = s.udp
            ? buildUdp({ src, dst, sport, dport, payload })
            : buildTcp({
                src,
                dst,
                sport,
                dport,
                seq: s.seq,
                ack: s.ack,
                flags: s.flags,
                window: s.window,
                payload,
              });
          const kept = s.cut && data.length > 60 ? data.subarray(0, 60) : data;
          return { timeUs: time, data: kept, originalLength: data.length };
        });
        const analysis = analysePackets(packets);
        expect(analysis.overhead.total.total).toBe(analysis.capture.bytes);
        const sum = analysis.conversations.reduce((n, c) => n + c.overhead.total.total, 0);
        expect(sum + analysis.overhead.ignored.total).toBe(analysis.capture.bytes);
        for (const c of analysis.conversations) {
          if (c.protocol !== "tcp") continue;
          for (const d of [c.c2s, c.s2c]) {
            expect(d.uniqueBytes + d.retransmittedBytes).toBe(d.payloadBytes);
            expect(d.stream.length).toBeLessThanOrEqual(d.uniqueBytes);
            expect(d.acked.unackedBytes).toBeGreaterThanOrEqual(0);
          }
          expect(c.timeline).toHaveLength(c.packets);
        }
        expect(JSON.parse(JSON.stringify(analysis))).toEqual(analysis);
      }),
      { numRuns: 300 },
    );
  });
});
