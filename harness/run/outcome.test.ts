import { describe, expect, it } from "vitest";
import { commandNotFound, decodeStatus, describeOutcome, formatDuration } from "./outcome.ts";

describe("decodeStatus", () => {
  it.each([
    [0, null, { exitCode: 0, signal: null }],
    [1, null, { exitCode: 1, signal: null }],
    [128, null, { exitCode: 128, signal: null }],
    [130, null, { exitCode: null, signal: "SIGINT" }],
    [137, null, { exitCode: null, signal: "SIGKILL" }],
    [139, null, { exitCode: null, signal: "SIGSEGV" }],
    [152, null, { exitCode: null, signal: "SIGXCPU" }],
    [255, null, { exitCode: 255, signal: null }],
    [null, "SIGTERM", { exitCode: null, signal: "SIGTERM" }],
  ] as const)("reads code %s / signal %s", (code, signal, expected) => {
    expect(decodeStatus(code, signal)).toEqual(expected);
  });
});

describe("describeOutcome", () => {
  it.each([
    [{ exitCode: 0, signal: null }, "exited normally (code 0)"],
    [{ exitCode: 1, signal: null }, "exited with code 1"],
    [{ exitCode: null, signal: "SIGSEGV" }, "killed by SIGSEGV (segmentation fault)"],
    [{ exitCode: null, signal: "SIGKILL" }, "killed by SIGKILL"],
    [
      { exitCode: null, signal: "SIGKILL", killedBy: "timeout", timeoutMs: 10_000 },
      "killed by SIGKILL after exceeding its 10 s time limit",
    ],
    [
      { exitCode: null, signal: "SIGXCPU", killedBy: "limit", cpuLimitSeconds: 10 },
      "killed by SIGXCPU after using up its 10 s CPU-time limit",
    ],
    [
      { exitCode: null, signal: "SIGINT", killedBy: "stop", stopSignals: ["SIGINT"] },
      "stopped by the grader with SIGINT",
    ],
    [
      { exitCode: 0, signal: null, killedBy: "stop", stopSignals: ["SIGINT"] },
      "exited with code 0 after the grader sent SIGINT",
    ],
    [
      { exitCode: null, signal: "SIGKILL", killedBy: "stop", stopSignals: ["SIGINT", "SIGTERM", "SIGKILL"] },
      "killed by SIGKILL after ignoring SIGINT and SIGTERM",
    ],
    [
      { exitCode: null, signal: "SIGKILL", killedBy: "stop", endedWithRun: true },
      "was still running when the run ended, and was killed by SIGKILL",
    ],
    [
      { exitCode: 1, signal: null, startError: "spawn setpriv ENOENT" },
      "could not be started: spawn setpriv ENOENT",
    ],
    [
      { exitCode: 0, signal: null, truncated: true },
      "exited normally (code 0); its output was cut at the output limit",
    ],
  ] as const)("describes %j", (facts, text) => {
    expect(describeOutcome(facts)).toBe(text);
  });
});

describe("formatDuration", () => {
  it.each([
    [250, "250 ms"],
    [1000, "1 s"],
    [1500, "1.5 s"],
    [10_000, "10 s"],
  ])("%d ms is %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("a command that is not there", () => {
  it("names a Python 2 interpreter and the fix", () => {
    const word = commandNotFound(127, "env: ‘python2’: No such file or directory\n");
    expect(word).toBe("python2");
    expect(describeOutcome({ exitCode: 127, signal: null, notFound: "python2" })).toBe(
      "could not run: there is no python2 where socklab runs programs, only Python 3: write python3 (and make the program run under Python 3) (exit code 127)",
    );
  });

  it("names a missing file of the submission", () => {
    expect(describeOutcome({ exitCode: 127, signal: null, notFound: "./server" })).toMatch(
      /^could not run: \.\/server is not in the submission/,
    );
  });

  it("says nothing special for a program's own exit code 127", () => {
    expect(commandNotFound(127, "Traceback (most recent call last):\n")).toBeUndefined();
    expect(commandNotFound(1, "env: ‘x’: No such file or directory\n")).toBeUndefined();
  });
});
