import { describe, expect, it } from "vitest";
import { allPassed, failedCheck, fixture } from "../../test/support/results-fixture.ts";
import type { CheckResult } from "../grade/index.ts";
import { renderTerminal } from "./results-terminal.ts";

const lines = renderTerminal(fixture, { colour: false });

describe("renderTerminal", () => {
  it("prints a line per task and per check, what failed, expected, seen and the fix, and every timeout", () => {
    expect(lines).toEqual([
      "tcp-echo (1.1) 3.5/7",
      "  ✓ the server listens on its port (1/1)",
      "  ✗ the three-way handshake completes (0.5/2)",
      "      expected the server to ACK byte 13, but its last ACK was 1 (packet 7)",
      "      expected: an ACK up to 13 (relative) from the server",
      "      seen: the server's highest ACK was 1 <&> b'\\x00hi\\x1b[31m'",
      "      fix: Call recv() in a loop until it returns b'' and send back every byte with sendall().",
      "  – every byte is acknowledged (0/1) not run: needs 'the three-way handshake completes' to pass first",
      "  ! both sides close with FIN (0/1)",
      "      socklab could not run this check (not your fault): TypeError: Cannot read properties of undefined (reading 'close')",
      "  ✓ a 5000-byte payload sent in pieces comes back whole (2/2)",
      "  ⚠ run main, client: killed by SIGKILL after exceeding its 5 s time limit",
      "  ⚠ run main: timed out after 5000 ms waiting for the client to exit; output so far: (nothing)",
      "  advice (no points): the server does not set SO_REUSEADDR <&> — Call setsockopt(SOL_SOCKET, SO_REUSEADDR, 1) before bind().",
      "udp-echo (1.2) 0/3 — not submitted: no 'udp-echo' entry in socklab.yaml",
      "threaded-echo (1.3) 0/4 — socklab could not grade this task (not the student's fault): tcpdump exited with code 1",
      "struct-binary (2.1) 2/2",
      "  ✓ the header is in network byte order (2/2)",
      "⚠ the host has no network namespaces: runs used the host loopback",
      "Score 5.5/16 — 1 check failed, 1 skipped, 1 errored (a socklab fault, not yours), 1 task not submitted, 1 task not graded (a socklab fault, not yours). Seed 12345. Reports: reports/alice/index.md",
    ]);
  });

  it("closes with the score, the seed and where the reports are", () => {
    expect(renderTerminal(allPassed, { colour: false, reports: "out/bob/index.md" }).at(-1)).toBe(
      "Score 2/2 — every check passed. Seed 12345. Reports: out/bob/index.md",
    );
  });

  it("shows the message when a failure has no expected or seen value", () => {
    const task = fixture.tasks[0]!;
    const check: CheckResult = { ...failedCheck, failure: { message: "no connection", evidence: [] } };
    const out = renderTerminal({ ...fixture, tasks: [{ ...task, checks: [check] }] }, { colour: false });
    expect(out[2]).toBe("      no connection");
  });

  it("wraps a failure's lines between words to the width, three lines at most", () => {
    const task = fixture.tasks[0]!;
    const long = "word ".repeat(60).trim();
    const check: CheckResult = { ...failedCheck, failure: { message: "m", actual: long, evidence: [] } };
    const out = renderTerminal(
      { ...fixture, tasks: [{ ...task, checks: [check] }] },
      { colour: false, width: 40 },
    );
    const seen = out.filter((l) => l.startsWith("      ") && !l.startsWith("      m"));
    expect(seen).toHaveLength(3);
    expect(seen[0]).toBe("      seen: word word word word word");
    expect(seen.every((l) => l.length <= 40)).toBe(true);
    expect(seen[2]!.endsWith(" …")).toBe(true);
  });

  it.each([
    [false, 0],
    [true, 1],
  ])("uses ANSI colour only when asked (colour %s)", (colour, some) => {
    const out = renderTerminal(fixture, { colour }).join("\n");
    // The fixture's own escape byte is shown as \x1b, so any real ESC here is the renderer's colour.
    expect(out.includes("\u001b[") ? 1 : 0).toBe(some);
    if (colour) {
      expect(out).toContain("\u001b[32m✓\u001b[0m");
      expect(out).toContain("\u001b[31m✗\u001b[0m");
    }
  });
});
