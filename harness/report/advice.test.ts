// Advice reaches every output format and never changes a score.
import { describe, expect, it } from "vitest";
import { fixture, tcpEcho } from "../../test/support/results-fixture.ts";
import { toGradescope } from "./results-gradescope.ts";
import { toJUnit } from "./results-junit.ts";
import { renderTerminal } from "./results-terminal.ts";
import { renderTaskReport } from "./task-report.ts";

const ADVICE = "the server does not set SO_REUSEADDR";

describe("advice in every output", () => {
  it("is in the terminal view, marked as costing no points", () => {
    expect(
      renderTerminal(fixture, { colour: false }).some((l) => l.includes(`advice (no points): ${ADVICE}`)),
    ).toBe(true);
  });

  it("is in the task's Markdown report, with its evidence", () => {
    const md = renderTaskReport(tcpEcho, []);
    expect(md).toContain("## Advice");
    expect(md).toContain("No points depend on it.");
    expect(md).toContain("line 2 of the server's stderr");
  });

  it("is in Gradescope's summary output, and the score is the checks' alone", () => {
    const results = toGradescope(fixture);
    expect(results.output).toContain(
      "**Advice** (good practice the handout does not require; no points at stake):",
    );
    expect(results.output).toContain("tcp-echo: the server does not set SO\\_REUSEADDR");
    expect(results.score).toBe(fixture.score);
  });

  it("is in JUnit's system-out of the task's suite", () => {
    expect(toJUnit(fixture)).toContain(`<system-out>Advice (no points at stake):\n- ${ADVICE} &lt;&amp;&gt;`);
  });
});
