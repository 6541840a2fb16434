// Is a command's standard output one valid JSON document? Runs the command with its stdout piped here and
// checks the bytes as they come (json-grammar.ts: constant memory, whatever the size), then prints one JSON
// line: the command's exit code or signal, and the verdict. `-` instead of a command checks standard input.
//
// Usage: node --import tsx bench/json-check.ts -- CMD ARGS...
//        node --import tsx bench/json-check.ts - < document.json
import { spawn } from "node:child_process";
import { JsonGrammar, type JsonVerdict } from "./json-grammar.ts";

/** The command's outcome and the verdict on what it printed. */
export interface JsonCheck {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stderrTail: string[];
  readonly verdict: JsonVerdict;
}

/** Runs `command` and checks its standard output as it streams. */
export function checkCommandJson(command: readonly string[]): Promise<JsonCheck> {
  return new Promise((resolve, reject) => {
    const [file, ...args] = command;
    if (!file) throw new Error("json-check: no command");
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"] });
    const grammar = new JsonGrammar();
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => grammar.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on("error", reject);
    child.on("close", (exitCode, signal) =>
      resolve({ exitCode, signal, stderrTail: stderr.trim().split("\n").slice(-5), verdict: grammar.end() }),
    );
  });
}

async function checkStdin(): Promise<JsonVerdict> {
  const grammar = new JsonGrammar();
  for await (const chunk of process.stdin) grammar.push(chunk as Buffer);
  return grammar.end();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const command = args[0] === "--" ? args.slice(1) : args;
  const result = command[0] === "-" ? { verdict: await checkStdin() } : await checkCommandJson(command);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exitCode = result.verdict.valid ? 0 : 1;
}
