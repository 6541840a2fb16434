// Deterministic kernel drops, the fallback when no user-space link can sit between client and server: an
// `nft -f` file for RunSpec.nftRules with a fresh table and one `numgen inc` counter per rule. The rules hook
// prerouting, after tcpdump has seen the packet, so drops stay in the capture.
// `numgen inc` counts from 0: `mod N == 0` drops the 1st, (N+1)th, (2N+1)th… matching datagram.

import { ImpairError } from "./impair-error.ts";

/** The table the rules live in; loading the file replaces any earlier one. */
export const NFT_TABLE = "socklab_link";

/** A modulus no run reaches: `mod FIRST_ONLY == 0` drops the first matching datagram only. */
export const FIRST_ONLY = 1_000_000;

/** Which datagrams to drop on the server's UDP port. `every` N drops the 1st, (N+1)th…; 1 drops them all. */
export interface NftDrops {
  /** The server's UDP port: client → server is `dport`, server → client is `sport`. */
  readonly port: number;
  readonly c2sEvery?: number;
  readonly s2cEvery?: number;
  readonly dropFirstC2s?: boolean;
  readonly dropFirstS2c?: boolean;
}

/** The text of an `nft -f` file that drops the asked datagrams deterministically. */
export function nftDropRules(drops: NftDrops): string {
  const { port } = drops;
  if (!(Number.isInteger(port) && port >= 1 && port <= 65535)) {
    throw new ImpairError("bad-option", `impair: nft drops: port ${port} is not a UDP port`);
  }
  const c2s = modulusOf("c2s", drops.c2sEvery, drops.dropFirstC2s);
  const s2c = modulusOf("s2c", drops.s2cEvery, drops.dropFirstS2c);
  const rules = [
    ...(c2s === undefined ? [] : [`    udp dport ${port} numgen inc mod ${c2s} == 0 counter drop`]),
    ...(s2c === undefined ? [] : [`    udp sport ${port} numgen inc mod ${s2c} == 0 counter drop`]),
  ];
  return [
    // Declaring then deleting the table makes the load start from nothing, whether or not it existed.
    `table inet ${NFT_TABLE}`,
    `delete table inet ${NFT_TABLE}`,
    `table inet ${NFT_TABLE} {`,
    "  chain prerouting {",
    "    type filter hook prerouting priority raw; policy accept;",
    ...rules,
    "  }",
    "}",
    "",
  ].join("\n");
}

// The rule's modulus for one direction, or undefined for no rule.
function modulusOf(dir: string, every: number | undefined, first: boolean | undefined): number | undefined {
  if (every !== undefined && first === true) {
    throw new ImpairError("bad-option", `impair: nft drops: ${dir} asks both every ${every} and first only`);
  }
  if (first === true) return FIRST_ONLY;
  if (every === undefined) return undefined;
  if (!(Number.isInteger(every) && every >= 1 && every < FIRST_ONLY)) {
    throw new ImpairError("bad-option", `impair: nft drops: ${dir}Every ${every} is not a whole number ≥ 1`);
  }
  return every;
}
