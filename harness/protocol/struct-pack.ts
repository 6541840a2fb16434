// struct.pack and struct.unpack with CPython 3.11's value rules, for checking students' binary payloads.
//
// Python values in TypeScript:
//   int    number or bigint. Unpack gives a number for items of up to 4 bytes and a bigint for 8-byte
//          items (q Q n N P, and native l L). Pack takes either for any integer character; a number
//          that is an integer (3, 3.0, -0) counts as a Python int there, any other number as a float.
//   float  number. For e f d a number is a Python float; a bigint is a Python int converted to float.
//   bool   boolean (a Python int, 0 or 1, wherever an int is accepted). `?` packs any value's truthiness.
//   bytes  Uint8Array (c: exactly 1 byte; s, p: any length). Unpack returns copies, not views.

import { floatBits, halfBits, halfValue, overflowsFloat } from "./struct-floats.ts";
import { parseStructFormat, type StructChar, type StructItem, type StructLayout } from "./struct-format.ts";
import { integerRangeMessage, isIntegerChar, isUnsignedChar } from "./struct-integers.ts";
import { type StructResult, structProblem } from "./struct-problem.ts";

/** A Python value as socklab carries it (see the table at the top of struct-pack.ts). */
export type StructValue = number | bigint | boolean | Uint8Array;

/** `struct.pack(format, *values)`: the packed bytes, or what CPython would raise. */
export function pack(
  format: string | StructLayout,
  values: readonly StructValue[],
): StructResult<Uint8Array> {
  const parsed =
    typeof format === "string" ? parseStructFormat(format) : { ok: true as const, value: format };
  if (!parsed.ok) return parsed;
  const layout = parsed.value;
  if (values.length !== layout.valueCount) {
    return structProblem(
      "wrong-value-count",
      `pack expected ${layout.valueCount} items for packing (got ${values.length})`,
      0,
    );
  }
  // PyBytes_FromStringAndSize refuses sizes within its header's 33 bytes of PY_SSIZE_T_MAX.
  if (layout.exactSize > 2n ** 63n - 1n - 33n) {
    return structProblem("too-large", "byte string is too large", 0, "OverflowError");
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(layout.size);
  } catch {
    return structProblem("too-large", "", 0, "MemoryError");
  }
  const view = new DataView(bytes.buffer);
  let index = 0;
  for (const item of layout.items) {
    if (item.char === "x") continue;
    const repeat = item.char === "s" || item.char === "p" ? 1 : item.count;
    for (let k = 0; k < repeat; k++, index++) {
      const offset = item.offset + k * item.itemSize;
      const message = packOne(layout, item, values[index]!, bytes, view, offset);
      if (message !== undefined) {
        const [code, text, exception] = message;
        return structProblem(code, text, offset, exception, index);
      }
    }
  }
  return { ok: true, value: bytes };
}

