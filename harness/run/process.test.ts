import { describe, expect, it } from "vitest";
import { parseReporter } from "./process.ts";

describe("parseReporter", () => {
  it("reads the children's user and system time from `times`", () => {
    expect(parseReporter("0m0.004s 0m0.000s\n0m0.120s 0m0.031s\n")).toBe(151);
    expect(parseReporter("0m0.000s 0m0.000s\n1m2.500s 0m0.500s\n")).toBe(63_000);
  });

  it("gives null when the reporter was killed before it spoke", () => {
    expect(parseReporter("")).toBeNull();
    expect(parseReporter("0m0.004s 0m0.000s\n")).toBeNull();
  });
});
