import { describe, expect, it } from "vitest";
import { icmpError } from "../../test/support/analyse-scenarios.ts";
import { buildUdp, decodePacket, toRecord } from "../decode/index.ts";
import { isMarker, isMarkerIcmp } from "./marker.ts";

const decode = (bytes: Uint8Array) => decodePacket(toRecord(bytes, 1, 1_700_000_000_000_000), 1);
const marker = (dport = 9, payload = "GRADER-END-4f2a9c") =>
  buildUdp({ src: "127.0.0.1", dst: "127.0.0.1", sport: 44593, dport, payload });

describe("capture-barrier marker", () => {
  it("recognises the marker datagram", () => {
    expect(isMarker(decode(marker()))).toBe(true);
  });

  it.each([
    ["another port", marker(5005)],
    ["another payload", marker(9, "hello")],
  ])("does not take a datagram to %s for the marker", (_what, bytes) => {
    expect(isMarker(decode(bytes))).toBe(false);
  });

  it("recognises the port-unreachable it triggers, with a long or a short quote", () => {
    expect(isMarkerIcmp(decode(icmpError(marker())))).toBe(true);
    expect(isMarkerIcmp(decode(icmpError(marker(), 3, 3, 28)))).toBe(true);
  });

  it.each([
    ["another ICMP error", icmpError(marker(), 3, 1)],
    ["a port-unreachable for another port", icmpError(marker(5005))],
    ["a port-unreachable for another payload", icmpError(marker(9, "not the marker at all"))],
  ])("does not take %s for the marker's", (_what, bytes) => {
    expect(isMarkerIcmp(decode(bytes))).toBe(false);
  });
});
