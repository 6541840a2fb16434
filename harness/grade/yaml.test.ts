import { describe, expect, it } from "vitest";
import { parseYaml } from "./yaml.ts";

describe("parseYaml", () => {
  it("reads a document", () => {
    expect(parseYaml("tasks:\n  tcp-echo: { server: a, client: b }\n")).toEqual({
      ok: true,
      value: { tasks: { "tcp-echo": { server: "a", client: "b" } } },
    });
  });

  it.each([
    [
      "an unclosed flow sequence",
      "tasks:\n  tcp-echo:\n    server: [unclosed\n  client: x\n",
      /^line 4, column 3: /,
    ],
    ["a repeated key", "a: 1\na: 2\n", /^line 2, column 1: Map keys must be unique$/],
  ])("names the line and column of %s, in one line", (_, text, message) => {
    const parsed = parseYaml(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.message).toMatch(message);
      expect(parsed.message).not.toContain("\n");
    }
  });
});
