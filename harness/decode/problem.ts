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

/**
 * The same problem as a fact of the capture: the snap length cut the packet where `truncated` says, though
 * the frame on the wire had those bytes.
 */
export function cutBySnapLength(truncation: DecodeProblem): DecodeProblem {
  return {
    ...truncation,
    code: "truncated-by-snaplen",
    message: `${truncation.message} (the capture's snap length cut the packet)`,
  };
}
