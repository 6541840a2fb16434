import { describe, expect, test } from "vitest";
import { TcpView, tcpOptionName } from "./tcp.ts";

const bytes = (...parts: number[][]) => Uint8Array.from(parts.flat());

// The fixed part of a header with data offset `words` and flags byte `flags`.
function fixed(words: number, flags: number, nsBit = 0): number[][] {
  return [
    [0xa1, 0x12] /* 0: source port 41234 */,
    [0xff, 0x98] /* 2: destination port 65432 */,
    [0x00, 0x00, 0x00, 0x7b] /* 4: sequence number 123 */,
    [0xff, 0xff, 0xff, 0xff] /* 8: acknowledgement number 2^32 − 1 */,
    [(words << 4) | nsBit] /* 12: data offset, reserved, NS */,
    [flags] /* 13: CWR ECE URG ACK PSH RST SYN FIN */,
    [0xff, 0xcb] /* 14: window 65483 */,
    [0xab, 0xcd] /* 16: checksum */,
    [0x00, 0x05] /* 18: urgent pointer */,
  ];
}

// Linux's SYN-ACK options: MSS 65495, SACK permitted, timestamps 1/0, NOP, window scale 7 (20 bytes).
const LINUX_SYN_OPTIONS = [
  [0x02, 0x04, 0xff, 0xd7] /* MSS 65495 */,
  [0x04, 0x02] /* SACK permitted */,
  [0x08, 0x0a, 0, 0, 0, 1, 0, 0, 0, 0] /* timestamps val 1 ecr 0 */,
  [0x01] /* NOP */,
  [0x03, 0x03, 0x07] /* window scale 7 */,
];

function decoded(data: Uint8Array, segmentLength = data.length): TcpView {
  const tcp = TcpView.decode(data, 0, segmentLength);
  if (!(tcp instanceof TcpView)) throw new Error(tcp.message);
  return tcp;
}

describe("TCP headers that decode", () => {
  test("every field of a SYN-ACK with Linux's options", () => {
    const tcp = decoded(bytes(...fixed(10, 0x12), ...LINUX_SYN_OPTIONS));
    expect({
      protocol: tcp.protocol,
      srcPort: tcp.srcPort,
      dstPort: tcp.dstPort,
      seq: tcp.seq,
      ack: tcp.ack,
      headerLength: tcp.headerLength,
      flags: tcp.flags,
      syn: tcp.syn,
      ackFlag: tcp.ackFlag,
      fin: tcp.fin,
      window: tcp.window,
      checksum: tcp.checksum,
      urgentPointer: tcp.urgentPointer,
      problem: tcp.problem,
    }).toEqual({
      protocol: "tcp",
      srcPort: 41234,
      dstPort: 65432,
      seq: 123,
      ack: 0xffffffff,
      headerLength: 40,
      flags: 0x12,
      syn: true,
      ackFlag: true,
      fin: false,
      window: 65483,
      checksum: 0xabcd,
      urgentPointer: 5,
      problem: undefined,
    });
    expect(tcp.options).toEqual({
      mss: 65495,
      sackPermitted: true,
      timestamp: { value: 1, echo: 0 },
      windowScale: 7,
      sack: [],
      kinds: [2, 4, 8, 1, 3],
    });
    expect(tcp.options).toBe(tcp.options); // parsed once
  });

  test.each([
    ["FIN", 0x01, "fin"],
    ["SYN", 0x02, "syn"],
    ["RST", 0x04, "rst"],
    ["PSH", 0x08, "psh"],
    ["ACK", 0x10, "ackFlag"],
    ["URG", 0x20, "urg"],
    ["ECE", 0x40, "ece"],
    ["CWR", 0x80, "cwr"],
  ] as const)("flag %s", (_name, bit, getter) => {
    const tcp = decoded(bytes(...fixed(5, bit)));
    expect(tcp.flags).toBe(bit);
    expect(tcp[getter]).toBe(true);
    expect(
      [tcp.fin, tcp.syn, tcp.rst, tcp.psh, tcp.ackFlag, tcp.urg, tcp.ece, tcp.cwr].filter(Boolean),
    ).toHaveLength(1);
  });

  test("NS is bit 0x100", () => {
    expect(decoded(bytes(...fixed(5, 0x10, 1))).flags).toBe(0x110);
  });

  test("SACK blocks, and EOL ends the options", () => {
    const tcp = decoded(
      bytes(
        ...fixed(11, 0x10),
        [0x01, 0x01, 0x05, 0x12] /* NOP, NOP, SACK with 2 blocks (2 + 16 bytes) */,
        [0, 0, 0, 10, 0, 0, 0, 20] /* block [10, 20) */,
        [0xff, 0xff, 0xff, 0xf0, 0, 0, 0, 4] /* block across the wrap */,
        [0x00] /* EOL */,
        [0x02, 0x04, 0x05, 0xb4] /* after EOL: ignored */,
        [0x00, 0x00, 0x00] /* padding */,
      ),
    );
    expect(tcp.problem).toBeUndefined();
    expect(tcp.optionsEnd).toBe(40);
    expect(tcp.options).toMatchObject({
      sack: [
        [10, 20],
        [0xfffffff0, 4],
      ],
      kinds: [1, 1, 5],
    });
    expect(tcp.options.mss).toBeUndefined();
  });

  test("an unknown option is skipped by its length", () => {
    const tcp = decoded(
      bytes(...fixed(7, 0x10), [0xfe, 0x04, 0xbe, 0xef] /* kind 254 */, [0x02, 0x04, 0x05, 0xb4]),
    );
    expect(tcp.options).toMatchObject({ mss: 1460, kinds: [254, 2] });
  });
});

