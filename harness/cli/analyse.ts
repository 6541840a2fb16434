// `socklab analyse <capture>`: answers the handout's questions about any capture (ours or a student's
// Wireshark file) as a Markdown report, or as the documented JSON document with --json.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { analyseCapture } from "../analyse/index.ts";
import { renderAnalysisMarkdown } from "../report/index.ts";
import { type Command, EXIT } from "./command.ts";
import { UsageError } from "./harness-error.ts";

const usage = `Usage: socklab analyse <capture> [--port N] [--out report.md] [--json]

Reads a capture (pcap, nanosecond pcap or pcapng; Linux lo, macOS lo0, -i any, raw IP) and prints, per TCP or
UDP conversation, a packet timeline, a Mermaid sequence diagram of handshake, data and close, the analysis
labels found (retransmissions, duplicate ACKs, …) and an overhead table.

Options:
  --port N       only conversations with port N on either side
  --out FILE     write the Markdown report to FILE instead of standard output
  --json         print the analysis as JSON (see docs/analysis-json.md) instead of Markdown
  -h, --help     this text`;

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port takes a port number from 0 to 65535, not '${text}'`);
  }
  return port;
}

export const analyseCommand: Command = {
  name: "analyse",
  summary: "analyse a capture file: handshake, ACKs, teardown, labels, overhead (Markdown or --json)",
  usage,
  async run(args, output) {
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(args);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const file = parsed.positionals[0];
    if (file === undefined || parsed.positionals.length > 1) {
      throw new UsageError("name exactly one capture file");
    }
    const port = parsePort(parsed.values.port);
    const analysis = await analyseCapture(file, { port });
    const text = parsed.values.json
      ? `${JSON.stringify(analysis, null, 2)}\n`
      : renderAnalysisMarkdown(analysis, { title: `Analysis of ${file}` });
    if (parsed.values.out) {
      await mkdir(dirname(parsed.values.out), { recursive: true });
      await writeFile(parsed.values.out, text);
      output.err(`socklab analyse: wrote ${parsed.values.out}`);
    } else {
      output.out(text);
    }
    return EXIT.ok;
  },
};

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: { port: { type: "string" }, out: { type: "string" }, json: { type: "boolean" } },
  });
}
