// One direction's byte stream rebuilt with Wireshark's "Follow TCP Stream" semantics (notes §1.5): bytes are
// delivered in sequence order; bytes already delivered (retransmissions, overlaps) are trimmed; data beyond
// a hole waits in a queue until the hole is filled; a hole the peer acknowledged (so the data existed but was
// not captured) or one still open at the end is skipped and reported as a gap. Positions are relative,
// unwrapped sequence numbers; the first data byte is 1.

import { createHash, type Hash } from "node:crypto";
import type { Range } from "./types.ts";

export interface ReassemblyOptions {
  /** Delivered bytes to keep (0: none). */
  readonly keepBytes: number;
  /** Whether to compute the SHA-256 of the delivered bytes. */
  readonly hash: boolean;
}

interface Queued {
  readonly from: number;
  readonly bytes: Uint8Array;
}

/** Reassembly state of one direction. */
export interface Reassembly {
  readonly options: ReassemblyOptions;
  /** The next relative sequence number to deliver. */
  next: number;
  /** Relative sequence number of the FIN, once seen (a FIN is not data: no gap is reported for it). */
  finAt: number | null;
  length: number;
  queue: Queued[];
  queuedBytes: number;
  hash: Hash | null;
  kept: Uint8Array;
  keptLength: number;
  gaps: Range[];
  outOfOrderSegments: number;
  overlapBytes: number;
  /** Bytes that came after the stream was finished (data after an acknowledged FIN). */
  lateBytes: number;
  sha256: string | null;
  finished: boolean;
}

/** Queued out-of-order bytes kept per direction; beyond this, segments are dropped (and become gaps). */
const MAX_QUEUED_BYTES = 8 << 20;
const EMPTY = new Uint8Array(0);

/** Starts a stream whose first data byte is relative sequence number 1. */
export function createReassembly(options: ReassemblyOptions): Reassembly {
  return {
    options,
    next: 1,
    finAt: null,
    length: 0,
    queue: [],
    queuedBytes: 0,
    hash: null,
    kept: EMPTY,
    keptLength: 0,
    gaps: [],
    outOfOrderSegments: 0,
    overlapBytes: 0,
    lateBytes: 0,
    sha256: null,
    finished: false,
  };
}

/** Adds a segment's captured payload starting at relative sequence number `from`. `bytes` may be a view. */
export function addSegment(stream: Reassembly, from: number, bytes: Uint8Array): void {
  const to = from + bytes.length;
  if (bytes.length === 0) return;
  if (stream.finished) {
    stream.lateBytes += Math.max(0, to - Math.max(from, stream.next));
    return;
  }
  if (to <= stream.next) {
    stream.overlapBytes += bytes.length;
    return;
  }
  if (from > stream.next) {
    enqueue(stream, from, bytes);
    return;
  }
  const skip = stream.next - from;
  stream.overlapBytes += skip;
  deliver(stream, skip === 0 ? bytes : bytes.subarray(skip));
  drain(stream);
}

/** The peer acknowledged everything before relative `ack`: a hole below it will never be filled. */
export function acknowledge(stream: Reassembly, ack: number): void {
  if (stream.finished || ack <= stream.next) return;
  let end = ack;
  if (stream.finAt !== null && stream.finAt < end) end = stream.finAt;
  const head = stream.queue[0];
  if (head !== undefined && head.from < end) end = head.from;
  if (end > stream.next) skipGap(stream, end);
  drain(stream);
}

/** Flushes the queue (reporting holes as gaps) and computes the digest; later data counts as late. */
export function finishReassembly(stream: Reassembly): void {
  if (stream.finished) return;
  while (stream.queue.length > 0) {
    const head = stream.queue[0]!;
    if (head.from > stream.next) skipGap(stream, head.from);
    drain(stream);
  }
  if (stream.options.hash) {
    stream.sha256 = (stream.hash ?? createHash("sha256")).digest("hex");
  }
  stream.hash = null;
  stream.finished = true;
}

/** The kept bytes (a copy-free view). */
export function keptBytes(stream: Reassembly): Uint8Array {
  return stream.kept.subarray(0, stream.keptLength);
}

function skipGap(stream: Reassembly, end: number): void {
  const last = stream.gaps[stream.gaps.length - 1];
  if (last !== undefined && last.to === stream.next) stream.gaps[stream.gaps.length - 1] = { from: last.from, to: end };
  else stream.gaps.push({ from: stream.next, to: end });
  stream.next = end;
}

function enqueue(stream: Reassembly, from: number, bytes: Uint8Array): void {
  if (stream.queuedBytes + bytes.length > MAX_QUEUED_BYTES) return;
  stream.outOfOrderSegments++;
  const copy = bytes.slice();
  const queue = stream.queue;
  let i = queue.length;
  while (i > 0 && queue[i - 1]!.from > from) i--;
  queue.splice(i, 0, { from, bytes: copy });
  stream.queuedBytes += copy.length;
}

// Delivers queued segments that now start at or before `next`.
function drain(stream: Reassembly): void {
  const queue = stream.queue;
  let taken = 0;
  while (taken < queue.length && queue[taken]!.from <= stream.next) {
    const { from, bytes } = queue[taken]!;
    taken++;
    stream.queuedBytes -= bytes.length;
    const to = from + bytes.length;
    if (to <= stream.next) {
      stream.overlapBytes += bytes.length;
      continue;
    }
    const skip = stream.next - from;
    stream.overlapBytes += skip;
    deliver(stream, bytes.subarray(skip));
  }
  if (taken > 0) queue.splice(0, taken);
}

function deliver(stream: Reassembly, bytes: Uint8Array): void {
  stream.next += bytes.length;
  stream.length += bytes.length;
  if (stream.options.hash) {
    stream.hash ??= createHash("sha256");
    stream.hash.update(bytes);
  }
  const room = stream.options.keepBytes - stream.keptLength;
  if (room <= 0) return;
  const take = Math.min(room, bytes.length);
  if (stream.keptLength + take > stream.kept.length) {
    const size = Math.min(stream.options.keepBytes, Math.max(256, stream.kept.length * 2, stream.keptLength + take));
    const grown = new Uint8Array(size);
    grown.set(stream.kept.subarray(0, stream.keptLength));
    stream.kept = grown;
  }
  stream.kept.set(take === bytes.length ? bytes : bytes.subarray(0, take), stream.keptLength);
  stream.keptLength += take;
}
