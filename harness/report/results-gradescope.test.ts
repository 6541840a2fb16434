import { describe, expect, it } from "vitest";
import {
  erroredCheck,
  failedCheck,
  fixture,
  passedCheck,
  structBinary,
  tcpEcho,
  threadedEcho,
} from "../../test/support/results-fixture.ts";
import type { SubmissionResult, TaskResult } from "../grade/index.ts";
import { GRADESCOPE_OUTPUT_LIMIT, toGradescope } from "./results-gradescope.ts";

const results = toGradescope(fixture);
const test = (number: string) => results.tests.find((t) => t.number === number)!;

describe("toGradescope: top level", () => {
  it("carries the score, time in seconds and the formats Gradescope reads", () => {
    expect(results).toMatchObject({
      score: 5.5,
      execution_time: 41.73,
      output_format: "md",
      test_output_format: "md",
      visibility: "visible",
      stdout_visibility: "hidden",
    });
    expect(typeof results.execution_time).toBe("number");
  });

  it("is plain JSON", () => {
    expect(JSON.parse(JSON.stringify(results))).toEqual(results);
  });

  it("gives the seed, a summary, the grader fault and every timeout in its output", () => {
    expect(results.output).toContain("Seed `12345`");
    expect(results.output).toContain("1 check failed");
    expect(results.output).toContain("not yours");
    expect(results.output).toContain("killed by SIGKILL after exceeding its 5 s time limit");
    expect(results.output).toContain("the host has no network namespaces");
  });

  it("keeps the total and hidden checks out of the summary when some checks are not visible", () => {
    expect(results.output).not.toContain("5.5/16");
    expect(results.output).toContain("not counted here");
  });

  it("shows the total when every check is visible", () => {
    const visible: SubmissionResult = {
      ...fixture,
      status: "passed",
      score: 1,
      maxScore: 1,
      tasks: [{ ...tcpEcho, status: "passed", score: 1, maxScore: 1, checks: [passedCheck] }],
      warnings: [],
    };
    expect(toGradescope(visible).output).toContain("score 1/1: every check passed.");
  });

  it("adds up to socklab's score", () => {
    expect(results.tests.reduce((n, t) => n + t.score, 0)).toBe(fixture.score);
    expect(results.tests.reduce((n, t) => n + t.max_score, 0)).toBe(fixture.maxScore);
  });
});

