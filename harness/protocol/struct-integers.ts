// Which integers each format character accepts, and CPython 3.11's message when one does not fit. The
// message depends on the C function that packs the item, and that differs by table: the standard
// little-endian table (`<`, `=`) borrows the native functions wherever the sizes agree (b B h H i I q Q),
// `>` and `!` have their own, and native l L n N q Q only go through PyLong_AsLong & co.
//
//   function              range checked by                          message when out of range
//   np_byte … np_ushort   long, then the C type                     "byte format requires -128 <= number <= 127"
//   np_int, np_uint       long / unsigned long, then the C type     "'i' format requires … <= number <= …"
//   lp_int, bp_int (2, 4) long / unsigned long, then the size       "'h' format requires … <= number <= …"
//   np_long … np_ulonglong the C type only                          "argument out of range"
//   bp_longlong, Q        _PyLong_AsByteArray (OverflowError)       "int too large to convert"
//   np_void_p (P)         [-2^63, 2^64 − 1] (OverflowError)         "int too large to convert"
//
// A long is 64 bits here; get_long/get_ulong turn their own OverflowError into "argument out of range".

import type { StructChar, StructPrefix } from "./struct-format.ts";

type Rule =
  | { kind: "named"; name: string; min: bigint; max: bigint }
  | { kind: "sized"; size: number }
  | { kind: "c-long" }
  | { kind: "byte-array" }
  | { kind: "pointer" };

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const ULONG_MAX = 2n ** 64n - 1n;

const NAMED: Readonly<Partial<Record<StructChar, Rule>>> = {
  b: { kind: "named", name: "byte", min: -128n, max: 127n },
  B: { kind: "named", name: "ubyte", min: 0n, max: 255n },
  h: { kind: "named", name: "short", min: -32768n, max: 32767n },
  H: { kind: "named", name: "ushort", min: 0n, max: 65535n },
};
const NATIVE_RULES: Readonly<Partial<Record<StructChar, Rule>>> = {
  ...NAMED,
  i: { kind: "sized", size: 4 },
  I: { kind: "sized", size: 4 },
  l: { kind: "c-long" },
  L: { kind: "c-long" },
  q: { kind: "c-long" },
  Q: { kind: "c-long" },
  n: { kind: "c-long" },
  N: { kind: "c-long" },
  P: { kind: "pointer" },
};
const LITTLE_RULES: Readonly<Partial<Record<StructChar, Rule>>> = {
  ...NATIVE_RULES,
  l: { kind: "sized", size: 4 },
  L: { kind: "sized", size: 4 },
};
const BIG_RULES: Readonly<Partial<Record<StructChar, Rule>>> = {
  b: NAMED.b!,
  B: NAMED.B!,
  h: { kind: "sized", size: 2 },
  H: { kind: "sized", size: 2 },
  i: { kind: "sized", size: 4 },
  I: { kind: "sized", size: 4 },
  l: { kind: "sized", size: 4 },
  L: { kind: "sized", size: 4 },
  q: { kind: "byte-array" },
  Q: { kind: "byte-array" },
};

/** Whether a format character packs an integer. */
export function isIntegerChar(char: StructChar): boolean {
  return "bBhHiIlLqQnNP".includes(char);
}

/** Whether an integer format character is unsigned (P unpacks unsigned but packs negatives too). */
export function isUnsignedChar(char: StructChar): boolean {
  return "BHILQNP".includes(char);
}

/** CPython's struct.error message if `value` cannot be packed as `char` under `prefix`, else undefined. */
export function integerRangeMessage(
  prefix: StructPrefix,
  char: StructChar,
  value: bigint,
): string | undefined {
  const table = prefix === "@" ? NATIVE_RULES : prefix === ">" || prefix === "!" ? BIG_RULES : LITTLE_RULES;
  const rule = table[char];
  if (rule === undefined) throw new Error(`internal: ${char} is not an integer format character`);
  const unsigned = isUnsignedChar(char);
  switch (rule.kind) {
    case "named":
      if (value < LONG_MIN || value > LONG_MAX) return "argument out of range";
      return value < rule.min || value > rule.max
        ? `${rule.name} format requires ${rule.min} <= number <= ${rule.max}`
        : undefined;
    case "sized": {
      if (unsigned ? value < 0n || value > ULONG_MAX : value < LONG_MIN || value > LONG_MAX) {
        return "argument out of range";
      }
      const bits = BigInt(rule.size * 8);
      const [min, max] = unsigned ? [0n, 2n ** bits - 1n] : [-(2n ** (bits - 1n)), 2n ** (bits - 1n) - 1n];
      return value < min || value > max ? `'${char}' format requires ${min} <= number <= ${max}` : undefined;
    }
    case "c-long":
      return (unsigned ? value < 0n || value > ULONG_MAX : value < LONG_MIN || value > LONG_MAX)
        ? "argument out of range"
        : undefined;
    case "byte-array":
      return (unsigned ? value < 0n || value > ULONG_MAX : value < LONG_MIN || value > LONG_MAX)
        ? "int too large to convert"
        : undefined;
    case "pointer":
      return value < LONG_MIN || value > ULONG_MAX ? "int too large to convert" : undefined;
  }
}
