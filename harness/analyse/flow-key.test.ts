import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildTcp, decodePacket, toRecord } from "../decode/index.ts";
import { type EndpointKey, endpointKey, PairIndex, PairMap } from "./flow-key.ts";

// IPv4 endpoints as endpointKey makes them: address × 65536 + port.
const LOOPBACK = 0x7f000001 * 65536;
// IPv6 endpoints as endpointKey makes them: the eight 16-bit groups and the port as UTF-16 code units.
const ipv6Key = (groups: number[], port: number) => String.fromCharCode(...groups, port);

describe("endpointKey", () => {
  it("tells IPv6 endpoints apart by every group and the port", () => {
    const key = (src: string, sport: number) =>
      endpointKey(
        decodePacket(toRecord(buildTcp({ src, dst: "::1", sport, dport: 80, seq: 0, flags: "S" }), 1, 0), 1),
        "src",
      );
    const keys = [
      key("::1", 1),
      key("::1", 2),
      key("::2", 1),
      key("1::1", 1),
      key("fe80::1:0", 1),
      key("fe80::1", 1),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(key("::1", 1)).toBe(key("0:0:0:0:0:0:0:1", 1));
  });

  it.each([
    ["IPv4", "127.0.0.1", "10.0.0.2", LOOPBACK + 41000, 0x0a000002 * 65536 + 80],
    [
      "IPv6",
      "::1",
      "fe80::2",
      ipv6Key([0, 0, 0, 0, 0, 0, 0, 1], 41000),
      ipv6Key([0xfe80, 0, 0, 0, 0, 0, 0, 2], 80),
    ],
  ] as const)("keys %s endpoints by address and port", (_what, src, dst, srcKey, dstKey) => {
    const bytes = buildTcp({ src, dst, sport: 41000, dport: 80, seq: 0, flags: "S" });
    const packet = decodePacket(toRecord(bytes, 1, 0), 1);
    expect(endpointKey(packet, "src")).toBe(srcKey);
    expect(endpointKey(packet, "dst")).toBe(dstKey);
  });
});

describe("PairMap", () => {
  it("finds a pair in either order, and not a pair that shares one endpoint", () => {
    const map = new PairMap<string>();
    map.set(LOOPBACK + 41000, LOOPBACK + 65432, "a");
    map.set("::1 41000", "::1 65432", "b");
    expect(map.get(LOOPBACK + 65432, LOOPBACK + 41000)).toBe("a");
    expect(map.get("::1 65432", "::1 41000")).toBe("b");
    expect(map.get(LOOPBACK + 41001, LOOPBACK + 65432)).toBeUndefined();
    expect(map.get("::1 41001", "::1 65432")).toBeUndefined();
    expect(map.size).toBe(2);
  });

  it("replaces a value in place and forgets a deleted pair", () => {
    const map = new PairMap<string>();
    map.set(1, 2, "old");
    map.set(2, 1, "new");
    expect(map.size).toBe(1);
    expect(map.get(1, 2)).toBe("new");
    map.delete(2, 1);
    map.delete(2, 1);
    expect(map.get(1, 2)).toBeUndefined();
    expect(map.size).toBe(0);
    expect([...map.values()]).toEqual([]);
  });

  // Operations on a few endpoints (so that pairs repeat, collide and are deleted and set again) checked
  // against a Map keyed by the ordered pair; enough of them to make the table grow and rebuild. Both ends
  // of a pair are of one kind, as in a packet (IPv4 numbers or IPv6 text).
  const numberEndpoint = fc.oneof(
    fc.integer({ min: 0, max: 40 }).map((port) => LOOPBACK + port),
    fc.integer({ min: 0, max: 3 }).map((n) => 0xffffffff * 65536 + 65535 - n),
  );
  const textEndpoint = fc.integer({ min: 0, max: 5 }).map((port) => `::1 ${port}`);
  const operation = fc.record({
    kind: fc.constantFrom("set", "set", "delete"),
    pair: fc.oneof(fc.tuple(numberEndpoint, numberEndpoint), fc.tuple(textEndpoint, textEndpoint)),
    value: fc.integer(),
  });

  it("agrees with a plain Map on any sequence of set and delete", () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 400 }), (operations) => {
        const map = new PairMap<number>();
        const reference = new Map<string, number>();
        const name = (a: EndpointKey, b: EndpointKey) => (a < b ? `${a}|${b}` : `${b}|${a}`);
        for (const { kind, pair, value } of operations) {
          const [a, b] = pair;
          if (kind === "set") {
            map.set(a, b, value);
            reference.set(name(a, b), value);
          } else {
            map.delete(a, b);
            reference.delete(name(a, b));
          }
          expect(map.get(b, a)).toBe(reference.get(name(a, b)));
        }
        expect(map.size).toBe(reference.size);
        expect([...map.values()].sort()).toEqual([...reference.values()].sort());
      }),
    );
  });
});

describe("PairIndex", () => {
  it("finds a pair's integer in either order, and −1 for a pair never set", () => {
    const index = new PairIndex();
    const a = LOOPBACK + 40000;
    const b = LOOPBACK + 5005;
    index.set(a, b, 7);
    expect(index.get(a, b)).toBe(7);
    expect(index.get(b, a)).toBe(7);
    expect(index.get(a, a)).toBe(-1);
    index.set(b, a, 9);
    expect([index.get(a, b), index.size]).toEqual([9, 1]);
    const v6a = ipv6Key([0, 0, 0, 0, 0, 0, 0, 1], 40000);
    const v6b = ipv6Key([0, 0, 0, 0, 0, 0, 0, 1], 5005);
    index.set(v6a, v6b, 3);
    expect([index.get(v6b, v6a), index.get(v6a, v6a), index.size]).toEqual([3, -1, 2]);
  });

  it("keeps every pair as it grows, as a Map of the same pairs does", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(70), fc.nat(70), fc.nat(1000)), { maxLength: 300 }), (sets) => {
        const index = new PairIndex();
        const model = new Map<string, number>();
        const name = (x: number, y: number) => (x < y ? `${x}-${y}` : `${y}-${x}`);
        for (const [x, y, value] of sets) {
          index.set(LOOPBACK + x, LOOPBACK + y, value);
          model.set(name(x, y), value);
        }
        for (let x = 0; x <= 70; x++)
          for (let y = 0; y <= 70; y++)
            expect(index.get(LOOPBACK + x, LOOPBACK + y)).toBe(model.get(name(x, y)) ?? -1);
        expect(index.size).toBe(model.size);
      }),
      { numRuns: 30 },
    );
  });
});
