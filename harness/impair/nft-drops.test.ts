import { describe, expect, it } from "vitest";
import { ImpairError } from "./impair-error.ts";
import { nftDropRules } from "./nft-drops.ts";

const rulesOf = (text: string) => text.split("\n").filter((line) => line.includes("numgen"));

describe("nftDropRules", () => {
  it("writes a fresh table with a prerouting chain, so drops happen after the capture saw them", () => {
    expect(nftDropRules({ port: 5005, dropFirstC2s: true, s2cEvery: 3 })).toBe(
      [
        "table inet socklab_link",
        "delete table inet socklab_link",
        "table inet socklab_link {",
        "  chain prerouting {",
        "    type filter hook prerouting priority raw; policy accept;",
        "    udp dport 5005 numgen inc mod 1000000 == 0 counter drop",
        "    udp sport 5005 numgen inc mod 3 == 0 counter drop",
        "  }",
        "}",
        "",
      ].join("\n"),
    );
  });

  it.each([
    [
      "every 2nd request from the 1st",
      { c2sEvery: 2 },
      ["udp dport 9000 numgen inc mod 2 == 0 counter drop"],
    ],
    [
      "every reply (a black hole back)",
      { s2cEvery: 1 },
      ["udp sport 9000 numgen inc mod 1 == 0 counter drop"],
    ],
    [
      "the first reply only",
      { dropFirstS2c: true },
      ["udp sport 9000 numgen inc mod 1000000 == 0 counter drop"],
    ],
    ["nothing", {}, []],
  ])("drops %s", (_, drops, rules) => {
    expect(rulesOf(nftDropRules({ port: 9000, ...drops })).map((line) => line.trim())).toEqual(rules);
  });

  it.each([
    ["a port out of range", { port: 70000 }, "port 70000 is not a UDP port"],
    ["a zero modulus", { port: 1, c2sEvery: 0 }, "c2sEvery 0 is not a whole number"],
    ["a fractional modulus", { port: 1, s2cEvery: 1.5 }, "s2cEvery 1.5 is not a whole number"],
    [
      "both every and first",
      { port: 1, c2sEvery: 2, dropFirstC2s: true },
      "c2s asks both every 2 and first only",
    ],
  ])("refuses %s", (_, drops, message) => {
    expect(() => nftDropRules(drops)).toThrow(ImpairError);
    expect(() => nftDropRules(drops)).toThrow(message);
  });
});
