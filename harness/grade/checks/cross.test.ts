// A cross run's probe is socklab's own program: when it reports nothing, or its own failure, the check is an
// error of socklab's (thrown, so the check is errored), never the student's failure.
import { describe, expect, it } from "vitest";
import type { RunRecord } from "../../session/index.ts";
import type { TaskEvidence } from "../task.ts";
import { crossRunCheck } from "./cross.ts";

function evidenceWithProbe(stdout: string, exitCode: number): TaskEvidence {
  const run = {
    name: "probe",
    serverReady: { status: "done" },
    server: null,
    clients: [
      {
        role: { name: "probe", source: "probe", command: "python3 probe.py" },
        outcome: { exitCode, stdout, stderr: "", description: `exited with code ${exitCode}`, lines: [] },
        script: null,
      },
    ],
    faults: [],
  } as unknown as RunRecord;
  return { env: {} as TaskEvidence["env"], runs: { probe: run } };
}

describe("crossRunCheck with socklab's probe", () => {
  const check = crossRunCheck({
    id: "cross-probe",
    title: "probe",
    points: 2,
    run: "probe",
    proves: "ok",
    help: "h",
  });

  it("passes on a report, whatever the probe's exit code", () => {
    expect(check.run(evidenceWithProbe('{"ok": true}\n', 0)).pass).toBe(true);
  });

  it.each([
    ["no report", "Traceback (most recent call last):\nKeyError: 'x'\n", 1],
    ["the probe's own failure", '{"error": "OSError: bind failed"}\n', 2],
  ])("throws (an error of socklab's) on %s", (_, stdout, code) => {
    expect(() => check.run(evidenceWithProbe(stdout, code))).toThrow(/socklab's probe/);
  });
});
