import { describe, expect, it } from "vitest";
import { missingTool } from "./build-submission.ts";

describe("missingTool", () => {
  it("names a compiler or make the machine lacks, and nothing else", () => {
    expect(missingTool(127, "sh: 1: cc: not found")).toBe("cc");
    expect(missingTool(127, "sh: make: command not found")).toBe("make");
    expect(missingTool(127, "sh: 1: nosuchcompiler: not found")).toBeNull();
    expect(missingTool(1, "sh: 1: cc: not found")).toBeNull();
    expect(missingTool(2, "server.c:3: error: x")).toBeNull();
  });
});
