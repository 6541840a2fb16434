// Our struct module against CPython's own: random formats (valid, and mangled), random values (fitting,
// and not) and random buffers, through calcsize, pack and unpack on both sides, comparing sizes, bytes,
// values and the exception with its message. One long-lived python3 runs struct-oracle.py.
// Rerun a failure with STRUCT_PARITY_SEED=<seed from the test name>.

import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { halfValue } from "./struct-floats.ts";
import { parseStructFormat, type StructChar, type StructLayout } from "./struct-format.ts";
import { isIntegerChar, isUnsignedChar } from "./struct-integers.ts";
import { pack, type StructValue, unpack } from "./struct-pack.ts";
import type { StructResult } from "./struct-problem.ts";

const PYTHON = "/usr/bin/python3";
const pythonMissing = spawnSync(PYTHON, ["-c", "import struct"]).status !== 0;
const SEED = Number(process.env.STRUCT_PARITY_SEED ?? Math.floor(Math.random() * 2 ** 31));
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
  private readonly waiting: Array<(answer: Answer) => void> = [];
  constructor() {
    this.child = spawn(PYTHON, [join(import.meta.dirname, "struct-oracle.py")]);
    createInterface({ input: this.child.stdout }).on("line", (line) =>
      this.waiting.shift()?.(JSON.parse(line)),
    );
  }
  ask(question: object): Promise<Answer> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.stdin.write(`${JSON.stringify(question)}\n`);
    });
  }
  close(): void {
    this.child.stdin.end();
  }
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const floatWire = (x: number) => {
  if (Number.isNaN(x)) return { f: "nan" };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x, true);
  return { f: hex(new Uint8Array(view.buffer)) };
};
const isFloatChar = (char: StructChar | undefined) => char === "e" || char === "f" || char === "d";

// A TypeScript value as the Python value it stands for (see struct-pack.ts), given its slot's character.
function toWire(value: StructValue, char: StructChar | undefined): Wire {
  if (typeof value === "boolean") return { t: value };
  if (typeof value === "bigint") return { i: value.toString() };
  if (value instanceof Uint8Array) return { b: hex(value) };
  return isFloatChar(char) || !Number.isInteger(value) ? floatWire(value) : { i: BigInt(value).toString() };
}

function outcome<T>(result: StructResult<T>, ok: (value: T) => unknown): Outcome {
  return result.ok ? { ok: ok(result.value) } : { err: [result.problem.exception, result.problem.message] };
}

function valueChars(layout: StructLayout): StructChar[] {
  return layout.items.flatMap((item) =>
    item.char === "x"
      ? []
      : Array<StructChar>(item.char === "s" || item.char === "p" ? 1 : item.count).fill(item.char),
  );
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
const anyFloat = fc.oneof(
  fc.double(),
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
  if (isIntegerChar(char)) return fc.oneof({ weight: 8, arbitrary: integerIn(prefix, char) }, fc.boolean());
  if (isFloatChar(char)) return anyFloat;
  if (char === "c") return fc.uint8Array({ minLength: 1, maxLength: 1 });
  if (char === "s" || char === "p") return fc.uint8Array({ maxLength: count > 200 ? 300 : count + 3 });
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
    const layout =
      parsed.ok && parsed.value.size <= LIMIT && parsed.value.valueCount <= LIMIT ? parsed.value : undefined;
    if (layout === undefined) {
      return fc.record({
        format: fc.constant(format),
        values: fc.constant(undefined),
        buffer: fc.constant(new Uint8Array()),
      });
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

async function agree(oracle: Oracle, format: string, values: StructValue[] | undefined, buffer: Uint8Array) {
  const parsed = parseStructFormat(format);
  const chars = parsed.ok && parsed.value.valueCount <= LIMIT ? valueChars(parsed.value) : [];
  const packed = values === undefined ? undefined : pack(format, values);
  const buffers = [buffer, ...(packed?.ok ? [packed.value] : [])];
  const question = {
    fmt: format,
    ...(values === undefined ? {} : { values: values.map((v, i) => toWire(v, chars[i])) }),
    buffers: parsed.ok && parsed.value.size <= LIMIT ? buffers.map(hex) : [],
  };
  const answer = await oracle.ask(question);
  const size = parsed.ok ? parsed.value.size : undefined;
  const ours = outcome(parsed, (layout) => layout.size.toString());
  if ("ok" in answer.size && size !== undefined && size > Number.MAX_SAFE_INTEGER) {
    expect(size, format).toBe(Number(answer.size.ok)); // exact only up to 2^53
  } else {
    expect(ours, JSON.stringify(question)).toEqual(answer.size);
  }
  if (packed !== undefined) expect(outcome(packed, hex), JSON.stringify(question)).toEqual(answer.pack);
  question.buffers.forEach((b, i) => {
    const result = unpack(format, Uint8Array.from(Buffer.from(b, "hex")));
    const ours = outcome(result, (vs) => vs.map((v, j) => toWire(v, chars[j])));
    expect(ours, JSON.stringify(question)).toEqual(answer.unpack[i]);
  });
}

describe.skipIf(pythonMissing)(
  `struct parity with CPython ${pythonMissing ? "(skipped: no /usr/bin/python3)" : ""}`,
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
