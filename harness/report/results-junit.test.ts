import { describe, expect, it } from "vitest";
import { fixture, passedCheck, threadedEcho } from "../../test/support/results-fixture.ts";
import type { TaskResult } from "../grade/index.ts";
import { toJUnit } from "./results-junit.ts";
import { xmlAttribute, xmlText } from "./xml.ts";

const xml = toJUnit(fixture);

// Enough of an XML reader for these tests: checks tags nest and close, and that no raw & or < is left.
function elements(text: string): { name: string; attrs: Record<string, string>; body: string }[] {
  const body = text.replace(/^<\?xml[^>]*\?>\n/, "").replace(/<!--[\s\S]*?-->/g, "");
  const stack: string[] = [];
  const found: { name: string; attrs: Record<string, string>; body: string }[] = [];
  const tag = /<(\/?)([\w-]+)((?:\s+[\w-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    const between = body.slice(last, m.index);
    expect(between).not.toMatch(/[<>]|&(?!(amp|lt|gt|quot|apos|#\d+);)/);
    last = tag.lastIndex;
    const [, closing, name, attrText, selfClosing] = m;
    if (closing) {
      expect(stack.pop()).toBe(name);
      continue;
    }
    const attrs = Object.fromEntries([...attrText!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]]));
    const end = body.indexOf(`</${name}>`, last);
    found.push({ name: name!, attrs, body: selfClosing || end < 0 ? "" : body.slice(last, end) });
    if (!selfClosing) stack.push(name!);
  }
  expect(stack).toEqual([]);
  return found;
}

const parsed = elements(xml);
const suites = parsed.filter((e) => e.name === "testsuite");
const cases = parsed.filter((e) => e.name === "testcase");
const inside = (caseName: string) => {
  const i = parsed.findIndex((e) => e.name === "testcase" && e.attrs.name === caseName);
  return parsed[i + 1]!;
};

describe("toJUnit", () => {
  it("is well-formed XML with a declaration", () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    expect(parsed[0]!.name).toBe("testsuites");
  });

  it("totals every task on <testsuites>", () => {
    expect(parsed[0]!.attrs).toMatchObject({
      tests: "8",
      failures: "1",
      errors: "2",
      skipped: "2",
      time: "41.730",
    });
  });

  it.each([
    ["tcp-echo", "5", "1", "1", "1", "3.200"],
    ["udp-echo", "1", "0", "0", "1", "0.000"],
    ["threaded-echo", "1", "0", "1", "0", "0.300"],
    ["struct-binary", "1", "0", "0", "0", "0.900"],
  ])("has a <testsuite> for %s with its counts", (name, tests, failures, errors, skipped, time) => {
    expect(suites.find((s) => s.attrs.name === name)!.attrs).toMatchObject({
      tests,
      failures,
      errors,
      skipped,
      time,
    });
  });

  it("has one <testcase> per check named by id and title, classed by task", () => {
    expect(cases.map((c) => `${c.attrs.classname} ${c.attrs.name}`)).toEqual([
      "socklab.tcp-echo server-ready: the server listens on its port",
      "socklab.tcp-echo handshake: the three-way handshake completes",
      "socklab.tcp-echo all-acked: every byte is acknowledged",
      "socklab.tcp-echo orderly-close: both sides close with FIN",
      "socklab.tcp-echo cross-probe: a 5000-byte payload sent in pieces comes back whole",
      "socklab.udp-echo datagrams: the client sends datagrams",
      "socklab.threaded-echo task: socklab could not grade this task",
      "socklab.struct-binary byte-order: the header is in network byte order",
    ]);
    expect(cases[1]!.attrs.time).toBe("1.500");
  });

  it.each([
    ["server-ready: the server listens on its port", "system-out", "the server listened on 127.0.0.1:50007"],
    [
      "handshake: the three-way handshake completes",
      "failure",
      "Expected: an ACK up to 13 (relative) from the server",
    ],
    [
      "all-acked: every byte is acknowledged",
      "skipped",
      "Not run: needs 'the three-way handshake completes'",
    ],
    [
      "orderly-close: both sides close with FIN",
      "error",
      "socklab could not run this check (not your fault)",
    ],
    ["datagrams: the client sends datagrams", "skipped", "not submitted: no 'udp-echo' entry"],
    ["task: socklab could not grade this task", "error", "tcpdump exited with code 1"],
  ])("puts %s's verdict in a <%s> body", (name, element, text) => {
    const verdict = inside(name);
    expect(verdict.name).toBe(element);
    expect(verdict.body).toContain(text);
  });

  it("puts the whole failure in the body and a short one-line message in the attribute", () => {
    const failure = inside("handshake: the three-way handshake completes");
    for (const part of ["Seen:", "Where:", "packet 7 of run main:", "How to fix:", "Points: 0.5/2"]) {
      expect(failure.body).toContain(part);
    }
    expect(failure.attrs.message).toBe(
      "expected the server to ACK byte 13, but its last ACK was 1 (packet 7)",
    );
    const long = toJUnit({
      ...fixture,
      tasks: [{ ...threadedEcho, error: `first line ${"x".repeat(500)}\nsecond line` }],
    });
    const message = /<error message="([^"]*)"/.exec(long)![1]!;
    expect(message.length).toBeLessThanOrEqual(200);
    expect(message).not.toContain("second line");
  });

  it("escapes markup and strips control characters and ANSI colour", () => {
    expect(xml).toContain("the server's highest ACK was 1 &lt;&amp;&gt; b'hi'");
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
  });

  it("keeps notes of a check that did not pass in <system-out>", () => {
    const task: TaskResult = {
      ...threadedEcho,
      status: "failed",
      checks: [
        { ...passedCheck, status: "skipped", reason: "r", dependsOn: "x", points: 0, notes: ["a note"] },
      ],
    };
    expect(toJUnit({ ...fixture, tasks: [task] })).toContain(
      '<skipped message="r">Not run: r</skipped>\n      <system-out>a note</system-out>',
    );
  });
});

describe("XML escaping", () => {
  it.each([
    ["a < b && c > d", "a &lt; b &amp;&amp; c &gt; d"],
    ["nul\u0000 bell\u0007 del\u007f", "nul bell del"],
    ["\u001b[1;31mred\u001b[0m", "red"],
    ["lone \uD800 surrogate, pair 😀", "lone  surrogate, pair 😀"],
    ["tab\tline\n", "tab\tline\n"],
  ])("text %j", (input, expected) => {
    expect(xmlText(input)).toBe(expected);
  });

  it.each([
    [`say "hi" & 'bye'`, "say &quot;hi&quot; &amp; &apos;bye&apos;"],
    ["two\nlines\r\tx", "two&#10;lines&#13;&#9;x"],
  ])("attribute %j", (input, expected) => {
    expect(xmlAttribute(input)).toBe(expected);
  });
});
