// The entry point's own answers: the version, and one line for a folder that is not there.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { VERSION } from "../install/index.ts";
import { main } from "./main.ts";
import { memoryOutput } from "./output.ts";

describe("socklab", () => {
  it("prints its version", async () => {
    for (const flag of ["--version", "-V"]) {
      const output = memoryOutput();
      expect(await main([flag], output)).toBe(0);
      expect(output.stdout).toEqual([`socklab ${VERSION}`]);
    }
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    ["check", "/nonexistent/ana", "no such folder (the submission to check)"],
    ["grade", "/nonexistent/class", "no such folder (the folder of submissions)"],
  ])("%s on a missing folder says so in one line", async (command, path, text) => {
    const output = memoryOutput();
    expect(await main([command, path], output)).toBe(2);
    expect(output.stderr).toEqual([`socklab ${command}: ${path}: ${text}`]);
  });

  it("ends quietly when its reader goes away (socklab … | head -1)", async () => {
    // 2 MB of output: far past a pipe's buffer, so the writes after the reader leaves meet EPIPE.
    const output = join(import.meta.dirname, "output.ts");
    const script = `const { processOutput } = await import(${JSON.stringify(output)});
      const out = processOutput();
      for (let i = 0; i < 20000; i++) out.out("x".repeat(100));
      await new Promise((resolve) => setTimeout(resolve, 200));
      out.out("still here");`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);
  });
});
