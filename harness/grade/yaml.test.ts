import { describe, expect, it } from "vitest";
import { parseYaml } from "./yaml.ts";

describe("parseYaml", () => {
  it("reads a document, and says where each key path is", () => {
    const parsed = parseYaml("tasks:\n  tcp-echo: { server: a, client: b }\n  udp-echo:\n    - x\n    - y\n");
    expect(parsed).toMatchObject({
      ok: true,
      value: { tasks: { "tcp-echo": { server: "a", client: "b" }, "udp-echo": ["x", "y"] } },
    });
    if (!parsed.ok) return;
    expect(parsed.position("tasks.tcp-echo.client")).toEqual({ line: 2, column: 34 });
    expect(parsed.position("tasks.udp-echo[1]")).toEqual({ line: 5, column: 7 });
    // a key not written: where its entry is
    expect(parsed.position("tasks.tcp-echo.port")).toEqual({ line: 2, column: 13 });
    expect(parsed.position("nothing")).toBeNull();
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
