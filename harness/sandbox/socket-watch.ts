// Watching a run's sockets without walking the machine's socket table at every look: the namespace's socket
// counters (sockstat) are read at every look, and the tables themselves only when a count changed, when a
// while has passed since the last reading, or when the caller insists (a last look before a verdict).
import type { SocketCounts, SocketEntry, SocketProtocol } from "./proc-net.ts";

/** Past this long, the tables are read again even with no count changed (a socket closed as another opened). */
const REREAD_MS = 200;

/** What a SocketWatch needs of a sandbox. */
export interface SocketSource {
  socketCounts(): SocketCounts;
  socketTable(protocols?: readonly SocketProtocol[]): Promise<SocketEntry[]>;
}

/** Reads the chosen socket tables of a run when they may have changed; the previous reading otherwise. */
export class SocketWatch {
  private lastKey: string | undefined;
  private lastRead = Number.NEGATIVE_INFINITY;
  private last: SocketEntry[] = [];
  /** How many times the tables were read, and how many looks there were (for measurements). */
  reads = 0;
  looks = 0;

  constructor(
    private readonly source: SocketSource,
    private readonly protocols: readonly SocketProtocol[],
  ) {}

  /** The sockets of the chosen protocols now; `force` reads the tables whatever the counters say. */
  async sockets(force = false): Promise<SocketEntry[]> {
    this.looks++;
    const counts = this.source.socketCounts();
    const key = this.protocols.map((p) => counts[p] ?? "?").join(",");
    const now = performance.now();
    if (!force && key === this.lastKey && now - this.lastRead < REREAD_MS) return this.last;
    // A table whose count is 0 holds nothing of the namespace's: it is not read.
    const tables = this.protocols.filter((p) => counts[p] === undefined || counts[p] > 0);
    this.lastKey = key;
    this.lastRead = now;
    if (tables.length > 0) this.reads++;
    this.last = tables.length === 0 ? [] : await this.source.socketTable(tables);
    return this.last;
  }
}

/** The pause before the next look: short at first (a server that is quick to listen is seen at once), then
 * doubling up to `most`. */
export function backoff(previousMs: number | undefined, first = 2, most = 25): number {
  return previousMs === undefined ? first : Math.min(previousMs * 2, most);
}