describe("TCP headers that do not decode", () => {
  test.each([
    {
      name: "the IP header leaves fewer than 20 bytes",
      data: bytes(...fixed(5, 0x10)),
      segmentLength: 12,
      want: { code: "bad-length", offset: 0, required: 20, actual: 12 },
    },
    {
      name: "fewer than 20 bytes captured",
      data: bytes(...fixed(5, 0x10)).subarray(0, 13),
      segmentLength: 20,
      want: { code: "truncated", offset: 0, required: 20, actual: 13 },
    },
    {
      name: "data offset 4",
      data: bytes(...fixed(4, 0x10)),
      segmentLength: 20,
      want: { code: "bad-header-length", offset: 12, required: 20, actual: 16 },
    },
    {
      name: "data offset past the segment",
      data: bytes(...fixed(8, 0x10), new Array(12).fill(1)),
      segmentLength: 28,
      want: { code: "bad-header-length", offset: 12, required: 28, actual: 32 },
    },
    {
      name: "fewer than the 16 bytes up to the window captured",
      data: bytes(...fixed(10, 0x02)).subarray(0, 15),
      segmentLength: 40,
      want: { code: "truncated", offset: 0, required: 20, actual: 15 },
    },
  ])("$name: $want.code", ({ data, segmentLength, want }) => {
    expect(TcpView.decode(data, 0, segmentLength)).toMatchObject({ layer: "tcp", ...want });
  });
});

