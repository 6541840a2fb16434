// `socklab analyse <capture>`: answers the handout's questions about any capture (ours or a student's
// Wireshark file) as a Markdown report, or as the documented JSON document with --json.
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { setFlagsFromString } from "node:v8";
import { analyseCapture } from "../analyse/index.ts";
import type { Conversation } from "../analyse/types.ts";
import {
  bufferedSink,
  createAnalysisJsonWriter,
  MAX_TABLE_ROWS,
  renderAnalysisMarkdown,
  type TextSink,
} from "../report/index.ts";
import { type Command, EXIT } from "./command.ts";
import { parseCommandArgs } from "./command-args.ts";
import { UsageError } from "./harness-error.ts";
import type { Output } from "./output.ts";

/**
 * Timeline rows kept per conversation unless --packets says otherwise: the Markdown report shows the first
 * conversations in full; the JSON document lists every conversation, so it keeps the start of each.
 */
export const DEFAULT_PACKETS = { markdown: 200, json: 20 } as const;
/** Delivered stream bytes kept per direction in the JSON document unless --stream-bytes says otherwise. */
export const JSON_STREAM_BYTES = 4096;

const usage = `Usage: socklab analyse <capture> [--port N] [--packets N|all] [--out FILE] [--json [--stream-bytes N]]

Reads a capture (pcap, nanosecond pcap or pcapng; Linux lo, macOS lo0, -i any, raw IP) and prints, per TCP or
UDP conversation, a packet timeline, a Mermaid sequence diagram of handshake, data and close, the analysis
labels found (retransmissions, duplicate ACKs, …) and an overhead table.

Any size of capture is read in one pass, with memory bounded by the conversations open at once: a finished
conversation is summarised and freed. The Markdown report lists the first ${MAX_TABLE_ROWS} conversations; --json lists
them all.

Options:
  --port N          only conversations with port N on either side
  --packets N|all   timeline rows kept per conversation (default ${DEFAULT_PACKETS.markdown}, or ${DEFAULT_PACKETS.json} with --json); the
                    rest are counted (timelineOmitted). "all" keeps every row: for small captures
  --out FILE        write the report (or the JSON) to FILE instead of standard output
  --json            print the analysis as JSON (see docs/analysis-json.md) instead of Markdown
  --stream-bytes N  with --json: delivered bytes kept (base64) per direction (default ${JSON_STREAM_BYTES}); every
                    stream's length and SHA-256 cover all of it whatever N is
  -h, --help        this text`;

function parseCount(option: string, text: string | undefined, fallback: number, all: boolean): number {
  if (text === undefined) return fallback;
  if (all && text === "all") return Number.POSITIVE_INFINITY;
  const count = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(count)) {
    throw new UsageError(`${option} takes a whole number${all ? ' or "all"' : ""}, not '${text}'`);
  }
  return count;
}

// Where the report goes: a file (created with its folder) or standard output, in chunks.
function openTarget(out: string | undefined, output: Output): TextSink & { end(): void } {
  if (out === undefined) {
    const sink = bufferedSink((chunk) => output.write(chunk));
    return { write: sink.write, writeBytes: sink.writeBytes, end: sink.flush };
  }
  mkdirSync(dirname(out), { recursive: true });
  const fd = openSync(out, "w");
  const sink = bufferedSink((chunk) => {
    if (typeof chunk === "string") writeSync(fd, chunk, null, "utf8");
    else for (let done = 0; done < chunk.length; ) done += writeSync(fd, chunk, done, chunk.length - done);
  });
  return {
    write: sink.write,
    writeBytes: sink.writeBytes,
    end() {
      sink.flush();
      closeSync(fd);
    },
  };
}

/**
 * The heap growth an analysis runs with: after each full collection V8 lets the heap grow by this much
 * before the next. An analysis keeps little alive (what is open) and turns much over (every finished
 * conversation), so V8's default growth (up to 4×) would fill memory with garbage: 20 % keeps a 10M-packet
 * --json analysis near 200 MiB instead of 330–380, at about the same CPU.
 */
export const HEAP_GROWING_PERCENT = 20;

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
    const parsed = parse(args);
    const file = parsed.positionals[0];
    if (file === undefined || parsed.positionals.length > 1) {
      throw new UsageError("name exactly one capture file");
    }
    const port = parsePort(parsed.values.port);
    const json = parsed.values.json === true;
    const packetsPerConversation = parseCount(
      "--packets",
      parsed.values.packets,
      json ? DEFAULT_PACKETS.json : DEFAULT_PACKETS.markdown,
      true,
    );
    if (!json && parsed.values["stream-bytes"] !== undefined) {
      throw new UsageError("--stream-bytes goes with --json (the Markdown report shows no stream bytes)");
    }
    const streamBytes = parseCount("--stream-bytes", parsed.values["stream-bytes"], JSON_STREAM_BYTES, false);
    const out = parsed.values.out;
    // Read by V8 at each full collection, so it takes effect now (unlike the young generation's size).
    setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    if (json) {
      // Every conversation, streamed through a spool; nothing is written unless the whole capture was read.
      let target: (TextSink & { end(): void }) | undefined;
      const writer = createAnalysisJsonWriter({
        write: (text) => target!.write(text),
        writeBytes: (bytes) => target!.writeBytes!(bytes),
      });
      try {
        const analysis = await analyseCapture(file, {
          port,
          packetsPerConversation,
          keepStreams: streamBytes,
          rowPayloadBytes: streamBytes,
          hashStreams: true,
          onConversation: (conversation) => writer.add(conversation),
        });
        target = openTarget(out, output);
        writer.finish(analysis);
        target.end();
      } finally {
        writer.close();
      }
    } else {
      // The report shows the first conversations only: the rest are counted, never kept. Streamed, so that
      // conversations finished early (UDP ones too) are freed.
      const listed: Conversation[] = [];
      const analysis = await analyseCapture(file, {
        port,
        packetsPerConversation,
        keepConversations: MAX_TABLE_ROWS,
        keepStreams: false,
        hashStreams: true,
        onConversation: (conversation) => listed.push(conversation),
      });
      listed.sort((a, b) => a.id - b.id);
      const target = openTarget(out, output);
      target.write(
        renderAnalysisMarkdown({ ...analysis, conversations: listed }, { title: `Analysis of ${file}` }),
      );
      target.end();
    }
    if (out !== undefined) output.err(`socklab analyse: wrote ${out}`);
    return EXIT.ok;
  },
};

function parse(args: string[]) {
  return parseCommandArgs(args, {
    port: { type: "string" },
    packets: { type: "string" },
    out: { type: "string" },
    json: { type: "boolean" },
    "stream-bytes": { type: "string" },
  });
}
