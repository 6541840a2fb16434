// A hand-built SubmissionResult for the renderers' tests: every check status (passed, failed with full
// details and evidence, skipped, errored, hidden), a not-submitted task, an errored task and a timeout.
import type { CheckResult, SubmissionResult, TaskResult } from "../../harness/grade/index.ts";

const base = { notes: [], durationMs: 12 } as const;

export const passedCheck: Extract<CheckResult, { status: "passed" }> = {
  ...base,
  id: "server-ready",
  title: "the server listens on its port",
  maxPoints: 1,
  visibility: "visible",
  status: "passed",
  points: 1,
  message: "the server listened on 127.0.0.1:50007 after 80 ms",
  evidence: [{ kind: "packet", run: "main", packet: 1 }],
  notes: ["2 retransmissions seen, not penalised"],
};

export const failedCheck: Extract<CheckResult, { status: "failed" }> = {
  ...base,
  id: "handshake",
  title: "the three-way handshake completes",
  maxPoints: 2,
  visibility: "visible",
  status: "failed",
  points: 0.5,
  durationMs: 1500,
  failure: {
    message: "expected the server to ACK byte 13, but its last ACK was 1 (packet 7)",
    expected: "an ACK up to 13 (relative) from the server",
    actual: "the server's highest ACK was 1 <&> b'\u0000hi\u001b[31m'",
    evidence: [
      {
        kind: "packet",
        run: "main",
        packet: 7,
        summary: "127.0.0.1.50007 > 127.0.0.1.41234: Flags [.], ack 1, win 65483, length 0",
      },
      { kind: "output", run: "main", program: "client", stream: "stdout", line: 3, text: "got `b''`" },
      { kind: "file", path: "tcp_server.py" },
      { kind: "note", text: "the capture ends 2 s after the last ACK" },
    ],
    help: "Call recv() in a loop until it returns b'' and send back every byte with sendall().",
  },
};

export const skippedCheck: Extract<CheckResult, { status: "skipped" }> = {
  ...base,
  id: "all-acked",
  title: "every byte is acknowledged",
  maxPoints: 1,
  visibility: "visible",
  status: "skipped",
  points: 0,
  reason: "needs 'the three-way handshake completes' to pass first",
  dependsOn: "handshake",
};

export const erroredCheck: Extract<CheckResult, { status: "errored" }> = {
  ...base,
  id: "orderly-close",
  title: "both sides close with FIN",
  maxPoints: 1,
  visibility: "visible",
  status: "errored",
  points: 0,
  error: "TypeError: Cannot read properties of undefined (reading 'close')\n    at run (tcp.ts:190:12)",
};

export const hiddenCheck: Extract<CheckResult, { status: "passed" }> = {
  ...base,
  id: "cross-probe",
  title: "a 5000-byte payload sent in pieces comes back whole",
  maxPoints: 2,
  visibility: "hidden",
  status: "passed",
  points: 2,
  message: "the probe's 5000 bytes came back whole",
  evidence: [],
};

export const tcpEcho: TaskResult = {
  id: "tcp-echo",
  title: "TCP echo server and client",
  section: "1.1",
  status: "failed",
  score: 3.5,
  maxScore: 7,
  checks: [passedCheck, failedCheck, skippedCheck, erroredCheck, hiddenCheck],
  advice: [
    {
      id: "reuse-address",
      message: "the server does not set SO_REUSEADDR <&>",
      evidence: [
        { kind: "output", run: "main", program: "server", stream: "stderr", line: 2, text: "OSError" },
      ],
      help: "Call setsockopt(SOL_SOCKET, SO_REUSEADDR, 1) before bind().",
    },
  ],
  durationMs: 3200,
  report: "tcp-echo.md",
  runs: [
    {
      name: "main",
      title: "the student's server with the student's client",
      mode: "namespace",
      capture: "tcp-echo/main/capture.pcap",
      packets: 11,
      wallMs: 2100,
      warnings: ["timed out after 5000 ms waiting for the client to exit; output so far: (nothing)"],
      programs: [
        {
          run: "main",
          name: "server",
          source: "student",
          command: "python3 tcp_server.py",
          exitCode: null,
          signal: "SIGTERM",
          description: "stopped by the grader with SIGTERM",
          wallMs: 2000,
          cpuMs: 40,
          stdout: "listening\n",
          stderr: "",
        },
        {
          run: "main",
          name: "client",
          source: "student",
          command: "python3 tcp_client.py",
          exitCode: null,
          signal: "SIGKILL",
          description: "killed by SIGKILL after exceeding its 5 s time limit",
          wallMs: 5000,
          cpuMs: null,
          stdout: "hello\n",
          stderr: "",
        },
      ],
    },
  ],
};

export const udpEcho: Extract<TaskResult, { status: "not-submitted" }> = {
  id: "udp-echo",
  title: "UDP echo",
  section: "1.2",
  status: "not-submitted",
  reason: "no 'udp-echo' entry in socklab.yaml",
  score: 0,
  maxScore: 3,
  checks: [
    {
      ...base,
      durationMs: 0,
      id: "datagrams",
      title: "the client sends datagrams",
      maxPoints: 3,
      visibility: "visible",
      status: "skipped",
      points: 0,
      reason: "the task is not in the submission's manifest",
      dependsOn: "manifest",
    },
  ],
  advice: [],
  runs: [],
  durationMs: 0,
  report: "udp-echo.md",
};

export const threadedEcho: Extract<TaskResult, { status: "errored" }> = {
  id: "threaded-echo",
  title: "Threaded echo server",
  section: "1.3",
  status: "errored",
  error: "socklab could not grade this task (not the student's fault): tcpdump exited with code 1",
  score: 0,
  maxScore: 4,
  checks: [],
  advice: [],
  runs: [],
  durationMs: 300,
  report: null,
};

export const structBinary: TaskResult = {
  id: "struct-binary",
  title: "Binary protocol with struct",
  section: "2.1",
  status: "passed",
  score: 2,
  maxScore: 2,
  checks: [
    {
      ...base,
      id: "byte-order",
      title: "the header is in network byte order",
      maxPoints: 2,
      visibility: "after_due_date",
      status: "passed",
      points: 2,
      message: "every header field decodes with '!HHI'",
      evidence: [],
    },
  ],
  advice: [],
  runs: [],
  durationMs: 900,
  report: "struct-binary.md",
};

export const fixture: SubmissionResult = {
  version: 1,
  socklab: "0.1.0",
  submission: { path: "submissions/alice", name: "alice", student: "Alice Example" },
  startedAt: "2025-03-01T10:00:00.000Z",
  durationMs: 41_730,
  seed: 12345,
  score: 5.5,
  maxScore: 16,
  status: "errored",
  tasks: [tcpEcho, udpEcho, threadedEcho, structBinary],
  warnings: ["the host has no network namespaces: runs used the host loopback"],
};

/** A submission where every check passed. */
export const allPassed: SubmissionResult = {
  ...fixture,
  submission: { path: "submissions/bob", name: "bob", student: null },
  score: 2,
  maxScore: 2,
  status: "passed",
  tasks: [structBinary],
  warnings: [],
};
