// One direction's byte stream rebuilt with Wireshark's "Follow TCP Stream" semantics: bytes are delivered in
// sequence order; bytes already delivered (retransmissions, overlaps) are trimmed; data beyond a hole waits
// in a queue until the hole is filled; a hole the peer acknowledged (so the data existed but was not
// captured) or one still open at the end is skipped and reported as a gap. Positions are relative, unwrapped
// sequence numbers; the first data byte is 1.

import { createHash, type Hash, hash as oneShotHash } from "node:crypto";
import type { Range } from "./types.ts";

export interface ReassemblyOptions {
  /** Delivered bytes to keep (0: none). */
  readonly keepBytes: number;
  /** Whether to compute the SHA-256 of the delivered bytes. */
  readonly hash: boolean;
}

interface Queued {
  readonly from: number;
  readonly to: number;
  /** A copy of the bytes, or null when the stream keeps no content (lengths only). */
  readonly bytes: Uint8Array | null;
}

/** Reassembly state of one direction. */
export interface Reassembly {
  readonly options: ReassemblyOptions;
  /** The next relative sequence number to deliver. */
  next: number;
  /** Relative sequence number of the FIN, once seen (a FIN is not data: no gap is reported for it). */
  finAt: number | null;
  length: number;
  queue: Queued[] | null;
  queuedBytes: number;
  /** Bytes waiting to be hashed (hashing small chunks one by one costs more than copying them). */
  stage: Uint8Array;
  stageLength: number;
  hash: Hash | null;
  kept: Uint8Array;
  keptLength: number;
  gaps: Range[] | null;
  outOfOrderSegments: number;
  overlapBytes: number;
  /** Bytes that came after the stream was finished (data after an acknowledged FIN). */
  lateBytes: number;
  sha256: string | null;
  finished: boolean;
}

/** Queued out-of-order bytes kept per direction; beyond this, segments are dropped (and become gaps). */
const MAX_QUEUED_BYTES = 8 << 20;
/** Largest hashing stage per direction. */
const MAX_STAGE_BYTES = 16 << 10;
const EMPTY = new Uint8Array(0);
// One-shot hashing where Node has it (20.12+), else a Hash object.
const sha256Once: (bytes: Uint8Array) => string =
  typeof oneShotHash === "function"
    ? (bytes) => oneShotHash("sha256", bytes, "hex")
    : (bytes) => createHash("sha256").update(bytes).digest("hex");

/** Starts a stream whose first data byte is relative sequence number 1. */
export function createReassembly(options: ReassemblyOptions): Reassembly {
  return {
    options,
    next: 1,
    finAt: null,
    length: 0,
    queue: null,
    queuedBytes: 0,
    stage: EMPTY,
    stageLength: 0,
    hash: null,
    kept: EMPTY,
    keptLength: 0,
    gaps: null,
    outOfOrderSegments: 0,
    overlapBytes: 0,
    lateBytes: 0,
    sha256: null,
    finished: false,
  };
}

/** Whether streams with these options need the payload bytes (to keep or hash them), or only their positions. */
export function needsBytes(options: ReassemblyOptions): boolean {
  return options.keepBytes > 0 || options.hash;
}

/**
 * Adds `length` captured payload bytes starting at relative sequence number `from`. `bytes` (a view is fine)
 * must hold them when `needsBytes(stream.options)`; otherwise it may be null.
 */
export function addSegment(stream: Reassembly, from: number, length: number, bytes: Uint8Array | null): void {
  const to = from + length;
  if (length === 0) return;
  if (stream.finished) {
    stream.lateBytes += Math.max(0, to - Math.max(from, stream.next));
    return;
  }
  if (to <= stream.next) {
    stream.overlapBytes += length;
    return;
  }
  if (from > stream.next) {
    enqueue(stream, from, to, bytes);
    return;
  }
  const skip = stream.next - from;
  stream.overlapBytes += skip;
  deliver(stream, to - stream.next, bytes === null ? null : skip === 0 ? bytes : bytes.subarray(skip));
  drain(stream);
}

/** The peer acknowledged everything before relative `ack`: a hole below it will never be filled. */
export function acknowledge(stream: Reassembly, ack: number): void {
  if (stream.finished || ack <= stream.next) return;
  let end = ack;
  if (stream.finAt !== null && stream.finAt < end) end = stream.finAt;
  const head = stream.queue?.[0];
  if (head !== undefined && head.from < end) end = head.from;
  if (end > stream.next) skipGap(stream, end);
  drain(stream);
}

