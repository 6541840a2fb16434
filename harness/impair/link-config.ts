// The link program's interface (proxy-main.ts run inside a grading run): the one JSON argument it takes, plain
// or base64 so that a command line split on blanks keeps it whole, and the lines it prints on stdout.

import { z } from "../schema/index.ts";
import { policySchema, scriptSchema } from "./fate.ts";
import { ImpairError } from "./impair-error.ts";

/** One message of the student's protocol, as the manifest wrote it under `protocol.messages` (the link checks
 * the description again, with the same rules). */
const identifyMessage = z.record(z.string(), z.unknown()).readonly();
export type IdentifyMessage = z.output<typeof identifyMessage>;

/** A port number, or (with `zeroAllowed`) 0 for any; the message names the key and the value. */
function portNumber(key: string, zeroAllowed: boolean) {
  const error = (issue: { input: unknown }) =>
    `${key} ${String(issue.input)} is not a port${zeroAllowed ? " (0 = any)" : ""}`;
  return z
    .number({ error })
    .int({ error })
    .min(zeroAllowed ? 0 : 1, { error })
    .max(65535, { error });
}

/** What the link program is asked to do. Exactly one of `policy` and `script`. */
export const linkConfigSchema = z
  .object({
    /** The port clients send to; 0 picks an ephemeral one (printed on the listening line). */
    listenPort: portNumber("listenPort", true),
    target: z.object({ port: portNumber("target.port", false) }, { error: "target.port is not a port" }),
    seed: z.number().refine(Number.isSafeInteger, {
      error: (issue) => `seed ${String(issue.input)} is not a whole number`,
    }),
    policy: policySchema.optional(),
    script: scriptSchema.optional(),
    holdCapMs: z.number().min(0, { error: "holdCapMs is not a duration" }).optional(),
    /** Names datagrams `<message>:<sequence>` with the student's protocol (others are keyed on their SHA-1). */
    identify: z
      .object(
        { messages: z.array(identifyMessage, { error: "identify has no messages list" }).readonly() },
        { error: "identify has no messages list" },
      )
      .optional(),
  })
  .refine((config) => (config.policy === undefined) !== (config.script === undefined), {
    error: "needs exactly one of policy and script",
  });
export type LinkConfig = z.output<typeof linkConfigSchema>;

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
  const parsed = linkConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map(String).join(".");
    // The messages above name their key; zod's own ones get the key in front.
    const message =
      path === ""
        ? issue.code === "invalid_type"
          ? "is not a JSON object"
          : issue.message
        : issue.message.startsWith(path.split(".")[0]!)
          ? issue.message
          : `${path}: ${issue.message}`;
    throw new ImpairError("bad-option", `impair: link config ${message}`);
  }
  return parsed.data;
}
