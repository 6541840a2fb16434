import { describe, expect, it } from "vitest";
import { z } from "../schema/index.ts";
import { probeReportBase, readProbeReport } from "./probe-report.ts";

describe("readProbeReport", () => {
  const shape = z.object({ ok: z.boolean(), sizes: z.array(z.number()) });

  it("reads the last line with the schema", () => {
    expect(readProbeReport('starting\n{"ok":true,"sizes":[1,2]}\n', shape)).toEqual({
      ok: true,
      sizes: [1, 2],
    });
  });

  it("is null for output that is not JSON, or JSON of another shape", () => {
    expect(readProbeReport("Traceback (most recent call last):\n", shape)).toBeNull();
    expect(readProbeReport('{"ok":"yes"}', shape)).toBeNull();
    expect(readProbeReport("", shape)).toBeNull();
  });

  it("keeps a probe's own keys next to its error", () => {
    expect(readProbeReport('{"error":"no route","phase":2}', probeReportBase)).toEqual({
      error: "no route",
      phase: 2,
    });
  });
});
