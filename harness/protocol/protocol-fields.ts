// Where each named value of a struct layout sits in the packed bytes, and what kind of data it is. The
// descriptor, the decoder, the packet diagram and the field table all read a message through these slots.

import type { StructChar, StructItem, StructLayout } from "./struct-format.ts";
import { isIntegerChar } from "./struct-integers.ts";

/** The kinds of data the lab asks a message to mix ("at least three kinds of data"). */
export type DataKind = "integer" | "float" | "bool" | "bytes";

/** Every data kind, in the order reports list them. */
export const DATA_KINDS: readonly DataKind[] = ["integer", "float", "bool", "bytes"];

/** One value of a layout: its name, its format character and the bytes it occupies. */
export interface FieldSlot {
  readonly name: string;
  /** Index among the values pack takes and unpack returns. */
  readonly index: number;
  readonly char: StructChar;
  readonly offset: number;
  readonly size: number;
  readonly item: StructItem;
}

/** The slot of each value, named by `names` in order; a value without a name is called `[index]`. */
export function fieldSlots(layout: StructLayout, names: readonly string[]): FieldSlot[] {
  const slots: FieldSlot[] = [];
  for (const item of layout.items) {
    if (item.char === "x") continue;
    const repeat = item.char === "s" || item.char === "p" ? 1 : item.count;
    for (let k = 0; k < repeat; k++) {
      const index = slots.length;
      const name = names[index] ?? `[${index}]`;
      const offset = item.offset + k * item.itemSize;
      slots.push({ name, index, char: item.char, offset, size: item.itemSize, item });
    }
  }
  return slots;
}

/** The kind of data a (non-pad) format character carries. */
export function dataKind(char: StructChar): DataKind {
  if (isIntegerChar(char)) return "integer";
  if (char === "e" || char === "f" || char === "d") return "float";
  if (char === "?") return "bool";
  return "bytes";
}
