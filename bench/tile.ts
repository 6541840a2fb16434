// Makes a large capture out of a real one by tiling: copy k (k = 0, 1, 2, …) of the base capture follows the
// one before it in time, with its addresses moved so that its conversations stay distinct from every other
// copy's, until the wanted number of packets is written (the last copy may be cut short, like a capture that
// stops). Only the addresses and the timestamps change; the IPv4 header checksum and the TCP/UDP checksum
// are adjusted for the new addresses (RFC 1624), so whatever they were in the base (right, or left unfinished
// by Linux's loopback offload) they still are.
//
//  IPv4 127.a.b.c → 127.(a+k).b.c (the second byte: base addresses are 127.0.x.x)
//  IPv6 w0:…      → (w0+0xfd00+k):…  (the first 16-bit word: ::1 → fd0k::1, a unique local address)

import { PcapWriter } from "../harness/capture/pcap-writer.ts";
import { pcapLinkType, pcapRecords } from "./pcap-records.ts";

/** What a capture holds, counted while it is written. */
export interface CaptureCounts {
  packets: number;
  bytes: number;
  ipv4: number;
  ipv6: number;
  tcp: number;
  udp: number;
  /** SYNs without ACK: about one per TCP conversation (a retransmitted SYN counts again). */
  syn: number;
  rst: number;
}

const ETHERNET = 1;
const GAP_US = 1_000_000;

/** Tiles `base` into `out` until it holds `packets` packets; returns what was written. */
export function tileCapture(base: string, out: string, packets: number): CaptureCounts & { copies: number } {
  if (pcapLinkType(base) !== ETHERNET)
    throw new Error(`${base}: tiling expects Linux lo's Ethernet link type`);
  let first = Number.NaN;
  let last = 0;
  let basePackets = 0;
  for (const record of pcapRecords(base)) {
    if (Number.isNaN(first)) first = record.timeUs;
    last = record.timeUs;
    basePackets++;
  }
  if (basePackets === 0) throw new Error(`${base}: no packets`);
  const span = last - first + GAP_US;
  const counts: CaptureCounts = { packets: 0, bytes: 0, ipv4: 0, ipv6: 0, tcp: 0, udp: 0, syn: 0, rst: 0 };
  const writer = PcapWriter.open(out, ETHERNET);
  let copy = 0;
  try {
    for (; counts.packets < packets; copy++) {
      if (copy > 255) throw new Error("more than 256 copies would reuse IPv4 addresses");
      for (const record of pcapRecords(base)) {
        if (counts.packets >= packets) break;
        const data = copy === 0 ? record.data : moveAddresses(Uint8Array.from(record.data), copy);
        writer.append({ timeUs: record.timeUs + copy * span, data, originalLength: record.originalLength });
        count(counts, data);
      }
    }
  } finally {
    writer.close();
  }
  return { ...counts, copies: copy };
}

/** Counts one Ethernet frame into `counts` (public for counting a capture that is used as recorded). */
export function count(counts: CaptureCounts, data: Uint8Array): void {
  counts.packets++;
  counts.bytes += data.length;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.length < 34) return;
  const type = view.getUint16(12);
  let protocol: number;
  let l4: number;
  if (type === 0x0800) {
    counts.ipv4++;
    protocol = data[23]!;
    l4 = 14 + (data[14]! & 0x0f) * 4;
  } else if (type === 0x86dd) {
    counts.ipv6++;
    protocol = data[20]!;
    l4 = 54;
  } else {
    return;
  }
  if (protocol === 17) counts.udp++;
  if (protocol !== 6) return;
  counts.tcp++;
  if (data.length < l4 + 14) return;
  const flags = data[l4 + 13]!;
  if ((flags & 0x12) === 0x02) counts.syn++;
  if (flags & 0x04) counts.rst++;
}

/** Counts every packet of a capture. */
export function countCapture(path: string): CaptureCounts {
  const counts: CaptureCounts = { packets: 0, bytes: 0, ipv4: 0, ipv6: 0, tcp: 0, udp: 0, syn: 0, rst: 0 };
  for (const record of pcapRecords(path)) count(counts, record.data);
  return counts;
}

// One's complement arithmetic (RFC 1624, eqn. 3): the checksum after one 16-bit word changed from `from` to `to`.
function adjust(checksum: number, from: number, to: number): number {
  let sum = (~checksum & 0xffff) + (~from & 0xffff) + to;
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

// Adds `k` to one 16-bit word of each address, adjusting the checksums that cover the addresses.
function moveAddresses(data: Uint8Array, k: number): Uint8Array {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const type = data.length >= 14 ? view.getUint16(12) : 0;
  let words: number[];
  let protocol: number;
  let l4: number;
  let ipChecksum: number | undefined;
  let fragment = false;
  if (type === 0x0800 && data.length >= 34) {
    words = [26, 30];
    protocol = data[23]!;
    l4 = 14 + (data[14]! & 0x0f) * 4;
    ipChecksum = 24;
    fragment = (view.getUint16(20) & 0x1fff) !== 0;
  } else if (type === 0x86dd && data.length >= 54) {
    words = [22, 38];
    protocol = data[20]!;
    l4 = 54;
  } else {
    return data;
  }
  const at = protocol === 6 ? l4 + 16 : protocol === 17 ? l4 + 6 : -1;
  const l4Checksum = !fragment && at >= 0 && at + 2 <= data.length ? at : -1;
  const udpWithout = protocol === 17 && l4Checksum >= 0 && view.getUint16(l4Checksum) === 0;
  for (const offset of words) {
    const from = view.getUint16(offset);
    const to = type === 0x0800 ? (from & 0xff00) | ((from + k) & 0xff) : (from + 0xfd00 + k) & 0xffff;
    view.setUint16(offset, to);
    if (ipChecksum !== undefined) view.setUint16(ipChecksum, adjust(view.getUint16(ipChecksum), from, to));
    if (l4Checksum >= 0 && !udpWithout) {
      const sum = adjust(view.getUint16(l4Checksum), from, to);
      view.setUint16(l4Checksum, protocol === 17 && sum === 0 ? 0xffff : sum);
    }
  }
  return data;
}
