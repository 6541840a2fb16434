import { describe, expect, it } from "vitest";
import { deliveredPattern } from "./delivered-pattern.ts";
import { readPythonModule } from "./python-module.ts";
import { pythonPrinted } from "./python-printed.ts";
import { pythonProgram } from "./python-program.ts";

function patternOf(source: string): string | null {
  const module = readPythonModule("server.py", source);
  return deliveredPattern(pythonPrinted(pythonProgram(module, new Map([["server.py", module]]))), "seq")
    .pattern;
}

describe("deliveredPattern", () => {
  it.each([
    ['print(f"delivered seq={seq} t={t:.2f}")', "delivered seq=(?<seq>\\d+)"],
    ['print(f"[{now}] DELIVERED #{seq}", flush=True)', "DELIVERED #(?<seq>\\d+)"],
    ['log.info("DELIVER #%d session=%04x " "temp=%.2f", seq, session, temp)', "DELIVER #(?<seq>\\d+)"],
    ['print("entregado seq=%d" % seq)', "entregado seq=(?<seq>\\d+)"],
    ['print("delivered {}".format(seq))', "delivered (?<seq>\\d+)"],
    ['print(f"lectura {seq} entregada")', "lectura (?<seq>\\d+) entregada"],
    ['print("delivered " + str(seq))', "delivered (?<seq>\\d+)"],
  ])("%s → %s", (line, pattern) => {
    expect(patternOf(`print(f"received seq={seq}")\n${line}\nprint(f"duplicate seq={seq}")`)).toBe(pattern);
  });

  it("follows a helper that returns the numbered line to the caller that prefixes it", () => {
    const source = [
      "def describe(seq, t):",
      '    return f"seq={seq} t={t}"',
      "def delivered_line(r):",
      '    return "delivered " + describe(*r)',
      "out(delivered_line(r))",
    ].join("\n");
    expect(patternOf(source)).toBe("delivered seq=(?<seq>\\d+)");
  });

  it("finds none when no line says a reading was delivered", () => {
    expect(patternOf('print(f"got seq={seq}")\nprint(f"duplicate seq={seq}, re-acked")')).toBeNull();
  });
});
