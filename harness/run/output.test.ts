import { describe, expect, it } from "vitest";
import { OutputCollector } from "./output.ts";

const bytes = (text: string) => Buffer.from(text, "utf8");

describe("OutputCollector", () => {
  it("splits lines per stream across chunks, numbering each stream from 1", () => {
    const out = new OutputCollector(1024, performance.now());
    out.push("stdout", bytes("hel"));
    out.push("stderr", bytes("oops\r\n"));
    out.push("stdout", bytes("lo\nworld\npartial"));
    out.end("stdout");
    out.end("stderr");
    expect(out.lines.map((l) => [l.stream, l.number, l.text])).toEqual([
      ["stderr", 1, "oops"],
      ["stdout", 1, "hello"],
      ["stdout", 2, "world"],
      ["stdout", 3, "partial"],
    ]);
    expect(out.text("stdout")).toBe("hello\nworld\npartial");
    expect(out.transcript).toBe("heloops\r\nlo\nworld\npartial");
  });

  it("keeps a multi-byte character split between chunks intact", () => {
    const out = new OutputCollector(1024, performance.now());
    const euro = bytes("€\n");
    out.push("stdout", euro.subarray(0, 1));
    out.push("stdout", euro.subarray(1));
    expect(out.lines[0]?.text).toBe("€");
  });

  it("cuts a stream at the limit with a note, and keeps the other", () => {
    const out = new OutputCollector(10, performance.now());
    out.push("stdout", bytes("0123456789ABCDEF\n"));
    out.push("stdout", bytes("more\n"));
    out.push("stderr", bytes("err\n"));
    expect(out.truncated).toBe(true);
    expect(out.text("stdout")).toBe("0123456789\n[socklab: stdout cut after 10 bytes]\n");
    expect(out.text("stderr")).toBe("err\n");
  });

  it("matches expectations in order, prompts without a newline included", () => {
    const out = new OutputCollector(1024, performance.now());
    out.push("stdout", bytes("Enter a message: "));
    expect(out.consume("Enter a message:")).toEqual({ text: "Enter a message:", groups: [] });
    expect(out.consume("Enter a message:")).toBeUndefined();
    out.push("stdout", bytes("echo: hi\nEnter a message: "));
    expect(out.consume(/echo: (\w+)/g)).toEqual({ text: "echo: hi", groups: ["hi"] });
    expect(out.consume("Enter a message:")).toBeDefined();
  });

  it("tells listeners about each line", () => {
    const out = new OutputCollector(1024, performance.now());
    const seen: string[] = [];
    const stop = out.onLine((line) => seen.push(line.text));
    out.push("stdout", bytes("a\nb\n"));
    stop();
    out.push("stdout", bytes("c\n"));
    expect(seen).toEqual(["a", "b"]);
  });
});
