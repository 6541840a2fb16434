import { describe, expect, it } from "vitest";
import { SandboxError } from "./errors.ts";
import { requestedMode } from "./open-sandbox.ts";

describe("requestedMode", () => {
  it.each([
    ["auto", undefined, "auto"],
    ["auto", "", "auto"],
    ["auto", "host", "host"],
    ["auto", " namespace ", "namespace"],
    ["namespace", "host", "namespace"],
    ["host", undefined, "host"],
  ] as const)("option %s with SOCKLAB_SANDBOX=%j gives %s", (option, setting, mode) => {
    expect(requestedMode(option, setting)).toBe(mode);
  });

  it("refuses a setting it does not know, naming it", () => {
    expect(() => requestedMode("auto", "docker")).toThrow(SandboxError);
    expect(() => requestedMode("auto", "docker")).toThrow(
      'SOCKLAB_SANDBOX must be "host" or "namespace", not "docker"',
    );
  });
});
