// The analysis as its JSON document, streamed: conversations are written to a spool file as the analyser
// finishes them (in any order), then the document is written with the conversations in id order, read back
// from the spool one at a time. Memory holds one conversation, whatever the capture's size. The document is
// indented like `JSON.stringify(analysis, null, 2)`, except that each conversation is compact, on a line of
// its own: a large capture's document is a third smaller and quicker to write, and can be read line by line.

import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StringDecoder } from "node:string_decoder";
import type { CaptureAnalysis, Conversation } from "../analyse/types.ts";
import { bufferedSink, type TextSink, writeCompactJson, writeJson, writeJsonObject } from "./json-writer.ts";

export interface AnalysisJsonWriter {
  /** Takes one finished conversation; ids may arrive in any order. */
  add(conversation: Conversation): void;
  /**
   * Writes the document: `analysis` with, in place of its `conversations`, every conversation added, in id
   * order. Closes the spool.
   */
  finish(analysis: CaptureAnalysis): void;
  /** Frees the spool without writing (after a failure). Safe to call more than once. */
  close(): void;
}

const READ_CHUNK = 1 << 20;

/** A writer whose spool lives in `tempDir` (default: the system's), removed at once so nothing stays behind. */
export function createAnalysisJsonWriter(sink: TextSink, tempDir = tmpdir()): AnalysisJsonWriter {
  const dir = mkdtempSync(join(tempDir, "socklab-analyse-"));
  const path = join(dir, "conversations.json");
  let fd: number | null = openSync(path, "w+");
  // The open descriptor keeps the file readable; its name and folder go now, so an interrupted run leaves
  // nothing in the temporary folder.
  rmSync(dir, { recursive: true, force: true });
  let end = 0;
  // Spool position and length (bytes) of conversation `id`, at [2 * id] and [2 * id + 1].
  const index: number[] = [];
  let count = 0;

  const spool = bufferedSink((chunk) => {
    const length = typeof chunk === "string" ? Buffer.byteLength(chunk, "utf8") : chunk.length;
    // A file takes the whole write (a short one would be an error, which writeSync throws).
    const written =
      typeof chunk === "string" ? writeSync(fd!, chunk, end, "utf8") : writeSync(fd!, chunk, 0, length, end);
    if (written !== length) throw new Error(`analysis spool: wrote ${written} of ${length} bytes`);
    end += length;
  });

  function close(): void {
    if (fd === null) return;
    closeSync(fd);
    fd = null;
  }

  function copyFromSpool(from: number, length: number, buffer: Buffer): void {
    const decoder = new StringDecoder("utf8");
    let at = from;
    const stop = from + length;
    while (at < stop) {
      const got = readSync(fd!, buffer, 0, Math.min(buffer.length, stop - at), at);
      if (got === 0) throw new Error(`analysis spool ended at byte ${at}, expected ${stop}`);
      // Passed on as bytes where the sink takes them: no string is made of the spooled text.
      if (sink.writeBytes !== undefined) sink.writeBytes(buffer.subarray(0, got));
      else sink.write(decoder.write(buffer.subarray(0, got)));
      at += got;
    }
    const rest = decoder.end();
    if (rest) sink.write(rest);
  }

  function writeConversations(depth: number): void {
    spool.flush();
    if (count === 0) {
      sink.write("[]");
      return;
    }
    const inner = "  ".repeat(depth + 1);
    const buffer = Buffer.allocUnsafe(READ_CHUNK);
    let written = 0;
    for (let id = 0; 2 * id < index.length; id++) {
      const from = index[2 * id];
      if (from === undefined) continue;
      sink.write(written === 0 ? `[\n${inner}` : `,\n${inner}`);
      copyFromSpool(from, index[2 * id + 1]!, buffer);
      written++;
    }
    sink.write(`\n${"  ".repeat(depth)}]`);
  }

  return {
    add(conversation) {
      if (fd === null) throw new Error("analysis JSON writer: add() after finish()");
      spool.flush();
      const from = end;
      writeCompactJson(spool, conversation);
      spool.flush();
      index[2 * conversation.id] = from;
      index[2 * conversation.id + 1] = end - from;
      count++;
    },
    finish(analysis) {
      try {
        const members = Object.keys(analysis).map((key) => {
          const write =
            key === "conversations"
              ? writeConversations
              : (depth: number) => writeJson(sink, analysis[key as keyof CaptureAnalysis], depth);
          return [key, write] as const;
        });
        writeJsonObject(sink, members);
        sink.write("\n");
      } finally {
        close();
      }
    },
    close,
  };
}
