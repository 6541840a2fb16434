// Our struct module against CPython's own: random formats (valid, and mangled), random values (fitting,
// and not) and random buffers go through calcsize, pack and unpack on both sides, comparing sizes, bytes,
// values, how print() shows the unpacked tuple, and each exception with its message. One long-lived
// python3 runs struct-oracle.py. Rerun a failure with STRUCT_PARITY_SEED=<seed from the test name>.

import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatTuple } from "./python-repr.ts";
import { halfValue } from "./struct-floats.ts";
import { parseStructFormat, type StructChar, valueChars } from "./struct-format.ts";
import { isIntegerChar, isUnsignedChar } from "./struct-integers.ts";
import { pack, type StructValue, unpack } from "./struct-pack.ts";
import type { StructResult } from "./struct-problem.ts";

const PYTHON = ["/usr/bin/python3", "python3"].find(
  (p) => spawnSync(p, ["-c", "import struct"]).status === 0,
);
// A fixed default seed keeps the suite repeatable; set STRUCT_PARITY_SEED to explore other cases.
const SEED = Number(process.env.STRUCT_PARITY_SEED ?? 20261125);
const LIMIT = 4096; // bytes and values beyond which we compare calcsize only

type Wire = { i: string } | { f: string } | { t: boolean } | { b: string };
type Outcome = { ok: unknown } | { err: [string, string] };
interface Answer {
  size: Outcome;
  pack?: Outcome;
  unpack: Outcome[];
}

// struct-oracle.py behind a promise per question; answers come back in order.
class Oracle {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: Array<{ resolve: (answer: Answer) => void; reject: (error: Error) => void }> = [];
  private stderr = "";
  constructor() {
    this.child = spawn(PYTHON!, [join(import.meta.dirname, "struct-oracle.py")]);
    this.child.stderr.on("data", (chunk) => {
      this.stderr += chunk;
    });
    this.child.on("exit", (code) => {
      const error = new Error(`struct-oracle.py exited (${code}): ${this.stderr}`);
      for (const { reject } of this.waiting.splice(0)) reject(error);
    });
    createInterface({ input: this.child.stdout }).on("line", (line) =>
      this.waiting.shift()?.resolve(JSON.parse(line)),
    );
  }
  ask(question: object): Promise<Answer> {
    return new Promise((resolve, reject) => {
      if (this.child.exitCode !== null) return reject(new Error(`struct-oracle.py is gone: ${this.stderr}`));
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(`${JSON.stringify(question)}\n`);
    });
  }
  close(): void {
    this.child.stdin.end();
  }
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
// Outputs compare NaNs as just "nan"; inputs keep every bit.
const floatWire = (x: number, output: boolean) => {
  if (output && Number.isNaN(x)) return { f: "nan" };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x, true);
  return { f: hex(new Uint8Array(view.buffer)) };
};
const isFloatChar = (char: StructChar | undefined) => char === "e" || char === "f" || char === "d";

// A TypeScript value as the Python value it stands for (see struct-pack.ts), given its slot's character.
function toWire(value: StructValue, char: StructChar | undefined, output = false): Wire {
  if (typeof value === "boolean") return { t: value };
  if (typeof value === "bigint") return { i: value.toString() };
  if (value instanceof Uint8Array) return { b: hex(value) };
  return isFloatChar(char) || !Number.isInteger(value)
    ? floatWire(value, output)
    : { i: BigInt(value).toString() };
}

function outcome<T>(result: StructResult<T>, ok: (value: T) => unknown): Outcome {
  return result.ok ? { ok: ok(result.value) } : { err: [result.problem.exception, result.problem.message] };
}

// ---- formats ----

const SPACES = fc.constantFrom("", "", "", " ", "  ", "\t", "\n", "\r\n", "\v", "\f");
const PREFIX = fc.constantFrom("", "@", "=", "<", ">", "!");
const PLAIN = [..."xcbB?hHiIlLqQefd"];

function itemArb(native: boolean) {
  return fc
    .record({
      char: fc.constantFrom(...PLAIN, "s", "p", ...(native ? ["n", "N", "P"] : [])),
      count: fc.option(fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 5, max: 24 })), {
        freq: 2,
      }),
      longPascal: fc.integer({ min: 250, max: 300 }),
      space: SPACES,
    })
    .map(({ char, count, longPascal, space }) => {
      const n =
        char === "p" && count === 24
          ? longPascal
          : count !== null && (count < 5 || "sp".includes(char))
            ? count
            : null;
      return `${space}${n ?? ""}${char}`;
    });
}

const validFormat = PREFIX.chain((prefix) =>
  fc
    .array(itemArb(prefix === "" || prefix === "@"), { maxLength: 7 })
    .map((items) => prefix + items.join("")),
);

