// The outcome of one student program, the same shape whether it succeeded, failed, crashed or was killed,
// with its exit status put into words for students.
import { constants } from "node:os";
import { type LimitHit, limitText } from "./limit-hit.ts";
import type { OutputLine } from "./output.ts";

/** Why the grader (or a limit) ended a program, when it did not end by itself. */
export type KilledBy = "timeout" | "stop" | "limit";

export interface Outcome {
  readonly name: string;
  /** The words that were run inside the sandbox (after interpreter substitution). */
  readonly command: readonly string[];
  /** The exit code, or null when a signal ended the program. */
  readonly exitCode: number | null;
  /** The signal that ended the program (e.g. "SIGKILL"), or null. */
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly killedBy?: KilledBy;
  readonly stdout: string;
  readonly stderr: string;
  readonly lines: readonly OutputLine[];
  readonly wallMs: number;
  /** user+sys CPU time of the program's whole process tree, or null when it could not be measured. */
  readonly cpuMs: number | null;
  /** Whether stdout or stderr was cut at the output limit. */
  readonly truncated: boolean;
  /** Set when the program could not be started at all (a harness problem, not the student's). */
  readonly startError?: string;
  /** The resource limits it ran into (processes, memory, output), each named in `description`. */
  readonly limits: readonly LimitHit[];
  readonly description: string;
}

/** What describeOutcome needs to know. */
export interface OutcomeFacts {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly killedBy?: KilledBy;
  /** The stop signals the grader sent, in order (for killedBy "stop"). */
  readonly stopSignals?: readonly string[];
  readonly timeoutMs?: number;
  readonly cpuLimitSeconds?: number;
  /** The run ended (sandbox closed) while the program was still running. */
  readonly endedWithRun?: boolean;
  readonly truncated?: boolean;
  readonly startError?: string;
  readonly limits?: readonly LimitHit[];
  /** The program's command was not there (`env` said so, with exit code 127): the word it looked for. */
  readonly notFound?: string;
}

/** What `env` prints when the program's command is not there, and the word it names. */
const NOT_FOUND = /^env: [‘'"]?(.+?)[’'"]?: No such file or directory$/m;

/** The command word a program's stderr says was not found (exit code 127), or undefined. */
export function commandNotFound(exitCode: number | null, stderr: string): string | undefined {
  return exitCode === 127 ? NOT_FOUND.exec(stderr)?.[1] : undefined;
}

/** Why a command word was not found, in the words of the fix. */
function notFoundText(word: string): string {
  if (/^python2/.test(word)) {
    return `could not run: there is no ${word} where socklab runs programs, only Python 3: write python3 (and make the program run under Python 3)`;
  }
  if (/^python3\.\d+$/.test(word)) {
    return `could not run: there is no ${word} where socklab runs programs: write python3`;
  }
  return word.includes("/")
    ? `could not run: ${word} is not in the submission (is the path right, relative to where the program starts?)`
    : `could not run: there is no command ${word} where socklab runs programs`;
}

const SIGNAL_MEANINGS: Readonly<Record<string, string>> = {
  SIGINT: "interrupted, as by Ctrl-C",
  SIGTERM: "asked to terminate",
  SIGKILL: "killed",
  SIGSEGV: "segmentation fault",
  SIGABRT: "aborted",
  SIGBUS: "bus error",
  SIGFPE: "arithmetic error",
  SIGPIPE: "wrote to a closed pipe or socket",
  SIGXCPU: "CPU-time limit exceeded",
  SIGXFSZ: "file-size limit exceeded",
  SIGHUP: "hang-up",
};

/** A signal's name from its number, or undefined. */
export function signalName(signalNumber: number): string | undefined {
  return Object.entries(constants.signals).find(([, n]) => n === signalNumber)?.[0];
}

/**
 * The status of a sandboxed program from its launcher's exit. bwrap and the shells in between report a
 * program killed by signal N as exit code 128+N, so such codes are read as signals.
 */
export function decodeStatus(
  code: number | null,
  signal: string | null,
): { exitCode: number | null; signal: string | null } {
  if (signal !== null) return { exitCode: null, signal };
  if (code !== null && code > 128 && code <= 128 + 64) {
    const name = signalName(code - 128);
    if (name !== undefined) return { exitCode: null, signal: name };
  }
  return { exitCode: code, signal: null };
}

/** A duration for students: "10 s", "1.5 s" or "250 ms". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${Number((ms / 1000).toFixed(1))} s`;
}

function signalWords(signal: string): string {
  const meaning = SIGNAL_MEANINGS[signal];
  return meaning === undefined || meaning === "killed" ? signal : `${signal} (${meaning})`;
}

/** One sentence about how a program ended, e.g. "killed by SIGKILL after exceeding its 10 s time limit". */
export function describeOutcome(facts: OutcomeFacts): string {
  const hits = facts.limits ?? [];
  const named = hits.map((h) => `; ${limitText(h)}`).join("");
  const note =
    named !== ""
      ? facts.truncated && !hits.some((h) => h.kind === "output")
        ? `${named}; its output was cut at the output limit`
        : named
      : facts.truncated
        ? "; its output was cut at the output limit"
        : "";
  if (facts.startError !== undefined) return `could not be started: ${facts.startError}`;
  if (facts.notFound !== undefined) return `${notFoundText(facts.notFound)} (exit code 127)`;
  const { exitCode, signal } = facts;
  const ending = signal !== null ? `killed by ${signalWords(signal)}` : `exited with code ${exitCode}`;
  switch (facts.killedBy) {
    case "timeout":
      return `killed by ${signal ?? "SIGKILL"} after exceeding its ${formatDuration(facts.timeoutMs ?? 0)} time limit${note}`;
    case "limit": {
      const memory = hits.some((h) => h.kind === "memory");
      return facts.cpuLimitSeconds !== undefined &&
        (signal === "SIGXCPU" || (signal === "SIGKILL" && !memory))
        ? `killed by ${signal} after using up its ${facts.cpuLimitSeconds} s CPU-time limit${note}`
        : named !== ""
          ? `${ending}${note}`
          : `${ending} after reaching a resource limit${note}`;
    }
    case "stop": {
      if (facts.endedWithRun) {
        const how = signal !== null ? `was ${ending}` : `exited with code ${exitCode}`;
        return `was still running when the run ended, and ${how}${note}`;
      }
      const sent = facts.stopSignals ?? [];
      if (signal === "SIGKILL" && sent.length > 1) {
        return `killed by SIGKILL after ignoring ${sent.slice(0, -1).join(" and ")}${note}`;
      }
      return signal !== null
        ? `stopped by the grader with ${signal}${note}`
        : `exited with code ${exitCode} after the grader sent ${sent[0] ?? "a stop signal"}${note}`;
    }
    default:
      if (signal !== null) return `${ending}${note}`;
      return exitCode === 0 ? `exited normally (code 0)${note}` : `${ending}${note}`;
  }
}
