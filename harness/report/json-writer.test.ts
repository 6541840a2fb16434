import { describe, expect, it } from "vitest";
import { bufferedSink, writeCompactJson, writeJson, writeJsonObject } from "./json-writer.ts";

function written(value: unknown, depth = 0): string {
  const parts: string[] = [];
  writeJson({ write: (t) => parts.push(t) }, value, depth);
  return parts.join("");
}

describe("writeJson", () => {
  const samples: unknown[] = [
    null,
    0,
    -1.5,
    'text with "quotes" and \n newlines and \u0001',
    true,
    [],
    {},
    [1, "two", null, { three: [3] }],
    { a: undefined, b: () => 1, c: [undefined, () => 2], d: { toJSON: () => "as json" }, e: Number.NaN },
    { nested: { deeper: { deepest: [[], [{}], [[1, 2], { x: "y" }]] } } },
  ];
  it.each(samples.map((s) => [JSON.stringify(s) ?? String(s), s]))(
    "gives JSON.stringify's text for %s",
    (_, s) => {
      expect(written(s)).toBe(JSON.stringify(s, null, 2));
    },
  );

  it("gives JSON.stringify's text for values far larger than the native budget, in many small writes", () => {
    const rows = Array.from({ length: 3000 }, (_, i) => ({
      number: i,
      labels: i % 7 === 0 ? ["retransmission"] : [],
      ack: i % 3 === 0 ? null : i * 1000,
      preview: "x".repeat(i % 300),
      nested: { list: Array.from({ length: i % 5 }, (_, j) => j) },
    }));
    const value = {
      version: 1,
      conversations: [
        { id: 0, timeline: rows },
        { id: 1, timeline: rows.slice(0, 10) },
      ],
    };
    const parts: string[] = [];
    writeJson({ write: (t) => parts.push(t) }, value);
    expect(parts.join("")).toBe(JSON.stringify(value, null, 2));
    expect(Math.max(...parts.map((p) => p.length))).toBeLessThan(JSON.stringify(value, null, 2).length / 10);
  });

  it("indents a value written deeper in a document like the rest of it", () => {
    const inner = { a: [1, { b: 2 }] };
    const whole = JSON.stringify({ outer: { inner } }, null, 2);
    expect(whole).toContain(`"inner": ${written(inner, 2)}`);
  });

  it("writes compact JSON as JSON.stringify without spacing does, large values included", () => {
    const big = {
      rows: Array.from({ length: 5000 }, (_, i) => ({ i, s: "é".repeat(i % 50), l: [i, null] })),
    };
    for (const value of [...samples, big]) {
      const parts: string[] = [];
      writeCompactJson({ write: (t) => parts.push(t) }, value);
      expect(parts.join("")).toBe(JSON.stringify(value) ?? "");
    }
  });

  it("refuses a BigInt as JSON.stringify does", () => {
    expect(() => written({ n: 1n })).toThrow(TypeError);
  });
});

describe("writeJsonObject", () => {
  it("writes members from their own writers", () => {
    const parts: string[] = [];
    const sink = { write: (t: string) => parts.push(t) };
    writeJsonObject(sink, [
      ["version", (depth) => writeJson(sink, 1, depth)],
      ["list", (depth) => writeJson(sink, [{ a: 1 }], depth)],
    ]);
    expect(parts.join("")).toBe(JSON.stringify({ version: 1, list: [{ a: 1 }] }, null, 2));
    parts.length = 0;
    writeJsonObject(sink, []);
    expect(parts.join("")).toBe("{}");
  });
});

describe("bufferedSink", () => {
  it("passes everything on, in order, in chunks of about the size asked for", () => {
    const chunks: string[] = [];
    const sink = bufferedSink((c) => chunks.push(typeof c === "string" ? c : `<${Buffer.from(c)}>`), 10);
    for (let i = 0; i < 25; i++) sink.write(String(i % 10));
    sink.flush();
    expect(chunks.join("")).toBe("0123456789".repeat(2) + "01234");
    expect(chunks.slice(0, -1).every((c) => c.length >= 10)).toBe(true);
  });

  it("passes bytes on after the text written before them", () => {
    const chunks: string[] = [];
    const sink = bufferedSink((c) => chunks.push(typeof c === "string" ? c : `<${Buffer.from(c)}>`), 10);
    sink.write("ab");
    sink.writeBytes(Buffer.from("cd"));
    sink.write("ef");
    sink.flush();
    expect(chunks).toEqual(["ab", "<cd>", "ef"]);
  });
});
