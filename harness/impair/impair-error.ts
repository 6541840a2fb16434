// The one error class of the lossy link: a harness fault (a port in use, a bad option), never the student's.

import { SocklabError } from "../fault/index.ts";

/** What went wrong, as a stable machine code. */
export type ImpairErrorCode = "bad-option" | "bind-failed";

/** The proxy could not be started as asked. */
export class ImpairError extends SocklabError<ImpairErrorCode> {
  override readonly name = "ImpairError";

  constructor(code: ImpairErrorCode, message: string, options?: { cause?: unknown }) {
    super("impair", "socklab", code, message, options);
  }
}
