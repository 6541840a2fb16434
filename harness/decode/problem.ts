// Decode problems as data: the one constructor every layer uses, and the shared "no problems" value.

import type { DecodeProblem } from "./packet-types.ts";

/** The problems list of a packet that decoded cleanly (shared, frozen: no allocation per packet). */
export const NO_PROBLEMS: readonly DecodeProblem[] = Object.freeze([]);

/** Makes a problem record. */
export function problem(
  layer: DecodeProblem["layer"],
  code: string,
  offset: number,
  required: number,
  actual: number,
  message: string,
): DecodeProblem {
  return { layer, code, offset, required, actual, message };
}

/** The usual "needed N bytes, had M" problem. */
export function truncated(
  layer: DecodeProblem["layer"],
  what: string,
  offset: number,
  required: number,
  actual: number,
): DecodeProblem {
  return problem(
    layer,
    "truncated",
    offset,
    required,
    actual,
    `${what} needs ${required} bytes at offset ${offset}, only ${actual} captured`,
  );
}
