// The socket table of a network namespace, read from outside through /proc/<pid>/net (no nsenter needed).
import { readFile } from "node:fs/promises";
import { parseProcNet, type SocketEntry, type SocketProtocol } from "./proc-net.ts";

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
