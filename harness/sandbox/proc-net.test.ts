import { describe, expect, it } from "vitest";
import { formatIpv6, parseProcNet, parseProcNetEndpoint } from "./proc-net.ts";

const HEADER =
  "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";
const HEADER6 =
  "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";

describe("parseProcNetEndpoint", () => {
  it.each([
    ["0100007F:FF98", "127.0.0.1", 65432],
    ["00000000:0000", "0.0.0.0", 0],
    ["0100007F:138D", "127.0.0.1", 5005],
    ["0101A8C0:0050", "192.168.1.1", 80],
    ["00000000000000000000000001000000:1F90", "::1", 8080],
    ["00000000000000000000000000000000:0000", "::", 0],
    ["000080FE000000000000000001000000:0016", "fe80::1", 22],
    ["0000000000000000FFFF00000100007F:FF98", "::ffff:127.0.0.1", 65432],
    ["B80D0120000000000000000001000000:0035", "2001:db8::1", 53],
  ])("decodes %s on a little-endian host", (text, address, port) => {
    expect(parseProcNetEndpoint(text, true)).toEqual({ address, port });
  });

  it("decodes big-endian hosts' word order", () => {
    expect(parseProcNetEndpoint("7F000001:FF98", false)).toEqual({ address: "127.0.0.1", port: 65432 });
  });

  it.each(["", "0100007F", "XYZ:0050", "0100:0050"])("rejects %j", (text) => {
    expect(parseProcNetEndpoint(text, true)).toBeUndefined();
  });
});

describe("formatIpv6", () => {
  it("compresses the longest zero run only once and keeps a single zero", () => {
    const bytes = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1];
    expect(formatIpv6(bytes)).toBe("2001:db8:0:1::1");
    const noRun = [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8];
    expect(formatIpv6(noRun)).toBe("1:2:3:4:5:6:7:8");
  });
});

describe("parseProcNet", () => {
  it("reads TCP sockets with their states, uid and inode", () => {
    const text = [
      HEADER,
      "   0: 0100007F:FF98 00000000:0000 0A 00000000:00000000 00:00000000 00000000 65534        0 41236 1 0000000000000000 100 0 0 10 0",
      "   1: 0100007F:896C 0100007F:FF98 06 00000000:00000000 03:00000F9D 00000000     0        0 0 3 0000000000000000",
      "   2: 0100007F:D7F0 0100007F:FF98 01 00000000:00000000 00:00000000 00000000  1001        0 41300 1 0000000000000000 20 4 30 10 -1",
      "",
    ].join("\n");
    const entries = parseProcNet(text, "tcp", true);
    expect(entries).toEqual([
      {
        protocol: "tcp",
        localAddress: "127.0.0.1",
        localPort: 65432,
        remoteAddress: "0.0.0.0",
        remotePort: 0,
        state: "LISTEN",
        stateCode: 0x0a,
        uid: 65534,
        inode: 41236,
      },
      expect.objectContaining({ localPort: 35180, remotePort: 65432, state: "TIME_WAIT", uid: 0, inode: 0 }),
      expect.objectContaining({ localPort: 55280, state: "ESTABLISHED", uid: 1001 }),
    ]);
  });

  it("names an unconnected UDP socket UNCONN and a connected one ESTABLISHED", () => {
    const text = [
      HEADER,
      "14360: 0100007F:138D 00000000:0000 07 00000000:00000000 00:00000000 00000000 65534        0 25001 2 0000000000000000 0",
      "14361: 0100007F:A000 0100007F:138D 01 00000000:00000000 00:00000000 00000000 65534        0 25002 2 0000000000000000 0",
    ].join("\n");
    expect(parseProcNet(text, "udp", true).map((e) => [e.localPort, e.state, e.remotePort])).toEqual([
      [5005, "UNCONN", 0],
      [40960, "ESTABLISHED", 5005],
    ]);
  });

  it("reads IPv6 tables", () => {
    const text = [
      HEADER6,
      "   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1001        0 9921 1 0000000000000000 100 0 0 10 0",
      "   1: 00000000000000000000000001000000:138D 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000  1001        0 9922 2 0000000000000000 0",
    ].join("\n");
    expect(parseProcNet(text, "tcp6", true)[0]).toMatchObject({
      localAddress: "::",
      localPort: 8080,
      state: "LISTEN",
    });
    expect(parseProcNet(text, "udp6", true)[1]).toMatchObject({
      localAddress: "::1",
      localPort: 5005,
      state: "UNCONN",
    });
  });

  it("skips the header, blank lines and lines that do not parse", () => {
    const text = [HEADER, "garbage", "   0: 0100007F:ZZZZ 00000000:0000 0A 0 0 0 0 0 0", ""].join("\n");
    expect(parseProcNet(text, "tcp", true)).toEqual([]);
  });
});
