// The one error class of reading a capture file: a harness error, not a finding about the submission.

import { SocklabError } from "../fault/index.ts";

/** What went wrong, as a stable machine code. */
export type CaptureErrorCode =
  | "missing-file"
  | "not-a-file"
  | "unreadable-file"
  | "empty-file"
  | "unknown-magic"
  | "bad-version"
  | "unsupported-link-type"
  | "truncated-header"
  | "truncated-record-header"
  | "truncated-record"
  | "corrupt-record"
  | "parser-error";

/** A capture file that cannot be read; the message names the file and the byte offset. */
export class CaptureError extends SocklabError<CaptureErrorCode> {
  override readonly name = "CaptureError";
  /** The path the user named. */
  readonly file: string;
  /** Byte offset of the problem in the user's file. */
  readonly offset: number;

  /**
   * `what` names the problem ("truncated packet record"); `detail` says the numbers ("header says 60 bytes,
   * only 12 remain"). The message reads `file: what at byte N: detail`.
   */
  constructor(
    code: CaptureErrorCode,
    file: string,
    offset: number,
    what: string,
    detail?: string,
    options?: { cause?: unknown },
  ) {
    // The owner is whoever named the file: the user for `socklab analyse`; a grading run re-owns its own.
    const message = `${file}: ${what} at byte ${offset}${detail ? `: ${detail}` : ""}`;
    super("capture", "user", code, message, options);
    this.file = file;
    this.offset = offset;
  }
}

/** A failed read of the capture file (an fs error) at `offset`, as a CaptureError. */
export function readFailure(file: string, offset: number, error: unknown): CaptureError {
  const reason = error instanceof Error ? error.message : String(error);
  return new CaptureError("unreadable-file", file, offset, "cannot read capture file", reason, {
    cause: error,
  });
}