const JUNK = fc.constantFrom(
  ..."aAgjkmortuvwyzZFD#$%^&*()-+.,;:'\"[]{}|\\/`~0123456789 ",
  "\0",
  "\x1c",
  "é",
  "€",
  "😀",
  "\ud800",
  "nNP",
  " <",
  "<",
  ">",
  "@",
  "3 i",
  "12",
  "9223372036854775807x",
  "9223372036854775808",
  "99999999999999999999s",
  "1152921504606846975q",
  "2305843009213693951i",
  "4611686018427387903h",
  "9223372036854775801x0q",
  "9223372036854775774x",
  "9223372036854775775x",
  "4611686018427387905x",
  "1152921504606846970d",
);
const mangledFormat = fc
  .tuple(validFormat, fc.array(fc.tuple(fc.nat(), JUNK), { minLength: 1, maxLength: 3 }))
  .map(([format, junk]) =>
    junk.reduce(
      (f, [at, piece]) => f.slice(0, at % (f.length + 1)) + piece + f.slice(at % (f.length + 1)),
      format,
    ),
  );

// ---- values ----

const INTERESTING = [0n, 1n, -1n].concat(
  [7, 8, 15, 16, 31, 32, 53, 63, 64, 65, 100].flatMap((k) => {
    const p = 2n ** BigInt(k);
    return [p, p - 1n, p + 1n, -p, -p - 1n, -p + 1n];
  }),
);
const asNumberOrBigint = (n: bigint) =>
  n >= -(2n ** 53n) && n <= 2n ** 53n
    ? fc.constantFrom<StructValue>(Number(n), n)
    : fc.constant<StructValue>(n);
const anyInteger = fc
  .oneof(fc.constantFrom(...INTERESTING), fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }))
  .chain(asNumberOrBigint);

function integerIn(prefix: string, char: StructChar) {
  const native = prefix === "" || prefix === "@";
  const size =
    "qQnNP".includes(char) || (native && "lL".includes(char))
      ? 8
      : "iIlL".includes(char)
        ? 4
        : "hH".includes(char)
          ? 2
          : 1;
  const bits = BigInt(size * 8);
  const [min, max] =
    char === "P"
      ? [-(2n ** 63n), 2n ** 64n - 1n]
      : isUnsignedChar(char)
        ? [0n, 2n ** bits - 1n]
        : [-(2n ** (bits - 1n)), 2n ** (bits - 1n) - 1n];
  return fc.oneof(fc.constantFrom(min, max, 0n), fc.bigInt({ min, max })).chain(asNumberOrBigint);
}

const between = (a: number, b: number) => (a + b) / 2;
const fromBits = (high: number, low: number) => {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, high);
  view.setUint32(4, low);
  return view.getFloat64(0);
};
const NANS = [
  fromBits(0xfff80000, 0),
  fromBits(0x7ff00000, 1),
  fromBits(0xfff12345, 0x6789abcd),
  fromBits(0x7fffffff, 0xffffffff),
];
const anyFloat = fc.oneof(
  fc.double(),
  fc.constantFrom(...NANS),
  fc.float().map((x) => x as number),
  fc.constantFrom(
    0,
    -0,
    Infinity,
    -Infinity,
    Number.NaN,
    65504,
    65519.99999999999,
    65520,
    2 ** -24,
    2 ** -25,
    2 ** -26,
  ),
  fc.constantFrom(
    3.4028234663852886e38,
    3.4028235677973362e38,
    3.4028235677973366e38,
    1e39,
    1e300,
    2.7,
    1e16,
    1e-5,
  ),
  fc.integer({ min: 0, max: 0x7bfe }).map((bits) => between(halfValue(bits), halfValue(bits + 1))), // half ties
  fc.integer({ min: 0, max: 0x7bfe }).map((bits) => -halfValue(bits)),
  fc
    .float({ noNaN: true, noDefaultInfinity: true })
    .map((x) => between(x, x + 2 ** (Math.floor(Math.log2(Math.abs(x) || 1)) - 23))),
  fc.constantFrom<StructValue>(
    2n ** 1024n,
    2n ** 1024n - 2n ** 970n,
    2n ** 1024n - 2n ** 971n,
    100000n,
    65504n,
    10n ** 39n,
    true,
  ),
);
const anyBytes = fc.uint8Array({ maxLength: 12 });
const anyValue: fc.Arbitrary<StructValue> = fc.oneof(
  anyInteger,
  anyFloat,
  fc.double({ noNaN: true }).filter((x) => !Number.isInteger(x)),
  anyBytes,
  fc.boolean(),
);

