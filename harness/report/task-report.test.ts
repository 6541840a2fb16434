import { describe, expect, it } from "vitest";
import { structBinary, tcpEcho, threadedEcho, udpEcho } from "../../test/support/results-fixture.ts";
import type { TaskResult } from "../grade/index.ts";
import { captureLink, renderTaskReport } from "./task-report.ts";

const report = renderTaskReport(tcpEcho, ["## Traffic\n\nfirst section\n", "## Socket states\n\nsecond"]);

function position(text: string): number {
  const at = report.indexOf(text);
  expect(at, text).toBeGreaterThanOrEqual(0);
  return at;
}

describe("renderTaskReport", () => {
  it("puts its parts in order, with the extra sections last", () => {
    const order = [
      "# 1.1 TCP echo server and client (`tcp-echo`)",
      "**Status:** failed · **Score:** 3.5/7 · graded in 3.2 s",
      "## Verdicts",
      "## What failed",
      "## Checks socklab could not run",
      "## Skipped",
      "## Notes",
      "## Runs",
      "## Traffic\n\nfirst section\n\n## Socket states\n\nsecond\n",
    ].map(position);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(report.endsWith("second\n")).toBe(true);
  });

  it.each([
    ["1.1.1", "the server listens on its port (`server-ready`)", "✓ passed", "1/1"],
    ["1.1.2", "the three-way handshake completes (`handshake`)", "✗ failed", "0.5/2"],
    ["1.1.3", "every byte is acknowledged (`all-acked`)", "– skipped", "0/1"],
    [
      "1.1.4",
      "both sides close with FIN (`orderly-close`)",
      "! socklab error (not the student's fault)",
      "0/1",
    ],
  ])("has a verdict row for %s", (number, check, status, points) => {
    expect(report).toContain(`| ${number} | ${check} | ${status} | ${points} |`);
  });

  it("explains a failure: message, expected, seen, where, how to fix", () => {
    const section = report.slice(position("### ✗ 1.1.2"), position("## Checks socklab could not run"));
    for (const part of [
      "### ✗ 1.1.2 the three-way handshake completes (0.5/2)",
      "expected the server to ACK byte 13, but its last ACK was 1 (packet 7)",
      "**Expected:** an ACK up to 13 (relative) from the server",
      "**Seen:** the server's highest ACK was 1 &lt;&amp;&gt; b'\\\\x00hi\\\\x1b\\[31m'",
      "**Where:**\n\n- packet 7 of run `main`: `127.0.0.1.50007 > 127.0.0.1.41234: Flags [.], ack 1, win 65483, length 0`",
      "- line 3 of the client's stdout (run `main`): `` got `b''` ``",
      "- file `tcp_server.py`",
      "**How to fix:** Call recv() in a loop",
    ]) {
      expect(section).toContain(part);
    }
  });

  it("puts a multi-line expected or seen value in a fenced block", () => {
    const failed = tcpEcho.checks[1]!;
    if (failed.status !== "failed") throw new Error("fixture");
    const task: TaskResult = {
      ...tcpEcho,
      checks: [{ ...failed, failure: { ...failed.failure, actual: "line one\nline two" } }],
    };
    expect(renderTaskReport(task, [])).toContain("**Seen:**\n\n```text\nline one\nline two\n```");
  });

  it.each([
    [
      "a skipped check's reason",
      "- every byte is acknowledged: not run, needs 'the three-way handshake completes' to pass first",
    ],
    [
      "an errored check's error, not blamed on the student",
      "That is a fault of the grader, not of the submission",
    ],
    [
      "the error text",
      "```text\nTypeError: Cannot read properties of undefined (reading 'close')\n    at run (tcp.ts:190:12)\n```",
    ],
    ["notes", "- the server listens on its port: 2 retransmissions seen, not penalised"],
    [
      "the runs table with the capture link",
      "| `main` | the student's server with the student's client | own network namespace | 11 | 2100 | [capture.pcap](tcp-echo/main/capture.pcap) |",
    ],
    [
      "a program's exit and times",
      "| `main` | server | student | `python3 tcp_server.py` | stopped by the grader with SIGTERM | 2000 | 40 |",
    ],
    ["a timeout, in words", "| killed by SIGKILL after exceeding its 5 s time limit | 5000 | – |"],
    ["run warnings", "- ⚠ run `main`: timed out after 5000 ms waiting for the client to exit"],
  ])("shows %s", (_what, text) => {
    expect(report).toContain(text);
  });

  it("reports a not-submitted task without failures or runs", () => {
    const text = renderTaskReport(udpEcho, []);
    expect(text).toContain("**Status:** not submitted · **Score:** 0/3\n");
    expect(text).toContain("> Not submitted: no 'udp-echo' entry in socklab.yaml.");
    expect(text).toContain("| 1.2.1 | the client sends datagrams (`datagrams`) | – not submitted | 0/3 |");
    expect(text).not.toContain("## Skipped");
    expect(text).not.toContain("## Runs");
  });

  it("reports an errored task as socklab's fault, with its error", () => {
    const text = renderTaskReport(threadedEcho, ["## Extra"]);
    expect(text).toContain("**Status:** could not be graded (socklab error) · **Score:** 0/4");
    expect(text).toContain("not of the submission: it scores 0 until it is graded again");
    expect(text).toContain(
      "```text\nsocklab could not grade this task (not the student's fault): tcpdump exited with code 1\n```",
    );
    expect(text).not.toContain("## Verdicts");
    expect(text.endsWith("## Extra\n")).toBe(true);
  });

  it("leaves out sections with nothing in them", () => {
    const text = renderTaskReport(structBinary, ["", "  "]);
    for (const heading of ["## What failed", "## Skipped", "## Notes", "## Runs", "## Checks socklab"]) {
      expect(text).not.toContain(heading);
    }
  });
});

describe("captureLink", () => {
  const run = tcpEcho.runs[0]!;
  it.each([
    ["tcp-echo/main/capture.pcap", "tcp-echo.md", "tcp-echo/main/capture.pcap"],
    ["tcp-echo/main/capture.pcap", "tasks/tcp-echo.md", "../tcp-echo/main/capture.pcap"],
    ["/home/x/reports/alice/tcp-echo/main/capture.pcap", "tcp-echo.md", "tcp-echo/main/capture.pcap"],
    ["/elsewhere/capture.pcap", "tcp-echo.md", null],
    [null, "tcp-echo.md", null],
  ])("places capture %j beside report %j", (capture, reportPath, link) => {
    expect(captureLink({ ...tcpEcho, report: reportPath }, { ...run, capture })).toBe(link);
  });
});
