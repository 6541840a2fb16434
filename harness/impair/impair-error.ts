// The one error class of the lossy link: a harness fault (a port in use, a bad option), never the student's.

/** What went wrong, as a stable machine code. */
export type ImpairErrorCode = "bad-option" | "bind-failed";

/** The proxy could not be started as asked. */
export class ImpairError extends Error {
  override readonly name = "ImpairError";
  readonly code: ImpairErrorCode;

  constructor(code: ImpairErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