// tshark keeps a segment in its conversation, with its analysis, once the 16 bytes from the ports to the
// window were captured; options are decoded as far as they were captured whole.
describe("TCP headers the snap length cut", () => {
  const syn = bytes(...fixed(10, 0x02), ...LINUX_SYN_OPTIONS);
  test.each([
    { captured: 16, checksum: 0, urgentPointer: 0, kinds: [] },
    { captured: 20, checksum: 0xabcd, urgentPointer: 5, kinds: [] },
    { captured: 22, checksum: 0xabcd, urgentPointer: 5, kinds: [] },
    { captured: 24, checksum: 0xabcd, urgentPointer: 5, kinds: [2] },
    { captured: 27, checksum: 0xabcd, urgentPointer: 5, kinds: [2, 4] },
    { captured: 36, checksum: 0xabcd, urgentPointer: 5, kinds: [2, 4, 8] },
    { captured: 37, checksum: 0xabcd, urgentPointer: 5, kinds: [2, 4, 8, 1] },
    { captured: 39, checksum: 0xabcd, urgentPointer: 5, kinds: [2, 4, 8, 1] },
  ])("$captured of 40 bytes: options $kinds", ({ captured, checksum, urgentPointer, kinds }) => {
    const tcp = decoded(syn.subarray(0, captured), 40);
    expect({
      headerLength: tcp.headerLength,
      capturedHeaderLength: tcp.capturedHeaderLength,
      optionsCaptured: tcp.optionsCaptured,
      ports: [tcp.srcPort, tcp.dstPort],
      seq: tcp.seq,
      ack: tcp.ack,
      flags: tcp.flags,
      window: tcp.window,
      checksum: tcp.checksum,
      urgentPointer: tcp.urgentPointer,
      kinds: tcp.options.kinds,
      windowScale: tcp.options.windowScale,
      problem: tcp.problem,
    }).toEqual({
      headerLength: 40,
      capturedHeaderLength: captured,
      optionsCaptured: false,
      ports: [41234, 65432],
      seq: 123,
      ack: 0xffffffff,
      flags: 0x02,
      window: 65483,
      checksum,
      urgentPointer,
      kinds,
      windowScale: undefined,
      problem: undefined,
    });
  });

  test("the whole header captured: every option, optionsCaptured", () => {
    const tcp = decoded(syn, 40);
    expect([tcp.capturedHeaderLength, tcp.optionsCaptured, tcp.options.windowScale]).toEqual([40, true, 7]);
  });

  test("a malformed option before the cut is still a problem; one cut after its length byte is not", () => {
    const malformed = bytes(...fixed(8, 0x10), [0x02, 0x09, 0, 0], [0x01, 0x01, 0x01, 0x01]);
    expect(decoded(malformed.subarray(0, 22), 32).problem).toMatchObject({ code: "bad-option-length" });
    const cut = bytes(...fixed(8, 0x10), [0x01, 0x01, 0x08, 0x0a], [0, 0, 0, 1]);
    expect(decoded(cut.subarray(0, 28), 32).problem).toBeUndefined();
  });
});

describe("malformed options are a problem, not a throw; earlier options are kept", () => {
  test.each([
    {
      name: "a kind with no length byte",
      options: [
        [0x02, 0x04, 0x05, 0xb4] /* MSS 1460 */,
        [0x01, 0x01, 0x01] /* NOPs */,
        [0x08] /* TS, no length */,
      ],
      want: { code: "malformed-option", offset: 27, required: 2, actual: 1 },
      kept: { mss: 1460 },
    },
    {
      name: "length 0",
      options: [
        [0x01, 0x01] /* NOPs */,
        [0x03, 0x00, 0x07, 0x00] /* window scale, length 0 */,
      ],
      want: { code: "malformed-option", offset: 23, required: 2, actual: 0 },
      kept: { kinds: [1, 1] },
    },
    {
      name: "a length past the header",
      options: [[0xfe, 0x09, 0x00, 0x00] /* kind 254, length 9, 4 bytes left */],
      want: { code: "malformed-option", offset: 21, required: 9, actual: 4 },
      kept: { kinds: [] },
    },
    {
      name: "MSS with length 3",
      options: [
        [0x04, 0x02] /* SACK permitted */,
        [0x02, 0x03, 0x05] /* MSS, length 3 */,
        [0x00, 0x00, 0x00] /* EOL, padding */,
      ],
      want: { code: "bad-option-length", offset: 23, required: 4, actual: 3 },
      kept: { sackPermitted: true },
    },
    {
      name: "timestamps with length 8",
      options: [[0x08, 0x08, 0, 0, 0, 1, 0, 0] /* TS, length 8 */],
      want: { code: "bad-option-length", offset: 21, required: 10, actual: 8 },
      kept: { kinds: [] },
    },
    {
      name: "SACK with a partial block",
      options: [[0x05, 0x06, 0, 0, 0, 1, 0, 0] /* SACK, length 6 */],
      want: { code: "bad-option-length", offset: 21, required: 10, actual: 6 },
      kept: { sack: [] },
    },
  ])("$name", ({ options, want, kept }) => {
    const tail = bytes(...options);
    const data = bytes(...fixed(5 + tail.length / 4, 0x10), [...tail]);
    const tcp = decoded(data);
    expect(tcp.problem).toMatchObject({ layer: "tcp", ...want });
    expect(tcp.options).toMatchObject(kept);
  });
});

test.each([
  [0, "eol"],
  [1, "nop"],
  [2, "mss"],
  [3, "wscale"],
  [4, "sackOK"],
  [5, "sack"],
  [8, "timestamp"],
  [30, "unknown"],
] as const)("option kind %d is %s", (kind, name) => {
  expect(tcpOptionName(kind)).toBe(name);
});