/** `struct.unpack(format, bytes)`: the values, or what CPython would raise. */
export function unpack(format: string | StructLayout, bytes: Uint8Array): StructResult<StructValue[]> {
  const parsed =
    typeof format === "string" ? parseStructFormat(format) : { ok: true as const, value: format };
  if (!parsed.ok) return parsed;
  const layout = parsed.value;
  if (BigInt(bytes.length) !== layout.exactSize) {
    return structProblem("buffer-size", `unpack requires a buffer of ${layout.exactSize} bytes`, 0);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = layout.littleEndian;
  const values: StructValue[] = [];
  for (const item of layout.items) {
    const { char, offset } = item;
    if (char === "x") continue;
    if (char === "s") {
      values.push(bytes.slice(offset, offset + item.count));
      continue;
    }
    if (char === "p") {
      if (item.count === 0) {
        return structProblem(
          "negative-size",
          "Negative size passed to PyBytes_FromStringAndSize",
          offset,
          "SystemError",
        );
      }
      const length = Math.min(bytes[offset]!, item.count - 1);
      values.push(bytes.slice(offset + 1, offset + 1 + length));
      continue;
    }
    for (let k = 0; k < item.count; k++)
      values.push(unpackOne(char, view, offset + k * item.itemSize, item, le));
  }
  return { ok: true, value: values };
}

type Refusal = [
  code: "not-an-integer" | "not-a-float" | "not-bytes" | "not-a-char" | "out-of-range" | "float-overflow",
  message: string,
  exception?: "OverflowError",
];

// Packs one value at `offset`, or says why CPython refuses it.
function packOne(
  layout: StructLayout,
  item: StructItem,
  value: StructValue,
  bytes: Uint8Array,
  view: DataView,
  offset: number,
): Refusal | undefined {
  const { char } = item;
  const le = layout.littleEndian;
  if (char === "s" || char === "p") {
    if (!(value instanceof Uint8Array)) return ["not-bytes", `argument for '${char}' must be a bytes object`];
    if (char === "s") {
      bytes.set(value.subarray(0, item.count), offset);
      return undefined;
    }
    // CPython writes the length byte even for `0p`, where it lands on the next item (or past the end).
    const n = Math.min(value.length, item.count - 1);
    if (n > 0) bytes.set(value.subarray(0, n), offset + 1);
    if (offset < bytes.length) bytes[offset] = n > 255 ? 255 : n & 0xff;
    return undefined;
  }
  if (char === "c") {
    if (!(value instanceof Uint8Array) || value.length !== 1) {
      return ["not-a-char", "char format requires a bytes object of length 1"];
    }
    bytes[offset] = value[0]!;
    return undefined;
  }
  if (char === "?") {
    bytes[offset] = truthy(value) ? 1 : 0;
    return undefined;
  }
  if (isIntegerChar(char)) {
    const integer = asInteger(value);
    if (integer === undefined) return ["not-an-integer", "required argument is not an integer"];
    const message = integerRangeMessage(layout.prefix, char, integer);
    if (message !== undefined) return ["out-of-range", message];
    writeInteger(view, offset, item.itemSize, integer, le);
    return undefined;
  }
  const x = asFloat(value);
  if (x === undefined) return ["not-a-float", "required argument is not a float"];
  // An OverflowError while packing a Python int is reported as struct.error "int too large to convert".
  const overflow = (format: string): Refusal =>
    typeof value === "number"
      ? ["float-overflow", `float too large to pack with ${format} format`, "OverflowError"]
      : ["out-of-range", "int too large to convert"];
  if (char === "e") {
    const bits = halfBits(x);
    if (bits === undefined) return overflow("e");
    view.setUint16(offset, bits, le);
  } else if (char === "f") {
    // Native `f` is a plain C cast (np_float): too large a double becomes infinity without complaint.
    if (!layout.native && overflowsFloat(x)) return overflow("f");
    view.setUint32(offset, floatBits(x), le);
  } else {
    view.setFloat64(offset, x, le);
  }
  return undefined;
}

function unpackOne(
  char: StructChar,
  view: DataView,
  offset: number,
  item: StructItem,
  le: boolean,
): StructValue {
  switch (char) {
    case "c":
      return new Uint8Array([view.getUint8(offset)]);
    case "?":
      return view.getUint8(offset) !== 0;
    case "e":
      return halfValue(view.getUint16(offset, le));
    case "f":
      return view.getFloat32(offset, le);
    case "d":
      return view.getFloat64(offset, le);
  }
  const unsigned = isUnsignedChar(char);
  switch (item.itemSize) {
    case 1:
      return unsigned ? view.getUint8(offset) : view.getInt8(offset);
    case 2:
      return unsigned ? view.getUint16(offset, le) : view.getInt16(offset, le);
    case 4:
      return unsigned ? view.getUint32(offset, le) : view.getInt32(offset, le);
    default:
      return unsigned ? view.getBigUint64(offset, le) : view.getBigInt64(offset, le);
  }
}

function writeInteger(view: DataView, offset: number, size: number, value: bigint, le: boolean): void {
  if (size === 8) view.setBigUint64(offset, BigInt.asUintN(64, value), le);
  else if (size === 4) view.setUint32(offset, Number(BigInt.asUintN(32, value)), le);
  else if (size === 2) view.setUint16(offset, Number(BigInt.asUintN(16, value)), le);
  else view.setUint8(offset, Number(BigInt.asUintN(8, value)));
}

// get_pylong: Python ints (and bools); a float is refused.
function asInteger(value: unknown): bigint | undefined {
  if (typeof value === "bigint") return value;
  if (typeof value === "boolean") return value ? 1n : 0n;
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  return undefined;
}

// PyFloat_AsDouble: floats, and ints that fit a double.
function asFloat(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "bigint") {
    const x = Number(value);
    return Number.isFinite(x) ? x : undefined;
  }
  return undefined;
}

// Python truthiness (bool(nan) is True, unlike JavaScript's).
function truthy(value: unknown): boolean {
  if (typeof value === "number") return value !== 0;
  if (value instanceof Uint8Array) return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value);
}
