import { describe, expect, it } from "vitest";
import { checkProtocol, fixedSize, type Protocol } from "../../protocol/index.ts";
import { validate, z } from "../../schema/index.ts";
import { protocolOption, taskProtocol } from "./protocol-option.ts";

const READING = { name: "reading", from: "client", format: "!If?", fields: ["seq", "t", "alarm"] };
const REPLY = { name: "reply", from: "server", format: "!I?", fields: ["seq", "ok"] };

function protocolOf(...messages: Record<string, unknown>[]): Protocol {
  const checked = checkProtocol({ protocol: { messages } });
  if (!checked.ok) throw new Error(checked.problems.map((p) => p.message).join("; "));
  return checked.protocol;
}

const options = z.object({ interval: z.number().default(0.2), protocol: protocolOption });

describe("protocolOption", () => {
  it("is optional", () => {
    expect(options.safeParse({})).toEqual({ success: true, data: { interval: 0.2, protocol: undefined } });
  });

  it("checks a description into a Protocol", () => {
    const parsed = options.parse({ protocol: { messages: [READING, REPLY] } });
    expect(parsed.protocol?.messages.map((m) => [m.name, m.from, fixedSize(m.body)])).toEqual([
      ["reading", "client", 9],
      ["reply", "server", 5],
    ]);
  });

  it("reports each problem at the task's protocol key, with the path inside it", () => {
    const parsed = options.safeParse({
      protocol: {
        messages: [
          { ...READING, fields: ["seq", "t"] },
          { ...REPLY, from: "nobody" },
        ],
      },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => [i.path, i.message])).toEqual([
      [["protocol"], 'messages[0].fields: format "!If?" packs 3 values but 2 field names are given'],
      [["protocol"], 'messages[1].from: expected client or server, got "nobody"'],
    ]);
  });

  it("names the key alone when the whole description is wrong", () => {
    const bad = validate(options, { protocol: 5 }, ["tasks", "sensor-udp"]);
    expect(bad).toEqual({
      ok: false,
      issues: [{ path: "tasks.sensor-udp.protocol", message: "expected a mapping with `messages`, got 5" }],
    });
    const empty = validate(options, { protocol: { messages: [] } }, ["tasks", "sensor-tcp"]);
    expect(empty).toEqual({
      ok: false,
      issues: [
        {
          path: "tasks.sensor-tcp.protocol",
          message: "messages: expected a list of messages, got an empty list",
        },
      ],
    });
  });

  it("quotes struct's own error for a bad format", () => {
    const parsed = options.safeParse({ protocol: { messages: [{ ...READING, format: "!Q!" }] } });
    expect(parsed.error?.issues[0]?.message).toBe(
      "messages[0].format: struct.error: bad char in struct format (at character 2)",
    );
  });
});

describe("taskProtocol", () => {
  const raw = { messages: [READING, REPLY] };
  const manifest = protocolOf(READING);
  const entry = (input: unknown) => ({
    server: "s",
    client: "c",
    host: "h",
    port: 1,
    options: {},
    input,
    derived: {},
  });

  it("prefers the task's own protocol, read from the manifest's value", () => {
    expect(
      taskProtocol(entry({ interval: 0.2, protocol: raw }), manifest)?.messages.map((m) => m.name),
    ).toEqual(protocolOf(READING, REPLY).messages.map((m) => m.name));
  });

  it("falls back to the manifest's, else none", () => {
    expect(taskProtocol(entry({ interval: 0.2 }), manifest)).toBe(manifest);
    expect(taskProtocol(entry({}), null)).toBeNull();
    expect(taskProtocol(entry(null), manifest)).toBe(manifest);
  });
});