function fittingValue(prefix: string, char: StructChar, count: number): fc.Arbitrary<StructValue> {
  if (isIntegerChar(char)) {
    return fc.oneof(
      { weight: 8, arbitrary: integerIn(prefix, char) },
      { weight: 2, arbitrary: anyInteger },
      fc.boolean(),
    );
  }
  if (isFloatChar(char)) return anyFloat;
  if (char === "c") return fc.uint8Array({ minLength: 1, maxLength: 1 });
  if (char === "s" || char === "p") {
    const near = { minLength: Math.max(0, count - 3), maxLength: count + 3 }; // around the count: truncation, p's cap
    return fc.oneof(fc.uint8Array({ maxLength: 4 }), fc.uint8Array(near));
  }
  return anyValue; // `?` takes anything
}

// A format, values for it (mostly fitting), and buffers to unpack (mostly the right size).
interface ParityCase {
  format: string;
  values: StructValue[] | undefined;
  buffer: Uint8Array;
}
const parityCase = (formats: fc.Arbitrary<string>): fc.Arbitrary<ParityCase> =>
  formats.chain((format): fc.Arbitrary<ParityCase> => {
    const parsed = parseStructFormat(format);
    const layout = parsed.ok && parsed.value.valueCount <= LIMIT ? parsed.value : undefined;
    if (layout === undefined || !packable(layout.exactSize)) {
      return fc.record({
        format: fc.constant(format),
        values: fc.constant(undefined),
        buffer: fc.constant(new Uint8Array()),
      });
    }
    if (layout.size > LIMIT) {
      const values = fc.array(anyValue, { maxLength: 3 });
      return fc.record({ format: fc.constant(format), values, buffer: fc.constant(new Uint8Array()) });
    }
    const prefix = layout.prefix;
    const counts = layout.items.flatMap((item) =>
      item.char === "x"
        ? []
        : Array<number>(item.char === "s" || item.char === "p" ? 1 : item.count).fill(item.count),
    );
    const slots = valueChars(layout).map((char, i) =>
      fc.oneof({ weight: 12, arbitrary: fittingValue(prefix, char, counts[i]!) }, anyValue),
    );
    return fc.record({
      format: fc.constant(format),
      values: fc.oneof(
        { weight: 12, arbitrary: fc.tuple(...slots) },
        fc.array(anyValue, { maxLength: slots.length + 2 }),
      ),
      buffer: fc
        .oneof({ weight: 8, arbitrary: fc.constant(layout.size) }, fc.nat(layout.size + 2))
        .chain((size) => fc.uint8Array({ minLength: size, maxLength: size })),
    });
  });

// Pack only where CPython surely fails or finishes fast: small formats, or ones no allocator can hold.
const packable = (size: bigint) => size <= BigInt(LIMIT) || size > 2n ** 62n;

async function agree(oracle: Oracle, format: string, values: StructValue[] | undefined, buffer: Uint8Array) {
  const parsed = parseStructFormat(format);
  const chars = parsed.ok ? valueChars(parsed.value, LIMIT) : [];
  const packed = values === undefined ? undefined : pack(format, values);
  const buffers = [buffer, ...(packed?.ok ? [packed.value] : [])];
  const question = {
    fmt: format,
    ...(values === undefined ? {} : { values: values.map((v, i) => toWire(v, chars[i])) }),
    // A large format gets only an empty buffer: unpack's message then names its exact size.
    buffers: !parsed.ok ? [] : parsed.value.size <= LIMIT ? buffers.map(hex) : [""],
  };
  const answer = await oracle.ask(question);
  const where = JSON.stringify(question);
  expect(
    outcome(parsed, (layout) => layout.exactSize.toString()),
    where,
  ).toEqual(answer.size);
  if (parsed.ok) expect(BigInt(parsed.value.size), where).toBe(BigInt(Number(parsed.value.exactSize)));
  if (packed !== undefined) expect(outcome(packed, hex), where).toEqual(answer.pack);
  question.buffers.forEach((b, i) => {
    const result = unpack(format, Uint8Array.from(Buffer.from(b, "hex")));
    const ours = outcome(result, (vs) => ({
      values: vs.map((v, j) => toWire(v, chars[j], true)),
      printed: parsed.ok ? formatTuple(parsed.value, vs) : "",
    }));
    expect(ours, where).toEqual(answer.unpack[i]);
  });
}

describe.skipIf(PYTHON === undefined)(
  `struct parity with CPython${PYTHON === undefined ? " (skipped: python3 not found)" : ""}`,
  () => {
    let oracle: Oracle;
    beforeAll(() => {
      oracle = new Oracle();
    });
    afterAll(() => oracle?.close());

    it(`agrees on valid formats (seed ${SEED})`, async () => {
      await fc.assert(
        fc.asyncProperty(parityCase(validFormat), (c) => agree(oracle, c.format, c.values, c.buffer)),
        { seed: SEED, numRuns: 8000 },
      );
    });

    it(`agrees on mangled formats (seed ${SEED})`, async () => {
      await fc.assert(
        fc.asyncProperty(parityCase(mangledFormat), (c) => agree(oracle, c.format, c.values, c.buffer)),
        { seed: SEED, numRuns: 4000 },
      );
    });
  },
);
