import { describe, expect, it } from "vitest";
import { cell, code, fenced, percent, table } from "./markdown.ts";

describe("markdown helpers", () => {
  it.each([
    ["a|b", "a\\|b"],
    ["line1\nline2", "line1 line2"],
    ["<script>", "&lt;script>"],
    [undefined, ""],
    [42, "42"],
  ])("escapes %j for a table cell", (input, expected) => {
    expect(cell(input)).toBe(expected);
  });

  it("builds a table with a rule line", () => {
    expect(
      table(
        ["n", "flags"],
        [
          [1, "S"],
          [2, "S."],
        ],
      ),
    ).toBe("| n | flags |\n| --- | --- |\n| 1 | S |\n| 2 | S. |");
  });

  it("keeps backticks inside code spans and fences", () => {
    expect(code("a`b")).toBe("``a`b``");
    expect(fenced("x ``` y", "text")).toBe("````text\nx ``` y\n````");
  });

  it("prints a percentage or a dash for an empty whole", () => {
    expect(percent(1, 4)).toBe("25.0 %");
    expect(percent(1, 0)).toBe("–");
  });
});
