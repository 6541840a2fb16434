// Conversation lookup by 4-tuple, in either direction, without building strings for IPv4: an endpoint is
// the number address × 65536 + port (exact in a double); IPv6 endpoints are text.

import type { DecodedPacket } from "../decode/index.ts";

/** One side of a conversation as a map key. */
export type EndpointKey = number | string;

interface NumberedIpv4 {
  readonly srcNumber?: number;
  readonly dstNumber?: number;
}

/** The key of the packet's source (`side` "src") or destination endpoint. Needs network and transport. */
export function endpointKey(packet: DecodedPacket, side: "src" | "dst"): EndpointKey {
  const network = packet.network!;
  const transport = packet.transport!;
  const port = side === "src" ? transport.srcPort : transport.dstPort;
  if (network.version === 4) {
    const numbered =
      side === "src" ? (network as NumberedIpv4).srcNumber : (network as NumberedIpv4).dstNumber;
    if (numbered !== undefined) return numbered * 65536 + port;
  }
  return `${side === "src" ? network.src : network.dst} ${port}`;
}

/** A map from an unordered pair of endpoints to a value. */
export class PairMap<T> {
  readonly #outer = new Map<EndpointKey, Map<EndpointKey, T>>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(a: EndpointKey, b: EndpointKey): T | undefined {
    return a < b ? this.#outer.get(a)?.get(b) : this.#outer.get(b)?.get(a);
  }

  set(a: EndpointKey, b: EndpointKey, value: T): void {
    const [lo, hi] = a < b ? [a, b] : [b, a];
    let inner = this.#outer.get(lo);
    if (inner === undefined) {
      inner = new Map();
      this.#outer.set(lo, inner);
    }
    if (!inner.has(hi)) this.#size++;
    inner.set(hi, value);
  }

  delete(a: EndpointKey, b: EndpointKey): void {
    const [lo, hi] = a < b ? [a, b] : [b, a];
    const inner = this.#outer.get(lo);
    if (inner === undefined || !inner.delete(hi)) return;
    this.#size--;
    if (inner.size === 0) this.#outer.delete(lo);
  }

  *values(): IterableIterator<T> {
    for (const inner of this.#outer.values()) yield* inner.values();
  }
}
