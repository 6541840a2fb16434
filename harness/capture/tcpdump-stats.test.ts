import { describe, expect, it } from "vitest";
import { offeredPastBudget, parseTcpdumpStats, verifyCapture } from "./tcpdump-stats.ts";

const NORMAL = [
  "tcpdump: listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes",
  "12 packets captured",
  "24 packets received by filter",
  "0 packets dropped by kernel",
  "",
].join("\n");

describe("parseTcpdumpStats", () => {
  it("reads the three closing lines", () => {
    expect(parseTcpdumpStats(NORMAL)).toEqual({ captured: 12, receivedByFilter: 24, droppedByKernel: 0 });
  });

  it("reads singular forms and the interface line", () => {
    const text =
      "1 packet captured\n2 packets received by filter\n1 packet dropped by kernel\n3 packets dropped by interface\n";
    expect(parseTcpdumpStats(text)).toEqual({
      captured: 1,
      receivedByFilter: 2,
      droppedByKernel: 1,
      droppedByInterface: 3,
    });
  });

  it("gives nothing for a tcpdump that was killed", () => {
    expect(parseTcpdumpStats("tcpdump: listening on lo, link-type EN10MB (Ethernet)\n")).toEqual({});
  });
});

describe("verifyCapture", () => {
  it("accepts a complete capture, even with received-by-filter twice captured", () => {
    expect(verifyCapture(parseTcpdumpStats(NORMAL), 12)).toEqual([]);
  });

  it.each([
    [
      "dropped packets",
      { captured: 12, receivedByFilter: 24, droppedByKernel: 3 },
      12,
      ["dropped-by-kernel"],
    ],
    ["a count mismatch", { captured: 12, receivedByFilter: 24, droppedByKernel: 0 }, 11, ["count-mismatch"]],
    ["missing statistics", {}, 5, ["no-stats"]],
    [
      "both drops and a mismatch",
      { captured: 10, droppedByKernel: 1 },
      9,
      ["dropped-by-kernel", "count-mismatch"],
    ],
  ])("reports %s as errors", (_name, stats, read, codes) => {
    const findings = verifyCapture(stats, read);
    expect(findings.map((f) => f.code)).toEqual(codes);
    expect(findings.every((f) => f.severity === "error")).toBe(true);
  });

  it("names the numbers in a mismatch", () => {
    const [finding] = verifyCapture({ captured: 12, droppedByKernel: 0 }, 11);
    expect(finding).toMatchObject({ expected: 12, actual: 11 });
    expect(finding?.message).toBe("tcpdump captured 12 packets, but the file holds 11");
  });

  it("treats interface drops as a warning", () => {
    const findings = verifyCapture({ captured: 4, droppedByKernel: 0, droppedByInterface: 2 }, 4);
    expect(findings).toEqual([
      expect.objectContaining({ severity: "warning", code: "dropped-by-interface" }),
    ]);
  });
});

describe("offeredPastBudget", () => {
  const budget = { bytes: 64 * 1024 * 1024, packets: 100_000 };
  it("is null when nothing was dropped, however large the capture", () => {
    expect(offeredPastBudget({ captured: 99_000, droppedByKernel: 0 }, 63 * 1024 * 1024, budget)).toBeNull();
  });
  it("is null for a drop in small traffic: that is the capture's own failure", () => {
    expect(offeredPastBudget({ captured: 40, droppedByKernel: 22 }, 6_000, budget)).toBeNull();
  });
  it("estimates the bytes offered at the kept packets' mean size", () => {
    // 1,000 packets of 32 KiB kept, 1,500 dropped: about 80 MiB offered.
    expect(offeredPastBudget({ captured: 1000, droppedByKernel: 1500 }, 1000 * 32 * 1024, budget)).toEqual({
      exceeded: "bytes",
      packets: 2500,
      dropped: 1500,
      bytes: 2500 * 32 * 1024,
    });
  });
  it("counts packets captured and dropped against the packet budget", () => {
    expect(
      offeredPastBudget({ captured: 60_000, droppedByKernel: 50_000 }, 6_000_000, budget)?.exceeded,
    ).toBe("packets");
  });
});
