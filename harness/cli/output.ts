// The CLI's output layer: the only place that writes to the terminal. Colour only on a TTY, never under NO_COLOR.

import { writeSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";

export interface Output {
  out(text: string): void;
  /** Writes text (or UTF-8 bytes) to standard output as it is (no line end added): output streamed in pieces. */
  write(text: string | Uint8Array): void;
  err(text: string): void;
  /** A status line rewritten in place on a terminal (progress); nothing elsewhere. "" clears it. */
  live?(text: string): void;
  /** The terminal's width, when stdout is one. */
  readonly columns?: number;
  readonly colour: boolean;
}

/**
 * A reader that went away (`socklab tasks | head -2`) is not an error: the rest of the output has nowhere to
 * go, so socklab ends with the exit code it had.
 */
const guarded = new WeakSet<NodeJS.WriteStream>();
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
    throw error;
  });
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of `text` to `fd` before returning. A large document written in pieces through
 * process.stdout would pile up in memory whenever the reader is slower than the writer (a pipe or socket
 * takes only what its buffer holds); here a full pipe makes socklab wait for it instead.
 */
function writeAllSync(fd: number, text: string | Uint8Array): void {
  const bytes = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  let done = 0;
  while (done < bytes.length) {
    try {
      done += writeSync(fd, bytes, done, bytes.length - done);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") Atomics.wait(pause, 0, 0, 2);
      else if (code === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
      else throw error;
    }
  }
}

/** The process's own stdout/stderr. */
export function processOutput(): Output {
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  const colour = Boolean(process.stdout.isTTY) && !("NO_COLOR" in process.env) && process.env.TERM !== "dumb";
  return {
    out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
    write: (text) => writeAllSync(process.stdout.fd, text),
    err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
    live: (text) => {
      if (!process.stderr.isTTY) return;
      const width = process.stderr.columns ?? 80;
      process.stderr.write(`\r\u001b[K${text.length > width - 1 ? `${text.slice(0, width - 2)}…` : text}`);
    },
    colour,
    ...(process.stdout.isTTY && process.stdout.columns ? { columns: process.stdout.columns } : {}),
  };
}

/** An output that keeps what is written, for tests. */
export function memoryOutput(): Output & { readonly stdout: string[]; readonly stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const bytes = new StringDecoder("utf8");
  return {
    out: (t) => stdout.push(t),
    write: (t) => stdout.push(typeof t === "string" ? t : bytes.write(Buffer.from(t))),
    err: (t) => stderr.push(t),
    colour: false,
    stdout,
    stderr,
  };
}

const codes = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;

/** Wraps text in an ANSI colour when the output wants colour. */
export function paint(output: Output, colour: keyof typeof codes, text: string): string {
  return output.colour ? `\u001b[${codes[colour]}m${text}\u001b[0m` : text;
}