/** Flushes the queue (reporting holes as gaps) and computes the digest; later data counts as late. */
export function finishReassembly(stream: Reassembly): void {
  if (stream.finished) return;
  const queue = stream.queue;
  while (queue !== null && queue.length > 0) {
    const head = queue[0]!;
    if (head.from > stream.next) skipGap(stream, head.from);
    drain(stream);
  }
  if (stream.options.hash) {
    // Everything delivered is in the kept bytes or the stage unless a Hash object took over.
    const rest =
      stream.options.keepBytes > 0
        ? stream.kept.subarray(0, stream.keptLength)
        : stream.stage.subarray(0, stream.stageLength);
    if (stream.hash === null) stream.sha256 = sha256Once(rest);
    else stream.sha256 = stream.hash.update(stream.stage.subarray(0, stream.stageLength)).digest("hex");
  }
  stream.hash = null;
  stream.stage = EMPTY;
  stream.stageLength = 0;
  stream.queue = null;
  stream.finished = true;
}

/** The kept bytes (a copy-free view). */
export function keptBytes(stream: Reassembly): Uint8Array {
  return stream.kept.subarray(0, stream.keptLength);
}

function skipGap(stream: Reassembly, end: number): void {
  if (stream.gaps === null) stream.gaps = [];
  const gaps = stream.gaps;
  const last = gaps[gaps.length - 1];
  if (last !== undefined && last.to === stream.next) gaps[gaps.length - 1] = { from: last.from, to: end };
  else gaps.push({ from: stream.next, to: end });
  stream.next = end;
}

function enqueue(stream: Reassembly, from: number, to: number, bytes: Uint8Array | null): void {
  if (stream.queuedBytes + (to - from) > MAX_QUEUED_BYTES) return;
  stream.outOfOrderSegments++;
  if (stream.queue === null) stream.queue = [];
  const queue = stream.queue;
  let i = queue.length;
  while (i > 0 && queue[i - 1]!.from > from) i--;
  // A real copy: `bytes` may be a Buffer, whose slice() is a view that would pin the capture's whole read
  // block for as long as the segment waits.
  queue.splice(i, 0, { from, to, bytes: bytes === null ? null : new Uint8Array(bytes) });
  stream.queuedBytes += to - from;
}

// Delivers queued segments that now start at or before `next`.
function drain(stream: Reassembly): void {
  const queue = stream.queue;
  if (queue === null) return;
  let taken = 0;
  while (taken < queue.length && queue[taken]!.from <= stream.next) {
    const { from, to, bytes } = queue[taken]!;
    taken++;
    stream.queuedBytes -= to - from;
    if (to <= stream.next) {
      stream.overlapBytes += to - from;
      continue;
    }
    const skip = stream.next - from;
    stream.overlapBytes += skip;
    deliver(stream, to - stream.next, bytes === null ? null : bytes.subarray(skip));
  }
  if (taken > 0) queue.splice(0, taken);
}

// Appends `length` bytes at `next`; `bytes` holds them unless the stream keeps no content.
function deliver(stream: Reassembly, length: number, bytes: Uint8Array | null): void {
  stream.next += length;
  stream.length += length;
  if (bytes === null) return;
  const room = stream.options.keepBytes - stream.keptLength;
  if (stream.options.hash) {
    if (stream.options.keepBytes === 0) stageForHash(stream, bytes);
    else if (stream.hash !== null) stream.hash.update(bytes);
    else if (bytes.length > room) {
      // The kept bytes cannot hold the whole stream: hash what they hold, then every chunk as it comes.
      stream.hash = createHash("sha256").update(stream.kept.subarray(0, stream.keptLength)).update(bytes);
    }
  }
  if (room <= 0) return;
  const take = Math.min(room, bytes.length);
  if (stream.keptLength + take > stream.kept.length) {
    const size = Math.min(
      stream.options.keepBytes,
      Math.max(4096, stream.kept.length * 2, stream.keptLength + take),
    );
    const grown = new Uint8Array(size);
    grown.set(stream.kept.subarray(0, stream.keptLength));
    stream.kept = grown;
  }
  stream.kept.set(take === bytes.length ? bytes : bytes.subarray(0, take), stream.keptLength);
  stream.keptLength += take;
}

function stageForHash(stream: Reassembly, bytes: Uint8Array): void {
  const needed = stream.stageLength + bytes.length;
  if (needed > MAX_STAGE_BYTES) {
    stream.hash ??= createHash("sha256");
    stream.hash.update(stream.stage.subarray(0, stream.stageLength));
    stream.stageLength = 0;
    if (bytes.length >= MAX_STAGE_BYTES) {
      stream.hash.update(bytes);
      return;
    }
  }
  if (stream.stageLength + bytes.length > stream.stage.length) {
    const size = Math.min(
      MAX_STAGE_BYTES,
      Math.max(4096, stream.stage.length * 2, stream.stageLength + bytes.length),
    );
    const grown = new Uint8Array(size);
    grown.set(stream.stage.subarray(0, stream.stageLength));
    stream.stage = grown;
  }
  stream.stage.set(bytes, stream.stageLength);
  stream.stageLength += bytes.length;
}
