import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ProgramFacts } from "./program-facts.ts";
import { readPythonModule } from "./python-module.ts";
import { pythonProgram } from "./python-program.ts";
import { pythonFacts } from "./python-source.ts";
import { draftProtocol } from "./struct-protocol.ts";

function facts(files: Record<string, string>, main: string): ProgramFacts {
  const modules = new Map(Object.entries(files).map(([path, text]) => [path, readPythonModule(path, text)]));
  return pythonFacts(pythonProgram(modules.get(main)!, modules));
}

const reference = (file: string) =>
  readFileSync(new URL(`../../../reference/${file}`, import.meta.url), "utf8");

describe("draftProtocol", () => {
  it("drafts the reference's protocol from sensor_common.py: formats imported, names packed, type and seq", () => {
    const files = Object.fromEntries(
      ["sensor_common.py", "sensor_tcp_client.py", "sensor_tcp_server.py"].map((f) => [f, reference(f)]),
    );
    const { protocol, notes } = draftProtocol(
      facts(files, "sensor_tcp_client.py"),
      facts(files, "sensor_tcp_server.py"),
    );
    expect(notes).toEqual([]);
    expect(protocol).toEqual({
      messages: [
        {
          name: "reading",
          from: "client",
          format: "!BHIfff?",
          fields: ["mtype", "sensor", "seq", "temperature", "humidity", "pressure", "alarm"],
          sequence: "seq",
          match: { mtype: 1 },
        },
        {
          name: "reply",
          from: "server",
          format: "!BI?",
          fields: ["mtype", "seq", "ok"],
          sequence: "seq",
          match: { mtype: 2 },
        },
      ],
    });
  });

  it("reads literals, struct.Struct objects and f1, f2… where the code names nothing", () => {
    const client = [
      "import socket, struct, random",
      "READING = struct.Struct('<Ihf')",
      "s = socket.create_connection(('127.0.0.1', 9000))",
      "for counter in range(20):",
      "    s.sendall(READING.pack(counter, random.randint(0, 9), random.random()))",
      "    print(struct.unpack('<I?', s.recv(5)))",
    ].join("\n");
    const server =
      "import struct\nvalues = struct.unpack('<Ihf', b'')\nconn.sendall(struct.pack('<I?', values[0], True))";
    const { protocol } = draftProtocol(facts({ "c.py": client }, "c.py"), facts({ "s.py": server }, "s.py"));
    expect(protocol?.messages).toEqual([
      {
        name: "reading",
        from: "client",
        format: "<Ihf",
        fields: ["counter", "f2", "f3"],
        sequence: "counter",
      },
      { name: "reply", from: "server", format: "<I?", fields: ["f1", "f2"] },
    ]);
  });

  it("matches a first byte packed from a constant, a one-byte tag too", () => {
    const client =
      "import struct\nMSG = 1\nstruct.pack('!BIf', MSG, seq, temp)\nstruct.pack('!cI', b'H', seq)";
    const server = "import struct\nkind, seq, temp = struct.unpack('!BIf', data)";
    const { protocol } = draftProtocol(facts({ "c.py": client }, "c.py"), facts({ "s.py": server }, "s.py"));
    expect(protocol?.messages.map((m) => [m.name, m.fields, m.match])).toEqual([
      ["reading", ["kind", "seq", "temp"], { kind: 1 }],
      ["message", ["type", "seq"], { type: "H" }],
    ]);
  });

  it("leaves out what does not make a valid description, and says so", () => {
    // two client messages of one size that no match value tells apart
    const client = "import struct\nstruct.pack('!II', seq, a)\nstruct.pack('!If', seq, b)";
    const drafted = draftProtocol(facts({ "c.py": client }, "c.py"), facts({ "s.py": "" }, "s.py"));
    expect(drafted.protocol?.messages.map((m) => m.format)).toEqual(["!II"]);
    expect(drafted.notes).toEqual([
      "messages that did not fit one description together were left out: add them by hand",
    ]);
  });

  it("drafts nothing when the client packs no struct format", () => {
    const none = facts({ "c.py": "import json\nsock.sendall(json.dumps(x).encode())" }, "c.py");
    expect(draftProtocol(none, none)).toEqual({
      protocol: null,
      notes: ["no struct format packed by the client was found: write protocol: by hand"],
    });
  });
});
