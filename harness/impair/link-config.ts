// The link program's interface (proxy-main.ts run inside a grading run): the one JSON argument it takes, plain
// or base64 so that a command line split on blanks keeps it whole, and the lines it prints on stdout.

import type { Policy, Script } from "./fate.ts";
import { ImpairError } from "./impair-error.ts";

/** One message of the student's protocol, as in the manifest's `protocol.messages` (checked by the link). */
export interface IdentifyMessage {
  readonly name: string;
  readonly from: "client" | "server";
  readonly format: string;
  readonly fields: readonly string[];
  readonly sequence?: string;
  readonly match?: Readonly<Record<string, unknown>>;
}

/** What the link program is asked to do. Exactly one of `policy` and `script`. */
export interface LinkConfig {
  /** The port clients send to; 0 picks an ephemeral one (printed on the listening line). */
  readonly listenPort: number;
  readonly target: { readonly port: number };
  readonly seed: number;
  readonly policy?: Policy;
  readonly script?: Script;
  readonly holdCapMs?: number;
  /** Names datagrams `<message>:<sequence>` with the student's protocol (others are keyed on their SHA-1). */
  readonly identify?: { readonly messages: readonly IdentifyMessage[] };
}

/** The link program's file name in the staged probes folder (written by proxy-bundle.ts). */
export const PROXY_BUNDLE_NAME = "impair_proxy.mjs";

/** The first line the link prints, once its socket is bound. */
export const LISTENING_LINE = /^socklab-link listening on 127\.0\.0\.1:(\d+)$/m;
/** Prefix of each log line (one JSON LogEntry) and of the closing stats line (one JSON ProxyStats). */
export const LOG_PREFIX = "log ";
export const STATS_PREFIX = "stats ";

/** The listening line for a port. */
export function listeningLine(port: number): string {
  return `socklab-link listening on 127.0.0.1:${port}`;
}

/** The config as one command-line word (base64 of its JSON: no blanks, no shell operators). */
export function encodeLinkConfig(config: LinkConfig): string {
  return Buffer.from(JSON.stringify(config), "utf8").toString("base64");
}

/** Reads the config from the program's argument: JSON, or base64 of JSON. Throws ImpairError("bad-option"). */
export function decodeLinkConfig(argument: string): LinkConfig {
  const text = argument.trimStart().startsWith("{")
    ? argument
    : Buffer.from(argument, "base64").toString("utf8");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ImpairError("bad-option", "impair: the link's argument is neither JSON nor base64 of JSON", {
      cause: error,
    });
  }
  const problem = problemWith(raw);
  if (problem !== undefined) throw new ImpairError("bad-option", `impair: link config ${problem}`);
  return raw as LinkConfig;
}

// What is wrong with the shape of a config, if anything (the policy's numbers are checked by startProxy).
function problemWith(raw: unknown): string | undefined {
  if (!isRecord(raw)) return "is not a JSON object";
  if (!isPort(raw.listenPort, true)) return `listenPort ${String(raw.listenPort)} is not a port (0 = any)`;
  if (!isRecord(raw.target) || !isPort(raw.target.port, false)) return "target.port is not a port";
  if (!Number.isSafeInteger(raw.seed)) return `seed ${String(raw.seed)} is not a whole number`;
  if ((raw.policy === undefined) === (raw.script === undefined))
    return "needs exactly one of policy and script";
  if (raw.policy !== undefined && !isRecord(raw.policy)) return "policy is not an object";
  if (raw.script !== undefined && !isRecord(raw.script)) return "script is not an object";
  const cap = raw.holdCapMs;
  if (cap !== undefined && !(typeof cap === "number" && cap >= 0)) return "holdCapMs is not a duration";
  if (raw.identify !== undefined && !(isRecord(raw.identify) && Array.isArray(raw.identify.messages))) {
    return "identify has no messages list";
  }
  return undefined;
}

function isPort(value: unknown, zeroAllowed: boolean): boolean {
  return Number.isInteger(value) && (value as number) >= (zeroAllowed ? 0 : 1) && (value as number) <= 65535;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
