import { describe, expect, it } from "vitest";
import {
  allPassed,
  erroredCheck,
  failedCheck,
  fixture,
  passedCheck,
  skippedCheck,
  tcpEcho,
  threadedEcho,
  udpEcho,
} from "../../test/support/results-fixture.ts";
import type { CheckResult, EvidenceRef, TaskResult } from "../grade/index.ts";
import {
  checkNumber,
  checkOutcome,
  clipUtf8,
  evidenceText,
  faultText,
  fileLink,
  markdownText,
  oneLine,
  pointsText,
  scoreText,
  summaryText,
  timeoutNotes,
  visibleText,
} from "./results-text.ts";

describe("points", () => {
  it.each([
    [2, "2"],
    [0, "0"],
    [1.5, "1.5"],
    [1 / 3, "0.33"],
    [2.999, "3"],
  ])("shows %d as %s", (n, text) => {
    expect(pointsText(n)).toBe(text);
  });

  it("shows a score as points/max", () => {
    expect(scoreText(0.5, 2)).toBe("0.5/2");
  });
});

describe("markdownText", () => {
  it.each([
    ["plain words", "plain words"],
    ["b'x' * 2_000", "b'x' \\* 2\\_000"],
    ["<script> & `code`", "&lt;script&gt; &amp; \\`code\\`"],
    ["recv() returned b'\\n'", "recv() returned b'\\\\n'"],
    ["[link](x)", "\\[link\\](x)"],
    ["nul \u0000 esc \u001b[31m", "nul \\\\x00 esc \\\\x1b\\[31m"],
  ])("escapes %j", (input, expected) => {
    expect(markdownText(input)).toBe(expected);
  });
});

describe("visibleText and oneLine", () => {
  it("shows control characters as escapes but keeps line breaks and tabs", () => {
    expect(visibleText("a\u0000b\tc\nd\r\n\u009b")).toBe("a\\x00b\tc\nd\n\\x9b");
  });

  it.each([
    ["short", 10, "short"],
    ["two\nlines", 20, "two ⏎ lines"],
    ["a".repeat(30), 10, `${"a".repeat(9)}…`],
  ])("flattens %j to at most %d characters", (input, max, expected) => {
    expect(oneLine(input, max)).toBe(expected);
  });
});

describe("clipUtf8", () => {
  it("keeps text that fits", () => {
    expect(clipUtf8("hello", 5)).toBe("hello");
  });

  it("cuts to the byte budget, never inside a character, and says so", () => {
    const text = "é".repeat(100); // 200 bytes
    const clipped = clipUtf8(text, 51, "…");
    expect(Buffer.byteLength(clipped)).toBeLessThanOrEqual(51);
    expect(clipped).toBe(`${"é".repeat(24)}…`);
    expect(clipped).not.toContain("\uFFFD");
    expect(clipUtf8(text, 50, "…")).toBe(`${"é".repeat(23)}…`);
  });
});

describe("evidenceText", () => {
  const cases: [EvidenceRef, string, string][] = [
    [
      { kind: "packet", run: "main", packet: 7, summary: "a > b: Flags [S]" },
      "packet 7 of run `main`: `a > b: Flags [S]`",
      "packet 7 of run main: a > b: Flags [S]",
    ],
    [{ kind: "packet", run: "main", packet: 3 }, "packet 3 of run `main`", "packet 3 of run main"],
    [
      { kind: "output", run: "r", program: "client", stream: "stderr", line: 3, text: "oops" },
      "line 3 of the client's stderr (run `r`): `oops`",
      'line 3 of the client\'s stderr (run r): "oops"',
    ],
    [{ kind: "file", path: "a.py" }, "file `a.py`", "file a.py"],
    [{ kind: "note", text: "see *this*" }, "see \\*this\\*", "see *this*"],
  ];
  it.each(cases)("describes %j", (ref, markdown, text) => {
    expect(evidenceText(ref, "markdown")).toBe(markdown);
    expect(evidenceText(ref, "text")).toBe(text);
  });
});

describe("checkOutcome and numbers", () => {
  const erroredWithChecks: TaskResult = { ...threadedEcho, checks: [passedCheck, erroredCheck] };
  const erroredWhole: TaskResult = { ...threadedEcho, checks: [passedCheck] };
  const cases: [TaskResult, CheckResult, string][] = [
    [tcpEcho, passedCheck, "passed"],
    [tcpEcho, failedCheck, "failed"],
    [tcpEcho, skippedCheck, "skipped"],
    [tcpEcho, erroredCheck, "errored"],
    [udpEcho, udpEcho.checks[0]!, "not-submitted"],
    [erroredWhole, passedCheck, "task-errored"],
    [erroredWithChecks, passedCheck, "passed"],
    [erroredWithChecks, erroredCheck, "errored"],
  ];
  it.each(cases)("%#: a check of a task shows as %s", (task, check, outcome) => {
    expect(checkOutcome(task, check)).toBe(outcome);
  });

  it("numbers checks by handout section and position", () => {
    expect(checkNumber(tcpEcho, 2)).toBe("1.1.3");
  });
});

describe("summaryText", () => {
  it("counts what did not pass, naming the noun once", () => {
    expect(summaryText(fixture)).toBe(
      "1 check failed, 1 skipped, 1 errored (a socklab fault, not yours), 1 task not submitted, 1 task not graded (a socklab fault, not yours)",
    );
  });

  it("says when every check passed", () => {
    expect(summaryText(allPassed)).toBe("every check passed");
  });

  it.each([
    ["errored", "socklab could not grade the submission (a socklab fault, not yours)"],
    ["passed", "no task was graded"],
  ] as const)("never reads as a success when nothing was graded (%s)", (status, text) => {
    expect(summaryText({ ...fixture, status, tasks: [] })).toBe(text);
  });

  it("counts only the checks asked for", () => {
    expect(summaryText({ ...fixture, tasks: [tcpEcho] }, (c) => c.id === "all-acked")).toBe(
      "1 check skipped",
    );
  });
});

describe("timeouts and faults", () => {
  it("finds programs killed at a time limit and steps that timed out", () => {
    expect(timeoutNotes(tcpEcho)).toEqual([
      "run main, client: killed by SIGKILL after exceeding its 5 s time limit",
      "run main: timed out after 5000 ms waiting for the client to exit; output so far: (nothing)",
    ]);
    expect(timeoutNotes(udpEcho)).toEqual([]);
  });

  it.each([
    ["boom", "socklab could not run this check (not your fault): boom"],
    [
      "socklab could not grade this task (not the student's fault): x",
      "socklab could not grade this task (not the student's fault): x",
    ],
  ])("says whose fault %j is once", (error, text) => {
    expect(faultText("run this check", error)).toBe(text);
  });

  it("links files with encoded paths", () => {
    expect(String(fileLink("my task/a b.md"))).toBe("[my task/a b.md](my%20task/a%20b.md)");
  });
});
