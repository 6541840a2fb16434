import { describe, expect, it } from "vitest";
import {
  buildFragments,
  buildTcp,
  buildUdp,
  createIpReassembler,
  type DecodedPacket,
  decodePacket,
  fragmentPieces,
  toRecord,
} from "../decode/index.ts";
import { addFrame, addPacket, createCounter, toBucket } from "./overhead.ts";

const decode = (bytes: Uint8Array, originalLength = bytes.length) =>
  decodePacket({ ...toRecord(bytes, 1, 1_700_000_000_000_000), originalLength }, 1);

describe("overhead", () => {
  it.each([
    [
      "UDP/IPv4 datagram",
      buildUdp({ src: "127.0.0.1", dst: "127.0.0.1", sport: 1, dport: 2, payload: "12345" }),
      [14, 20, 8, 5, 0],
    ],
    [
      "UDP/IPv6 datagram",
      buildUdp({ src: "::1", dst: "::1", sport: 1, dport: 2, payload: "12345" }),
      [14, 40, 8, 5, 0],
    ],
    [
      "TCP SYN with Linux options",
      buildTcp({
        src: "127.0.0.1",
        dst: "127.0.0.1",
        sport: 1,
        dport: 2,
        seq: 0,
        flags: "S",
        options: { mss: 65495, sackPermitted: true, timestamp: [1, 0], windowScale: 7 },
      }),
      [14, 20, 40, 0, 0],
    ],
  ] as const)("splits a %s into its layers", (_what, bytes, [link, network, transport, payload, trailer]) => {
    const counter = createCounter();
    addPacket(counter, decode(bytes));
    expect(counter).toEqual({ packets: 1, link, network, transport, payload, trailer });
  });

  it("counts Ethernet padding after the IP packet as trailer", () => {
    const small = buildUdp({ src: "127.0.0.1", dst: "127.0.0.1", sport: 1, dport: 2, payload: "x" });
    const padded = new Uint8Array(60);
    padded.set(small);
    const counter = createCounter();
    addPacket(counter, decode(padded));
    expect(counter).toMatchObject({ link: 14, network: 20, transport: 8, payload: 1, trailer: 17 });
    expect(toBucket(counter).total).toBe(60);
  });

  it("never counts more than the frame when the IP length claims too much", () => {
    const bytes = buildUdp({
      src: "127.0.0.1",
      dst: "127.0.0.1",
      sport: 1,
      dport: 2,
      payload: "x".repeat(100),
    });
    const cut = bytes.subarray(0, 60);
    const counter = createCounter();
    addPacket(counter, decode(cut, 60));
    expect(toBucket(counter).total).toBe(60);
  });

  it("sums parts and gives the header-to-payload ratio", () => {
    const counter = { packets: 2, link: 28, network: 40, transport: 16, payload: 42, trailer: 0 };
    expect(toBucket(counter)).toEqual({ ...counter, total: 126, headers: 84, ratio: 2 });
    expect(toBucket(createCounter()).ratio).toBeNull();
  });
});

describe("overhead of a datagram reassembled from IP fragments", () => {
  it("sums every fragment frame's link and IP headers, the first one's UDP header and all the data", () => {
    const whole = buildUdp({
      src: "127.0.0.1",
      dst: "127.0.0.2",
      sport: 1,
      dport: 2,
      payload: "x".repeat(3000),
    });
    const frames = buildFragments(whole, "ethernet", 1, fragmentPieces(3008, 1480));
    const reassembler = createIpReassembler();
    let shown: DecodedPacket | undefined;
    frames.forEach((data, i) => {
      shown = reassembler.add(decodePacket(toRecord(data, i + 1, 1_700_000_000_000_000), 1));
    });
    const counter = createCounter();
    addPacket(counter, shown!);
    expect(toBucket(counter)).toMatchObject({
      packets: 3,
      link: 3 * 14,
      network: 3 * 20,
      transport: 8,
      payload: 3000,
      trailer: 0,
      total: frames.reduce((n, f) => n + f.length, 0),
    });
  });

  it("counts a fragment frame on its own with addFrame", () => {
    const counter = createCounter();
    addFrame(counter, {
      number: 1,
      timeUs: 0,
      frameLength: 64,
      linkHeaderLength: 14,
      networkHeaderLength: 20,
      transportHeaderLength: 0,
      payloadLength: 24,
    });
    expect(toBucket(counter)).toMatchObject({
      packets: 1,
      link: 14,
      network: 20,
      payload: 24,
      trailer: 6,
      total: 64,
    });
  });
});
