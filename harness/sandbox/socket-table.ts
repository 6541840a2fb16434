// The socket table of a network namespace, read from outside through /proc/<pid>/net (no nsenter needed).
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import {
  parseProcNet,
  parseSockstat,
  type SocketCounts,
  type SocketEntry,
  type SocketProtocol,
} from "./proc-net.ts";

/** Reads the chosen tables of the netns that process `pid` is in; a table that cannot be read is empty. */
export async function readSocketTable(
  pid: number,
  protocols: readonly SocketProtocol[] = ["tcp", "tcp6", "udp", "udp6"],
): Promise<SocketEntry[]> {
  const tables = await Promise.all(
    protocols.map(async (protocol) => {
      try {
        return parseProcNet(await readFile(`/proc/${pid}/net/${protocol}`, "utf8"), protocol);
      } catch {
        return [];
      }
    }),
  );
  return tables.flat();
}

/**
 * How many TCP and UDP sockets (IPv4 and IPv6) the netns of process `pid` holds. Unlike a socket table, whose
 * every read walks the whole machine's table, this is a handful of counters: cheap to read often. A protocol
 * whose count cannot be read is missing (IPv6 disabled: no sockstat6).
 */
export function readSocketCounts(pid: number): SocketCounts {
  const counts: SocketCounts = {};
  for (const file of ["sockstat", "sockstat6"]) {
    try {
      Object.assign(counts, parseSockstat(readFileSync(`/proc/${pid}/net/${file}`, "utf8")));
    } catch {
      // Not there: the protocols it would count stay unknown.
    }
  }
  return counts;
}
