import { describe, expect, it } from "vitest";
import type { Outcome } from "../run/index.ts";
import { crashLines, tracebackLines } from "./evidence.ts";

const outcome = (stderr: string, stopped = true): Outcome => ({
  name: "server",
  command: ["python3", "server.py"],
  exitCode: null,
  signal: "SIGINT",
  timedOut: false,
  ...(stopped ? { killedBy: "stop" as const } : {}),
  stdout: "",
  stderr,
  lines: [],
  wallMs: 1000,
  cpuMs: 10,
  truncated: false,
  limits: [],
  description: "stopped by the grader with SIGINT",
});

describe("tracebackLines", () => {
  it("never takes another thread's header for an exception when two tracebacks interleave", () => {
    const stderr = [
      "Exception in thread Thread-1 (serve):",
      "Traceback (most recent call last):",
      "Exception in thread Thread-2 (serve):",
      '  File "threaded_server.py", line 17, in serve',
      "Traceback (most recent call last):",
      '  File "threaded_server.py", line 17, in serve',
      "    data = conn.recv(2048)",
      "ConnectionResetError: [Errno 104] Connection reset by peer",
      "    data = conn.recv(2048)",
      "ConnectionResetError: [Errno 104] Connection reset by peer",
      "",
    ].join("\n");
    expect(tracebackLines(outcome(stderr))).toEqual([
      "ConnectionResetError: [Errno 104] Connection reset by peer",
    ]);
  });

  it("leaves out socklab's own stop (KeyboardInterrupt) from the crashes", () => {
    const stderr = 'Traceback (most recent call last):\n  File "s.py", line 3\nKeyboardInterrupt\n';
    expect(crashLines(outcome(stderr))).toEqual([]);
    expect(crashLines(outcome(stderr, false))).toEqual(["KeyboardInterrupt"]);
  });

  it("leaves out what Python printed while unwinding for socklab's stop (asyncio.run shows a CancelledError first)", () => {
    const stderr = [
      "Traceback (most recent call last):",
      '  File "/usr/lib/python3.11/asyncio/base_events.py", line 369, in serve_forever',
      "    await self._serving_forever_fut",
      "asyncio.exceptions.CancelledError",
      "",
      "During handling of the above exception, another exception occurred:",
      "",
      "Traceback (most recent call last):",
      '  File "/usr/lib/python3.11/asyncio/runners.py", line 123, in run',
      "    raise KeyboardInterrupt()",
      "KeyboardInterrupt",
      "",
    ].join("\n");
    expect(tracebackLines(outcome(stderr))).toEqual([
      "asyncio.exceptions.CancelledError",
      "KeyboardInterrupt",
    ]);
    expect(crashLines(outcome(stderr))).toEqual([]);
    // a crash of its own before the stop still counts: a separate chain
    const crashed = `Traceback (most recent call last):\n  File "s.py", line 9\nValueError: bad\n${stderr}`;
    expect(crashLines(outcome(crashed))).toEqual(["ValueError: bad"]);
    // not stopped by socklab: the whole chain is a crash
    expect(crashLines(outcome(stderr, false))).toEqual([
      "asyncio.exceptions.CancelledError",
      "KeyboardInterrupt",
    ]);
  });
});
