// Reports are inert: whatever a student's program prints, or a manifest says, every output format shows it as
// text. The Markdown is rendered with markdown-it, HTML enabled (as a renderer that trusts its input would),
// and no tag, image, link or script of the student's survives; the terminal gets no escape sequence; JUnit
// stays well-formed; long lines are cut and the cut said.
import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { failedCheck, fixture, passedCheck, tcpEcho } from "../../test/support/results-fixture.ts";
import type { SubmissionResult, TaskResult } from "../grade/index.ts";
import { renderSubmissionIndex, renderTaskReport, renderTerminal, toGradescope, toJUnit } from "./index.ts";
import { code, fenced, MAX_LINE, table } from "./markdown.ts";

/** What a hostile program prints: markup, images, links, backtick runs, terminal and OSC escapes. */
const HOSTILE = [
  "<img src=x onerror=alert(1)>",
  "![tracker](https://evil.example/pixel.png)",
  "[click](javascript:alert(2))",
  "``<script>alert(3)</script>``",
  "`` ` ``` ````",
  "\u001b[2J\u001b[H cleared \u001b]52;c;ZXZpbA==\u0007 \u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007",
  "<https://evil.example/auto>",
  "x".repeat(5000),
].join("\n");

// Task and check titles are socklab's own; everything else here can come from a student.
const hostileTask: TaskResult = {
  ...tcpEcho,
  checks: [
    { ...passedCheck, message: HOSTILE },
    {
      ...failedCheck,
      failure: {
        ...failedCheck.failure,
        message: HOSTILE,
        expected: HOSTILE,
        actual: HOSTILE,
        help: HOSTILE,
        evidence: [
          { kind: "output", run: "main", program: "client", stream: "stdout", line: 1, text: HOSTILE },
          { kind: "note", text: HOSTILE },
        ],
      },
    },
  ],
  advice: [{ id: "x", message: HOSTILE, evidence: [], help: HOSTILE }],
  runs: tcpEcho.runs.map((r) => ({
    ...r,
    warnings: [HOSTILE],
    programs: r.programs.map((p) => ({ ...p, command: HOSTILE, stdout: HOSTILE, stderr: HOSTILE })),
  })),
};
const hostile: SubmissionResult = {
  ...fixture,
  submission: { path: HOSTILE, name: HOSTILE, student: HOSTILE },
  tasks: [hostileTask],
  warnings: [HOSTILE],
};

const md = new MarkdownIt({ html: true, linkify: false });

/** Tags the student's text must never become, once the Markdown is rendered. */
function liveMarkup(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/<(img|script|iframe|svg|object|embed|a)\b[^>]*>/gi)) found.push(m[0]);
  if (/\u001b/.test(html)) found.push("a raw escape character");
  return found;
}

describe("reports are inert", () => {
  it("Markdown: the task report and the index render no live markup of the student's", () => {
    const pages = [renderTaskReport(hostileTask, [fenced(HOSTILE, "text")]), renderSubmissionIndex(hostile)];
    for (const page of pages) {
      const html = md.render(page);
      // Our own links (captures, reports) are relative; none may be the student's.
      expect(liveMarkup(html).filter((t) => !/^<a href="(?!javascript|https?:)[^"]*">$/.test(t))).toEqual([]);
      expect(page).not.toMatch(/\u001b/);
    }
  });

  it("Gradescope: no test output or summary renders live markup", () => {
    const doc = toGradescope(hostile);
    for (const text of [doc.output, ...doc.tests.map((t) => t.output)]) {
      expect(liveMarkup(md.render(text))).toEqual([]);
    }
  });

  it("the terminal gets no escape sequence of the student's, and JUnit no forbidden character", () => {
    const lines = renderTerminal(hostile, { colour: false, reports: "reports/index.md" });
    expect(lines.join("\n")).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F]/);
    const xml = toJUnit(hostile);
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(xml).not.toContain("<img");
    expect(xml).not.toContain("<script");
  });

  it("a code span in a table cell shows its text as it is; prose around it stays escaped", () => {
    const html = md.render(
      table(["command", "note"], [[code("python3 s.py '<img src=x>' a|b C:\\x"), HOSTILE]]),
    );
    expect(html).toContain("<code>python3 s.py '&lt;img src=x&gt;' a|b C:\\x</code>");
    expect(liveMarkup(html)).toEqual([]);
    // Backtick runs of the student's own in a cell: whatever CommonMark makes of them, nothing live.
    for (const text of [
      "`<img src=x onerror=alert(1)>`",
      '<img src="`" onerror=alert(1)>`',
      "`` ` <script>`` x",
    ]) {
      expect(liveMarkup(md.render(table(["x"], [[text]])))).toEqual([]);
    }
  });

  it("code spans and fences outlast any backtick run, and long lines are cut with the cut said", () => {
    const span = code("a `` b ``` c");
    expect(md.renderInline(span)).toBe("<code>a `` b ``` c</code>");
    const block = fenced("````\n<b>bold</b>\n````");
    expect(md.render(block)).toContain("&lt;b&gt;bold&lt;/b&gt;");
    const long = fenced("y".repeat(MAX_LINE + 250));
    expect(long).toContain("… (line cut: 250 more characters)");
  });
});
