// Conversation lookup by 4-tuple, in either direction, without building strings for IPv4: an endpoint is
// the number address × 65536 + port (exact in a double); IPv6 endpoints are text: nine UTF-16 code units
// (the address's eight 16-bit groups and the port) read straight from the header, never the formatted address. Number pairs live in an
// open-addressing table over a typed array, so a lookup allocates nothing and touches no Map.

import type { DecodedPacket, Ipv4Layer, Ipv6Layer } from "../decode/index.ts";

/** One side of a conversation as a map key. */
export type EndpointKey = number | string;

interface NumberedIpv4 {
  readonly srcNumber?: number;
  readonly dstNumber?: number;
}

interface RawIpv6 {
  readonly bytes?: Uint8Array;
  readonly offset?: number;
}

/** The key of the packet's source (`side` "src") or destination endpoint. Needs network and transport. */
export function endpointKey(packet: DecodedPacket, side: "src" | "dst"): EndpointKey {
  const transport = packet.transport!;
  return addressPortKey(packet.network!, side, side === "src" ? transport.srcPort : transport.dstPort);
}

/** The key of the IP header's source or destination address with `port`. */
export function addressPortKey(
  network: Ipv4Layer | Ipv6Layer,
  side: "src" | "dst",
  port: number,
): EndpointKey {
  if (network.version === 4) {
    const numbered =
      side === "src" ? (network as NumberedIpv4).srcNumber : (network as NumberedIpv4).dstNumber;
    if (numbered !== undefined) return numbered * 65536 + port;
  } else {
    const { bytes: b, offset } = network as RawIpv6;
    if (b !== undefined && offset !== undefined) {
      const at = offset + (side === "src" ? 8 : 24);
      return String.fromCharCode(
        (b[at]! << 8) | b[at + 1]!,
        (b[at + 2]! << 8) | b[at + 3]!,
        (b[at + 4]! << 8) | b[at + 5]!,
        (b[at + 6]! << 8) | b[at + 7]!,
        (b[at + 8]! << 8) | b[at + 9]!,
        (b[at + 10]! << 8) | b[at + 11]!,
        (b[at + 12]! << 8) | b[at + 13]!,
        (b[at + 14]! << 8) | b[at + 15]!,
        port,
      );
    }
  }
  return `${side === "src" ? network.src : network.dst} ${port}`;
}

// Slot states of the number table.
const FREE = 0;
const LIVE = 1;
const DELETED = 2;
const MIN_SLOTS = 16;
const TWO_32 = 4294967296;

/** A map from an unordered pair of endpoints to a value. */
export class PairMap<T> {
  // Number pairs (lo < hi): linear probing over slot states, with both keys of a slot side by side in
  // `#keys` (one cache line) and its value in `#values`. A deleted slot stays DELETED until the next rebuild.
  #state = new Uint8Array(MIN_SLOTS);
  #keys = new Float64Array(MIN_SLOTS * 2);
  #values: (T | undefined)[] = new Array<T | undefined>(MIN_SLOTS).fill(undefined);
  #mask = MIN_SLOTS - 1;
  #live = 0;
  /** LIVE and DELETED slots: a rebuild is due when they fill three quarters of the table. */
  #used = 0;
  // Pairs with a text endpoint (IPv6).
  readonly #outer = new Map<EndpointKey, Map<EndpointKey, T>>();
  #textSize = 0;

  get size(): number {
    return this.#live + this.#textSize;
  }

  get(a: EndpointKey, b: EndpointKey): T | undefined {
    if (typeof a === "number" && typeof b === "number") {
      const slot = a < b ? this.#find(a, b) : this.#find(b, a);
      return slot < 0 ? undefined : this.#values[slot];
    }
    return this.#getText(a, b);
  }

  set(a: EndpointKey, b: EndpointKey, value: T): void {
    if (typeof a === "number" && typeof b === "number") {
      if (a < b) this.#setNumbers(a, b, value);
      else this.#setNumbers(b, a, value);
      return;
    }
    const [lo, hi] = a < b ? [a, b] : [b, a];
    let inner = this.#outer.get(lo);
    if (inner === undefined) {
      inner = new Map();
      this.#outer.set(lo, inner);
    }
    if (!inner.has(hi)) this.#textSize++;
    inner.set(hi, value);
  }

  delete(a: EndpointKey, b: EndpointKey): void {
    if (typeof a === "number" && typeof b === "number") {
      const slot = a < b ? this.#find(a, b) : this.#find(b, a);
      if (slot < 0) return;
      this.#state[slot] = DELETED;
      this.#values[slot] = undefined;
      this.#live--;
      return;
    }
    const [lo, hi] = a < b ? [a, b] : [b, a];
    const inner = this.#outer.get(lo);
    if (inner === undefined || !inner.delete(hi)) return;
    this.#textSize--;
    if (inner.size === 0) this.#outer.delete(lo);
  }

