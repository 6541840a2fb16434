// A program's output as it arrives: per-stream text (capped), lines with stream, number and time, and a
// combined transcript that expectations match against in order.
import { StringDecoder } from "node:string_decoder";

export type StreamName = "stdout" | "stderr";

/** One line of output. */
export interface OutputLine {
  readonly stream: StreamName;
  /** Without the line ending. */
  readonly text: string;
  /** 1-based, per stream. */
  readonly number: number;
  /** Milliseconds since the program started. */
  readonly atMs: number;
}

/** A match of an expectation in the transcript. */
export interface OutputMatch {
  readonly text: string;
  readonly groups: readonly (string | undefined)[];
}

interface StreamState {
  readonly decoder: StringDecoder;
  text: string;
  bytes: number;
  /** Every byte read, kept or dropped. */
  seen: number;
  partial: string;
  lineCount: number;
  truncated: boolean;
  ended: boolean;
}

/** Collects a program's output up to a byte limit per stream; output beyond it is read and dropped. */
export class OutputCollector {
  readonly lines: OutputLine[] = [];
  private transcriptText = "";
  private cursor = 0;
  private readonly streams: Record<StreamName, StreamState>;
  private readonly lineListeners = new Set<(line: OutputLine) => void>();
  private readonly changeListeners = new Set<() => void>();

  constructor(
    private readonly maxBytes: number,
    private readonly startedAt: number,
  ) {
    const fresh = (): StreamState => ({
      decoder: new StringDecoder("utf8"),
      text: "",
      bytes: 0,
      seen: 0,
      partial: "",
      lineCount: 0,
      truncated: false,
      ended: false,
    });
    this.streams = { stdout: fresh(), stderr: fresh() };
  }

  /** Adds a chunk read from `stream`. */
  push(stream: StreamName, chunk: Buffer): void {
    const state = this.streams[stream];
    if (!state.ended) state.seen += chunk.length;
    if (state.truncated || state.ended) return;
    const room = this.maxBytes - state.bytes;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    state.bytes += kept.length;
    this.accept(stream, state.decoder.write(kept));
    if (kept.length < chunk.length) {
      state.truncated = true;
      this.accept(stream, `${state.decoder.end()}\n[socklab: ${stream} cut after ${this.maxBytes} bytes]\n`);
    }
  }

  /** Marks the end of `stream` (a last line without a newline is emitted). */
  end(stream: StreamName): void {
    const state = this.streams[stream];
    if (state.ended) return;
    if (!state.truncated) this.accept(stream, state.decoder.end());
    if (state.partial !== "") this.emitLine(stream, state.partial);
    state.partial = "";
    state.ended = true;
    this.changed();
  }

  text(stream: StreamName): string {
    return this.streams[stream].text;
  }

  /** Every byte the program wrote so far, on both streams, kept or dropped. */
  get seenBytes(): number {
    return this.streams.stdout.seen + this.streams.stderr.seen;
  }

  /** The streams that were cut, with the limit and how much the program wrote in all. */
  cuts(): { stream: StreamName; limitBytes: number; totalBytes: number }[] {
    return (["stdout", "stderr"] as const)
      .filter((s) => this.streams[s].truncated)
      .map((s) => ({ stream: s, limitBytes: this.maxBytes, totalBytes: this.streams[s].seen }));
  }

  get truncated(): boolean {
    return this.streams.stdout.truncated || this.streams.stderr.truncated;
  }

  /** Both streams interleaved in arrival order. */
  get transcript(): string {
    return this.transcriptText;
  }

  onLine(listener: (line: OutputLine) => void): () => void {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }

  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /**
   * Looks for `pattern` in the transcript after the previous match (so a prompt printed twice is matched
   * twice); on a match, moves past it. Partial lines count, so prompts without a newline match.
   */
  consume(pattern: RegExp | string): OutputMatch | undefined {
    const rest = this.transcriptText.slice(this.cursor);
    if (typeof pattern === "string") {
      const at = rest.indexOf(pattern);
      if (at < 0) return undefined;
      this.cursor += at + pattern.length;
      return { text: pattern, groups: [] };
    }
    const once = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ""));
    const found = once.exec(rest);
    if (!found) return undefined;
    this.cursor += found.index + found[0].length;
    return { text: found[0], groups: found.slice(1) };
  }

  private accept(stream: StreamName, text: string): void {
    if (text === "") return;
    const state = this.streams[stream];
    state.text += text;
    this.transcriptText += text;
    const pieces = (state.partial + text).split("\n");
    state.partial = pieces.pop() ?? "";
    for (const piece of pieces) this.emitLine(stream, piece.endsWith("\r") ? piece.slice(0, -1) : piece);
    this.changed();
  }

  private emitLine(stream: StreamName, text: string): void {
    const state = this.streams[stream];
    state.lineCount++;
    const line = {
      stream,
      text,
      number: state.lineCount,
      atMs: Math.round(performance.now() - this.startedAt),
    };
    this.lines.push(line);
    for (const listener of this.lineListeners) listener(line);
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }
}