describe("toGradescope: one test per check", () => {
  it.each([
    ["1.1.1", "tcp-echo › the server listens on its port", "passed", 1, 1, "passed", "visible"],
    ["1.1.2", "tcp-echo › the three-way handshake completes", "failed", 0.5, 2, "failed", "visible"],
    ["1.1.3", "tcp-echo › every byte is acknowledged", "failed", 0, 1, "skipped", "visible"],
    ["1.1.4", "tcp-echo › both sides close with FIN", "failed", 0, 1, "errored", "visible"],
    [
      "1.1.5",
      "tcp-echo › a 5000-byte payload sent in pieces comes back whole",
      "passed",
      2,
      2,
      "passed",
      "hidden",
    ],
    ["1.2.1", "udp-echo › the client sends datagrams", "failed", 0, 3, "not-submitted", "visible"],
    ["1.3.1", "threaded-echo › socklab could not grade this task", "failed", 0, 4, "errored", "visible"],
    [
      "2.1.1",
      "struct-binary › the header is in network byte order",
      "passed",
      2,
      2,
      "passed",
      "after_due_date",
    ],
  ])("%s is %s", (number, name, status, score, max, extra, visibility) => {
    expect(test(number)).toMatchObject({
      name,
      status,
      score,
      max_score: max,
      visibility,
      output_format: "md",
      extra_data: { status: extra },
    });
    expect(test(number).tags).toEqual([name.split(" › ")[0]]);
  });

  it.each([
    ["1.1.1", ["the server listened on 127.0.0.1:50007", "packet 1 of run `main`", "2 retransmissions seen"]],
    [
      "1.1.2",
      [
        "expected the server to ACK byte 13",
        "**Expected:** an ACK up to 13 (relative) from the server",
        "**Seen:** the server's highest ACK was 1 &lt;&amp;&gt; b'\\\\x00hi",
        "- packet 7 of run `main`: `127.0.0.1.50007 > 127.0.0.1.41234: Flags [.], ack 1",
        "- line 3 of the client's stdout (run `main`): `` got `b''` ``",
        "**How to fix:** Call recv() in a loop",
        "Partial credit: 0.5/2",
      ],
    ],
    ["1.1.3", ["Not run: needs 'the three-way handshake completes' to pass first"]],
    [
      "1.1.4",
      ["socklab could not run this check (not your fault): TypeError", "at run (tcp.ts:190:12)", "scores 0"],
    ],
    ["1.2.1", ["not submitted: no 'udp-echo' entry in socklab.yaml"]],
    ["1.3.1", ["not the student's fault", "tcpdump exited with code 1"]],
  ])("%s's output says what happened", (number, parts) => {
    for (const part of parts) expect(test(number).output).toContain(part);
  });

  it("gives every check of a task that errored as a whole the task's error", () => {
    const task: TaskResult = { ...threadedEcho, checks: [{ ...passedCheck, points: 0 }] };
    const tests = toGradescope({ ...fixture, tasks: [task] }).tests;
    expect(tests.map((t) => t.number)).toEqual(["1.3.1"]);
    expect(tests[0]).toMatchObject({ status: "failed", score: 0, extra_data: { status: "errored" } });
    expect(tests[0]!.output).toContain("tcpdump exited with code 1");
  });

  it("keeps the checks socklab could test when others of the task errored", () => {
    const task: TaskResult = { ...threadedEcho, score: 1, checks: [passedCheck, erroredCheck] };
    const tests = toGradescope({ ...fixture, tasks: [task] }).tests;
    expect(tests[0]).toMatchObject({ status: "passed", score: 1 });
    expect(tests[1]).toMatchObject({ status: "failed", score: 0, extra_data: { status: "errored" } });
    expect(tests[1]!.output).toContain("TypeError");
  });

  it("keeps each output under the size limit and points to the full report", () => {
    const huge: TaskResult = {
      ...structBinary,
      checks: [{ ...failedCheck, failure: { ...failedCheck.failure, actual: "x".repeat(50_000) } }],
    };
    const [big] = toGradescope({ ...fixture, tasks: [huge], warnings: ["w".repeat(20_000)] }).tests;
    expect(Buffer.byteLength(big!.output)).toBeLessThanOrEqual(GRADESCOPE_OUTPUT_LIMIT);
    expect(big!.output).toMatch(/cut to fit Gradescope; the full text is in struct-binary\.md\)$/);
    const top = toGradescope({ ...fixture, warnings: ["w".repeat(20_000)] }).output;
    expect(Buffer.byteLength(top)).toBeLessThanOrEqual(GRADESCOPE_OUTPUT_LIMIT);
  });

  it("still gives a test, and no success, when socklab stopped before grading any task", () => {
    const stopped = toGradescope({
      ...fixture,
      score: 0,
      maxScore: 60,
      tasks: [],
      warnings: [
        "socklab could not grade this submission: socklab.yaml: tasks.tcp-echo.port: expected number",
      ],
    });
    expect(stopped.output).toContain("its socklab.yaml cannot be used (fix it and hand in again)");
    expect(stopped.output).not.toContain("grader fault");
    expect(stopped.output).not.toContain("every check passed");
    expect(stopped.tests).toHaveLength(1);
    expect(stopped.tests[0]).toMatchObject({ number: "0.1", score: 0, max_score: 60, status: "failed" });
    expect(stopped.tests[0]!.output).toContain("tasks.tcp-echo.port: expected number");
  });

  it("says a submission too large to copy is the student's to fix, not a grader fault", () => {
    const stopped = toGradescope({
      ...fixture,
      score: 0,
      tasks: [],
      warnings: [
        "socklab could not grade this submission: sub: the submission holds more than 5,000 files and folders; …",
      ],
    });
    expect(stopped.output).toContain(
      "it is too large to copy into a run (make it smaller and hand in again)",
    );
    expect(stopped.output).not.toContain("grader fault, not yours:**");
  });

  it("adds no such test when the submission was graded", () => {
    expect(toGradescope({ ...fixture, tasks: [], status: "passed" }).tests).toEqual([]);
  });
});
