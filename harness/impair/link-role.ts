// The lossy link as a program role of a grading run: started with `ctx.start(linkRole(config))` like a probe
// (its bundle sits in the staged probes folder), stopped with `program.stop()`, and read back from its stdout.

import { dirname } from "node:path";
import { formatCommand } from "../run/command.ts";
import type { ProgramRole } from "../run/index.ts";
import {
  encodeLinkConfig,
  LISTENING_LINE,
  type LinkConfig,
  LOG_PREFIX,
  PROXY_BUNDLE_NAME,
  STATS_PREFIX,
} from "./link-config.ts";
import { type LogEntry, logEntrySchema, type ProxyStats, proxyStatsSchema } from "./proxy.ts";

/** Long enough for any run: the driver stops the link, and the run's end kills it anyway. */
export const LINK_TIMEOUT_MS = 120_000;

/** The role that runs the link inside a run, with this process's Node (bound in when it is not under /usr). */
export function linkRole(config: LinkConfig, name = "link"): ProgramRole {
  const node = process.execPath;
  return {
    name,
    source: "probe",
    command: formatCommand([node, PROXY_BUNDLE_NAME, encodeLinkConfig(config)]),
    timeoutMs: LINK_TIMEOUT_MS,
    ...(node.startsWith("/usr/") ? {} : { extraBinds: [dirname(node)] }),
  };
}

/** What the link printed: its port (null if it never listened), its log, and its closing stats. */
export interface LinkOutput {
  readonly port: number | null;
  readonly log: LogEntry[];
  readonly stats: ProxyStats | null;
}

/** Reads the link's stdout; lines cut short (a link killed mid-write) are skipped. */
export function parseLinkOutput(stdout: string): LinkOutput {
  const listening = LISTENING_LINE.exec(stdout);
  const log: LogEntry[] = [];
  let stats: ProxyStats | null = null;
  for (const line of stdout.split("\n")) {
    if (line.startsWith(LOG_PREFIX)) {
      const entry = logEntrySchema.safeParse(parseJson(line.slice(LOG_PREFIX.length)));
      if (entry.success) log.push(entry.data);
    } else if (line.startsWith(STATS_PREFIX)) {
      const read = proxyStatsSchema.safeParse(parseJson(line.slice(STATS_PREFIX.length)));
      stats = read.success ? read.data : null;
    }
  }
  return { port: listening === null ? null : Number(listening[1]), log, stats };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
