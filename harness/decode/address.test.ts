import { describe, expect, test } from "vitest";
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from "./address.ts";

describe("IPv4 addresses", () => {
  test.each([
    ["127.0.0.1", [127, 0, 0, 1]],
    ["0.0.0.0", [0, 0, 0, 0]],
    ["255.255.255.255", [255, 255, 255, 255]],
  ])("%s", (text, bytes) => {
    expect([...parseIpv4(text)]).toEqual(bytes);
    expect(formatIpv4(Uint8Array.from([9, ...bytes]), 1)).toBe(text);
  });

  test.each(["1.2.3", "1.2.3.4.5", "256.0.0.1", "a.b.c.d", "1.2.3.-4", ""])("rejects %j", (text) => {
    expect(() => parseIpv4(text)).toThrow(/not an IPv4 address/);
  });
});

describe("IPv6 addresses (RFC 5952 text)", () => {
  test.each([
    ["::1", "::1"],
    ["::", "::"],
    ["2001:db8::7", "2001:db8::7"],
    ["2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"],
    ["fe80::1:2", "fe80::1:2"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"], // first of two equal zero runs
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"], // a single zero group stays
    ["::ffff:127.0.0.1", "::ffff:7f00:1"],
    ["1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"],
  ])("%s prints as %s", (text, canonical) => {
    const bytes = parseIpv6(text);
    expect(bytes.length).toBe(16);
    expect(formatIpv6(bytes, 0)).toBe(canonical);
    expect([...parseIpv6(canonical)]).toEqual([...bytes]);
  });

  test.each(["1:2:3:4:5:6:7", "1::2::3", "12345::", "g::1", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8"])(
    "rejects %j",
    (text) => {
      expect(() => parseIpv6(text)).toThrow(/not an IPv6 address/);
    },
  );
});
