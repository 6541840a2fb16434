// Parsing of the kernel's socket tables /proc/<pid>/net/{tcp,tcp6,udp,udp6}.
//
//   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
//   0: 0100007F:FF98 00000000:0000 0A 00000000:00000000 00:00000000 00000000 65534        0 41236 …
//
// Addresses are the raw network-order bytes printed as 32-bit words in host byte order (so little-endian
// hosts show 127.0.0.1 as 0100007F); IPv6 is four such words. Ports are plain hexadecimal numbers.
import { endianness } from "node:os";

export type SocketProtocol = "tcp" | "tcp6" | "udp" | "udp6";

/** TCP states as the kernel numbers them (include/net/tcp_states.h); UDP uses 07 for unconnected. */
const TCP_STATES: Readonly<Record<number, string>> = {
  1: "ESTABLISHED",
  2: "SYN_SENT",
  3: "SYN_RECV",
  4: "FIN_WAIT1",
  5: "FIN_WAIT2",
  6: "TIME_WAIT",
  7: "CLOSE",
  8: "CLOSE_WAIT",
  9: "LAST_ACK",
  10: "LISTEN",
  11: "CLOSING",
  12: "NEW_SYN_RECV",
  13: "BOUND_INACTIVE",
};

/** One socket of a socket table. */
export interface SocketEntry {
  readonly protocol: SocketProtocol;
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** LISTEN, ESTABLISHED, TIME_WAIT, …; an unconnected UDP socket is UNCONN (as in ss). */
  readonly state: string;
  /** The kernel's state number (0x0A is LISTEN, 0x07 an unconnected UDP socket). */
  readonly stateCode: number;
  /** The owner's uid as seen from outside the run. */
  readonly uid: number;
  readonly inode: number;
}

/** The state name for a kernel state number. */
export function socketStateName(protocol: SocketProtocol, code: number): string {
  if (protocol.startsWith("udp") && code === 0x07) return "UNCONN";
  return TCP_STATES[code] ?? `UNKNOWN(${code})`;
}

/** The bytes of one 32-bit word as printed by the kernel, in network order. */
function wordBytes(hex: string, littleEndian: boolean): number[] {
  const value = Number.parseInt(hex, 16);
  const bytes = [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
  return littleEndian ? bytes.reverse() : bytes;
}

/** An IPv6 address from 16 bytes, in RFC 5952 text (longest zero run as ::, IPv4-mapped as ::ffff:a.b.c.d). */
export function formatIpv6(bytes: readonly number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${bytes.slice(12, 16).join(".")}`;
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}

/** Decodes `ADDRESS:PORT` from a socket table. */
export function parseProcNetEndpoint(
  text: string,
  littleEndian = endianness() === "LE",
): { address: string; port: number } | undefined {
  const [addressHex, portHex] = text.split(":");
  if (addressHex === undefined || portHex === undefined || !/^[0-9A-Fa-f]+$/.test(addressHex + portHex)) {
    return undefined;
  }
  const port = Number.parseInt(portHex, 16);
  if (addressHex.length === 8) return { address: wordBytes(addressHex, littleEndian).join("."), port };
  if (addressHex.length === 32) {
    const bytes: number[] = [];
    for (let i = 0; i < 32; i += 8) bytes.push(...wordBytes(addressHex.slice(i, i + 8), littleEndian));
    return { address: formatIpv6(bytes), port };
  }
  return undefined;
}

/** Parses the text of one socket table; lines that do not parse are skipped. */
export function parseProcNet(
  text: string,
  protocol: SocketProtocol,
  littleEndian = endianness() === "LE",
): SocketEntry[] {
  const entries: SocketEntry[] = [];
  for (const line of text.split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10) continue;
    const local = parseProcNetEndpoint(fields[1] ?? "", littleEndian);
    const remote = parseProcNetEndpoint(fields[2] ?? "", littleEndian);
    const stateCode = Number.parseInt(fields[3] ?? "", 16);
    const uid = Number(fields[7]);
    const inode = Number(fields[9]);
    if (
      !local ||
      !remote ||
      !Number.isFinite(stateCode) ||
      !Number.isInteger(uid) ||
      !Number.isInteger(inode)
    ) {
      continue;
    }
    entries.push({
      protocol,
      localAddress: local.address,
      localPort: local.port,
      remoteAddress: remote.address,
      remotePort: remote.port,
      state: socketStateName(protocol, stateCode),
      stateCode,
      uid,
      inode,
    });
  }
  return entries;
}

/** How many sockets of each protocol a network namespace holds, from /proc/<pid>/net/sockstat{,6}. */
export type SocketCounts = Partial<Record<SocketProtocol, number>>;

const SOCKSTAT_NAMES: Readonly<Record<string, SocketProtocol>> = {
  TCP: "tcp",
  TCP6: "tcp6",
  UDP: "udp",
  UDP6: "udp6",
};

/**
 * Parses sockstat text (`TCP: inuse 1 orphan 0 tw 0 …`, `UDP6: inuse 0`). `inuse` counts the namespace's own
 * sockets in the kernel's lookup tables: a TCP socket once it listens or connects, a UDP socket once bound.
 */
export function parseSockstat(text: string): SocketCounts {
  const counts: SocketCounts = {};
  for (const line of text.split("\n")) {
    const found = line.match(/^(\w+): inuse (\d+)/);
    const protocol = found ? SOCKSTAT_NAMES[found[1]!] : undefined;
    if (protocol !== undefined) counts[protocol] = Number(found![2]);
  }
  return counts;
}
