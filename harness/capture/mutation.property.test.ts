// Mutated fixture captures: reading and decoding every packet either succeeds or rejects with a
// CaptureError that names the file and a byte offset. Never another exception, never a hang.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, expect, test } from "vitest";
import { decodePacket } from "../decode/packet.ts";
import { CaptureError } from "./capture-error.ts";
import { readCapture } from "./pcap-file.ts";

const FIXTURES = join(import.meta.dirname, "../../fixtures/captures");
// The fixtures, and those in tshark-only/ (pcapng tcpdump cannot read: several link types, byte orders).
const NAMES = [
  ...readdirSync(FIXTURES),
  ...readdirSync(join(FIXTURES, "tshark-only")).map((n) => `tshark-only/${n}`),
]
  .filter((name) => /\.pcap(ng)?$/.test(name) && name !== "tcp-loss.pcap") // the big one is slow to mutate often
  .sort();
const ORIGINALS = new Map(NAMES.map((name) => [name, new Uint8Array(readFileSync(join(FIXTURES, name)))]));
const SEED = Number(process.env.SOCKLAB_SEED ?? 20260101);
const RUNS = Number(process.env.SOCKLAB_RUNS ?? 300);
const CASE_TIMEOUT_MS = 20_000;

const dir = mkdtempSync(join(tmpdir(), "socklab-mutation-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A position in the file: near the start (the headers) or anywhere, as a fraction of the length.
type Position = { small: number } | { fraction: number };
const position: fc.Arbitrary<Position> = fc.noBias(
  fc.oneof(
    fc.nat({ max: 80 }).map((small) => ({ small })),
    // (fc.double is uniform over float bit patterns, i.e. mostly tiny: use integers.)
    fc.integer({ min: 0, max: 1_000_000 }).map((n) => ({ fraction: n / 1_000_000 })),
  ),
);
const at = (p: Position, length: number) =>
  Math.min(length, "small" in p ? p.small : Math.floor(p.fraction * length));

type Mutation =
  | { kind: "truncate"; at: Position }
  | { kind: "overwrite"; writes: { at: Position; value: number }[] }
  | { kind: "link-type"; value: number }
  | { kind: "garbage"; bytes: Uint8Array; magic: number }
  | { kind: "empty" };

const MAGICS = [-1, 0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("truncate" as const), at: position }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("overwrite" as const),
      writes: fc.array(fc.record({ at: position, value: fc.integer({ min: 0, max: 255 }) }), {
        minLength: 1,
        maxLength: 8,
      }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("link-type" as const),
      value: fc.oneof(
        fc.constantFrom(0, 1, 12, 101, 108, 113, 228, 229, 276, 147),
        fc.nat({ max: 0xffffffff }),
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("garbage" as const),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 600 }),
      magic: fc.constantFrom(...MAGICS),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "empty" as const }) },
);

function apply(original: Uint8Array, m: Mutation): Uint8Array {
  switch (m.kind) {
    case "truncate":
      return original.slice(0, at(m.at, original.length));
    case "overwrite": {
      const copy = original.slice();
      for (const w of m.writes) copy[Math.min(at(w.at, copy.length), copy.length - 1)] = w.value;
      return copy;
    }
    case "link-type": {
      const copy = original.slice();
      new DataView(copy.buffer).setUint32(20, m.value >>> 0, copy[0] !== 0xa1);
      return copy;
    }
    case "garbage": {
      if (m.magic < 0 || m.bytes.length < 4) return m.bytes;
      const copy = m.bytes.slice();
      new DataView(copy.buffer).setUint32(0, m.magic);
      return copy;
    }
    case "empty":
      return new Uint8Array(0);
  }
}

async function readAndDecode(path: string): Promise<number> {
  let decoded = 0;
  await readCapture(path, (record, header) => {
    const packet = decodePacket(record, header.linkType);
    packet.toString();
    void packet.payload.length;
    if (packet.transport?.protocol === "tcp") void packet.transport.options.kinds;
    decoded++;
  });
  return decoded;
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`hung: ${what} took over ${CASE_TIMEOUT_MS} ms`)),
      CASE_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

let caseNumber = 0;

test(`mutated captures read cleanly or fail with a CaptureError (seed ${SEED}, ${RUNS} runs)`, async () => {
  const outcomes = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...NAMES), mutation, async (name, m) => {
      const path = join(dir, `${caseNumber++}-${name.replace("/", "-")}`);
      writeFileSync(path, apply(ORIGINALS.get(name)!, m));
      try {
        await withTimeout(readAndDecode(path), `reading ${path}`);
        outcomes.set("read", (outcomes.get("read") ?? 0) + 1);
      } catch (error) {
        if (!(error instanceof CaptureError)) throw error;
        expect(error.file).toBe(path);
        expect(error.message).toContain(path);
        expect(error.message).toMatch(/ at byte \d+/);
        expect(error.message).toContain(` at byte ${error.offset}`);
        expect(Number.isInteger(error.offset) && error.offset >= 0).toBe(true);
        outcomes.set(error.code, (outcomes.get(error.code) ?? 0) + 1);
        process.stderr.write(`${error.message}\n`);
      } finally {
        rmSync(path, { force: true });
      }
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true },
  );
  // The mutations reach both outcomes.
  expect(outcomes.get("read") ?? 0).toBeGreaterThan(0);
  expect([...outcomes.keys()].filter((k) => k !== "read").length).toBeGreaterThan(3);
}, 600_000);
