import { describe, expect, it } from "vitest";
import {
  checkProtocol,
  type Protocol,
  type ProtocolMessage,
  type StructLayout,
} from "../../protocol/index.ts";
import { byteOrder, protocolSection } from "./protocol.ts";

function protocolOf(messages: unknown[]): Protocol {
  const checked = checkProtocol({ protocol: { messages } });
  if (!checked.ok) throw new Error(checked.problems.map((p) => `${p.path}: ${p.message}`).join("; "));
  return checked.protocol;
}

const SENSOR = protocolOf([
  {
    name: "reading",
    from: "client",
    format: "!BHIfff?",
    fields: ["type", "sensor", "seq", "temperature", "humidity", "pressure", "alarm"],
    sequence: "seq",
    match: { type: 1 },
  },
  { name: "ack", from: "server", format: "!BI", fields: ["type", "seq"], sequence: "seq" },
]);

describe("protocolSection", () => {
  it("describes each message with its facts, diagram and field table", () => {
    const md = protocolSection(SENSOR);
    expect(md).toContain("### reading (client → server)");
    expect(md).toContain("### ack (server → client)");
    expect(md).toContain("- struct format: `!BHIfff?` (7 values)");
    expect(md).toContain("- size: 20 bytes\n");
    expect(md).toContain("- byte order: `!` network order (big-endian)");
    expect(md).toContain("- kinds of data: integer, float, bool (3)");
    expect(md).toContain("- kinds of data: integer (1)");
    expect(md).toContain("- sequence number: `seq`");
    expect(md).toContain("- recognised by: `type = 1`");
    expect(md).toContain("|     type      |            sensor             |      seq      |");
    expect(md).toContain("| temperature | `f` | float | 7 | 4 | big-endian (network) |");
    expect(md).toContain("```text\n");
    // One diagram per message.
    expect(md.match(/```text/g)).toHaveLength(2);
  });

  it("names alignment padding of native formats and honours the heading level", () => {
    const md = protocolSection(
      protocolOf([{ name: "r", from: "client", format: "BHi", fields: ["a", "b", "c"] }]),
      { headingLevel: 4 },
    );
    expect(md).toContain("#### r (client → server)");
    expect(md).toContain("- size: 8 bytes, of which 1 is padding");
    expect(md).toContain("`@` native order");
    expect(md).not.toContain("recognised by");
    expect(md).not.toContain("sequence number");
  });

  it("spells out every byte order", () => {
    expect(byteOrder(structLayout(SENSOR.messages[0]!))).toMatch(/big-endian/);
    const little = protocolOf([{ name: "r", from: "client", format: "<?s", fields: ["a", "b"] }]);
    expect(byteOrder(structLayout(little.messages[0]!))).toMatch(/^`<` little-endian/);
    expect(protocolSection(little)).toContain("- kinds of data: bool, bytes (2)");
  });
});

function structLayout(message: ProtocolMessage): StructLayout {
  if (message.body.type !== "struct") throw new Error(`${message.name} is not a struct message`);
  return message.body.layout;
}
