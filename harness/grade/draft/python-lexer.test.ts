import { describe, expect, it } from "vitest";
import { logicalLines } from "./python-lexer.ts";

const texts = (source: string) => logicalLines(source).map((l) => l.tokens.map((t) => t.text).join(" "));

describe("logicalLines", () => {
  it("joins lines inside brackets and after a backslash, drops comments, keeps indentation", () => {
    const lines = logicalLines(
      [
        "import socket  # the socket module",
        "def main():",
        "    s.bind((HOST,",
        "            PORT))",
        "    x = 1 + \\",
        "        2",
      ].join("\n"),
    );
    expect(lines.map((l) => [l.indent, l.line])).toEqual([
      [0, 1],
      [0, 2],
      [4, 3],
      [4, 5],
    ]);
    expect(texts("s.bind((HOST,\n  PORT))")).toEqual(["s . bind ( ( HOST , PORT ) )"]);
  });

  it("reads each string literal as one token with its prefix, triple-quoted ones over several lines", () => {
    const [line] = logicalLines('x = f"seq={seq}" + b\'\\x01\' + r"\\d" + """a\nb"""');
    expect(line!.tokens.filter((t) => t.kind === "string")).toEqual([
      { kind: "string", text: "seq={seq}", prefix: "f" },
      { kind: "string", text: "\\x01", prefix: "b" },
      { kind: "string", text: "\\d", prefix: "r" },
      { kind: "string", text: "a\nb", prefix: "" },
    ]);
  });

  it("does not take a # inside a string for a comment, and survives an unterminated string", () => {
    expect(texts('print("#1") # comment')).toEqual(["print ( #1 )"]);
    expect(texts('x = "open\ny = 2')).toEqual(["x = open", "y = 2"]);
  });
});