  /** Every value, in no particular order. */
  *values(): IterableIterator<T> {
    for (let slot = 0; slot <= this.#mask; slot++)
      if (this.#state[slot] === LIVE) yield this.#values[slot] as T;
    for (const inner of this.#outer.values()) yield* inner.values();
  }

  #getText(a: EndpointKey, b: EndpointKey): T | undefined {
    return a < b ? this.#outer.get(a)?.get(b) : this.#outer.get(b)?.get(a);
  }

  // The slot holding the pair, or −1.
  #find(lo: number, hi: number): number {
    const state = this.#state;
    const keys = this.#keys;
    const mask = this.#mask;
    let slot = hashPair(lo, hi) & mask;
    for (;;) {
      const s = state[slot]!;
      if (s === FREE) return -1;
      if (s === LIVE && keys[2 * slot] === lo && keys[2 * slot + 1] === hi) return slot;
      slot = (slot + 1) & mask;
    }
  }

  #setNumbers(lo: number, hi: number, value: T): void {
    const state = this.#state;
    const keys = this.#keys;
    const mask = this.#mask;
    let slot = hashPair(lo, hi) & mask;
    let reuse = -1;
    for (;;) {
      const s = state[slot]!;
      if (s === FREE) break;
      if (s === LIVE) {
        if (keys[2 * slot] === lo && keys[2 * slot + 1] === hi) {
          this.#values[slot] = value;
          return;
        }
      } else if (reuse < 0) {
        reuse = slot;
      }
      slot = (slot + 1) & mask;
    }
    if (reuse >= 0) slot = reuse;
    else this.#used++;
    this.#put(slot, lo, hi, value);
    this.#live++;
    if (this.#used * 4 > (mask + 1) * 3) this.#rebuild();
  }

  #put(slot: number, lo: number, hi: number, value: T | undefined): void {
    this.#state[slot] = LIVE;
    this.#keys[2 * slot] = lo;
    this.#keys[2 * slot + 1] = hi;
    this.#values[slot] = value;
  }

  // Rehashes the live pairs into a table a quarter full at most (growing or shrinking), dropping DELETED slots.
  #rebuild(): void {
    const oldState = this.#state;
    const oldKeys = this.#keys;
    const oldValues = this.#values;
    let size = MIN_SLOTS;
    while (size < this.#live * 4) size *= 2;
    this.#state = new Uint8Array(size);
    this.#keys = new Float64Array(size * 2);
    this.#values = new Array<T | undefined>(size).fill(undefined);
    this.#mask = size - 1;
    this.#used = this.#live;
    for (let old = 0; old < oldState.length; old++) {
      if (oldState[old] !== LIVE) continue;
      const lo = oldKeys[2 * old]!;
      const hi = oldKeys[2 * old + 1]!;
      let slot = hashPair(lo, hi) & this.#mask;
      while (this.#state[slot] !== FREE) slot = (slot + 1) & this.#mask;
      this.#put(slot, lo, hi, oldValues[old]);
    }
  }
}

// Mixes both 48-bit keys (low and high 32 bits of each) into 32 bits.
function hashPair(lo: number, hi: number): number {
  let h = Math.imul(lo >>> 0, 0x9e3779b1) ^ Math.imul((lo / TWO_32) >>> 0, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h ^= Math.imul(hi >>> 0, 0xc2b2ae35) ^ Math.imul((hi / TWO_32) >>> 0, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return h ^ (h >>> 16);
}

/**
 * A map from an unordered pair of endpoints to a non-negative integer (below 2^31), for very many pairs that
 * are only added or changed, never removed: half-full open addressing over typed arrays for number pairs,
 * one string key per text pair. 21 bytes a slot, at most half full: 42 to 84 bytes a number pair, against
 * PairMap's hundred and more with the value it points to.
 */
export class PairIndex {
  #state = new Uint8Array(MIN_SLOTS);
  #keys = new Float64Array(MIN_SLOTS * 2);
  #values = new Int32Array(MIN_SLOTS);
  #mask = MIN_SLOTS - 1;
  #live = 0;
  readonly #text = new Map<string, number>();

  get size(): number {
    return this.#live + this.#text.size;
  }

  /** The pair's integer, or −1. */
  get(a: EndpointKey, b: EndpointKey): number {
    if (typeof a === "number" && typeof b === "number") {
      const slot = a < b ? this.#find(a, b) : this.#find(b, a);
      return this.#state[slot] === LIVE ? this.#values[slot]! : -1;
    }
    return this.#text.get(textPair(a, b)) ?? -1;
  }

  set(a: EndpointKey, b: EndpointKey, value: number): void {
    if (typeof a !== "number" || typeof b !== "number") {
      this.#text.set(textPair(a, b), value);
      return;
    }
    const lo = a < b ? a : b;
    const hi = a < b ? b : a;
    const slot = this.#find(lo, hi);
    if (this.#state[slot] !== LIVE) {
      this.#state[slot] = LIVE;
      this.#keys[2 * slot] = lo;
      this.#keys[2 * slot + 1] = hi;
      this.#live++;
    }
    this.#values[slot] = value;
    if (this.#live * 2 > this.#mask + 1) this.#grow();
  }

  // The slot holding the pair, or the free slot where it would go.
  #find(lo: number, hi: number): number {
    const keys = this.#keys;
    let slot = hashPair(lo, hi) & this.#mask;
    while (this.#state[slot] === LIVE && (keys[2 * slot] !== lo || keys[2 * slot + 1] !== hi))
      slot = (slot + 1) & this.#mask;
    return slot;
  }

  #grow(): void {
    const oldState = this.#state;
    const oldKeys = this.#keys;
    const oldValues = this.#values;
    const size = oldState.length * 2;
    this.#state = new Uint8Array(size);
    this.#keys = new Float64Array(size * 2);
    this.#values = new Int32Array(size);
    this.#mask = size - 1;
    for (let old = 0; old < oldState.length; old++) {
      if (oldState[old] !== LIVE) continue;
      const slot = this.#find(oldKeys[2 * old]!, oldKeys[2 * old + 1]!);
      this.#state[slot] = LIVE;
      this.#keys[2 * slot] = oldKeys[2 * old]!;
      this.#keys[2 * slot + 1] = oldKeys[2 * old + 1]!;
      this.#values[slot] = oldValues[old]!;
    }
  }
}

// One string for an unordered pair of endpoints, at least one of them text: the lower key's length, then both.
function textPair(a: EndpointKey, b: EndpointKey): string {
  const lo = String(a < b ? a : b);
  const hi = String(a < b ? b : a);
  return String.fromCharCode(lo.length) + lo + hi;
}
