// Small pure helpers that find things in a run's record (the conversations on the task's port, a program's
// output line) and turn them into evidence references for failure messages.
import type { Conversation, TcpConversation, UdpConversation } from "../analyse/types.ts";
import type { Outcome } from "../run/index.ts";
import type { ProgramRecord, RunRecord } from "../session/index.ts";
import type { EvidenceRef } from "./result.ts";

/** The TCP conversations with the run's server port. */
export function tcpConversations(run: RunRecord): TcpConversation[] {
  return (run.analysis?.conversations ?? []).filter(
    (c): c is TcpConversation => c.protocol === "tcp" && c.server.port === run.port,
  );
}

/** The UDP conversations with the run's server port on either side. */
export function udpConversations(run: RunRecord): UdpConversation[] {
  return (run.analysis?.conversations ?? []).filter(
    (c): c is UdpConversation =>
      c.protocol === "udp" && (c.server.port === run.port || c.client.port === run.port),
  );
}

/** Every conversation of the run's capture. */
/**
 * The conversation that carried the exchange: the first for which `carries` holds (data from the client, a
 * datagram to the server…), else the first. A client that connects to "localhost" may first try ::1, and a
 * server listening on IPv4 only refuses that attempt (`socket.create_connection` then tries 127.0.0.1): the
 * refused attempt carries nothing and is not the one to judge.
 */
export function carrying<C>(convs: readonly C[], carries: (conv: C) => boolean): C | undefined {
  return convs.find(carries) ?? convs[0];
}

/** Whether a TCP connection carried data either way. */
export function carriesData(conv: TcpConversation): boolean {
  return conv.c2s.stream.length > 0 || conv.s2c.stream.length > 0;
}

export function conversations(run: RunRecord): readonly Conversation[] {
  return run.analysis?.conversations ?? [];
}

/** A reference to packet `n` of a run, with its tcpdump line when the timeline has it. */
export function packetRef(run: RunRecord, packet: number): EvidenceRef {
  let summary: string | undefined;
  for (const c of conversations(run)) {
    const row = c.timeline?.find((r) => r.number === packet);
    if (row) summary = row.summary;
  }
  return { kind: "packet", run: run.name, packet, ...(summary ? { summary } : {}) };
}

/** References to the first lines of a program's output matching `pattern` (or the last lines). */
export function outputRefs(run: RunRecord, record: ProgramRecord, pattern?: RegExp, max = 3): EvidenceRef[] {
  const lines = record.outcome.lines.filter((l) => (pattern ? pattern.test(l.text) : true));
  const chosen = pattern ? lines.slice(0, max) : lines.slice(-max);
  return chosen.map((l) => ({
    kind: "output" as const,
    run: run.name,
    program: record.role.name,
    stream: l.stream,
    line: l.number,
    text: l.text.slice(0, 300),
  }));
}

/** The exception line ("ValueError: …") of each Python traceback a program printed, in order. */
export function tracebackLines(outcome: Outcome): string[] {
  return tracebackChains(outcome).flat();
}

/** A traceback printed while handling the one before it is part of the same chain of exceptions. */
const CHAINED = /During handling of the above exception|The above exception was the direct cause/;

/**
 * The exception line of each traceback, grouped by chain: the tracebacks Python joins with "During handling
 * of the above exception, another exception occurred" end with the exception that ended the program.
 */
function tracebackChains(outcome: Outcome): string[][] {
  const blocks = outcome.stderr.split("Traceback (most recent call last):").slice(1);
  // Threads that fail together interleave their tracebacks: the header of another thread's traceback may
  // come before this one's exception line.
  const header =
    /^(Exception in thread |Exception ignored in|During handling of the above|The above exception)/;
  const chains: string[][] = [];
  let chained = false;
  for (const block of blocks) {
    const lines = block
      .split("\n")
      .filter((l) => l.trim() !== "" && !l.startsWith(" ") && !header.test(l.trim()));
    const line = (lines[0] ?? "").trim();
    const chain: string[] | undefined = chained ? chains.at(-1) : undefined;
    if (line !== "") {
      if (chain) chain.push(line);
      else chains.push([line]);
    }
    chained = CHAINED.test(block) && (chain !== undefined || line !== "");
  }
  return chains;
}

/** The first traceback's exception line, if the program printed one. */
export function tracebackLine(outcome: Outcome): string | null {
  return tracebackLines(outcome)[0] ?? null;
}

/**
 * Tracebacks that mean a crash. A chain ending in KeyboardInterrupt caused by socklab's own stop signal does
 * not count, with what Python printed while unwinding for it (asyncio.run shows a CancelledError first).
 */
export function crashLines(outcome: Outcome): string[] {
  const stopped = outcome.killedBy === "stop";
  return tracebackChains(outcome)
    .filter((chain) => !(stopped && /^KeyboardInterrupt\b/.test(chain.at(-1)!)))
    .flat();
}

/** The student's programs of a run. */
export function studentClients(run: RunRecord): ProgramRecord[] {
  return run.clients.filter((c) => c.role.source === "student");
}

/** Text of bytes for messages: printable ASCII with escapes, cut at `max`. */
export function showBytes(bytes: Uint8Array, max = 60): string {
  let text = "";
  for (const b of bytes.subarray(0, max)) {
    if (b === 0x5c) text += "\\\\";
    else if (b >= 0x20 && b < 0x7f) text += String.fromCharCode(b);
    else if (b === 0x0a) text += "\\n";
    else text += `\\x${b.toString(16).padStart(2, "0")}`;
  }
  return bytes.length > max ? `${text}… (${bytes.length} bytes)` : text;
}

/** The kept stream bytes of a TCP direction (base64 in the analysis), or null when not kept. */
export function streamBytes(stream: { base64: string | null }): Uint8Array | null {
  return stream.base64 === null ? null : new Uint8Array(Buffer.from(stream.base64, "base64"));
}
