// Errors of the harness itself (never findings about a submission): a code, a cause, one clear line.

/** A problem that stops socklab from doing its job: bad usage, a missing tool, an unreadable input. */
export class HarnessError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "HarnessError";
    this.code = code;
  }
}

/** Wrong command-line use: the message says what was expected. */
export class UsageError extends HarnessError {
  constructor(message: string) {
    super("usage", message);
    this.name = "UsageError";
  }
}
