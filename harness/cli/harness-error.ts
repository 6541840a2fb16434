// Errors of the harness itself (never findings about a submission): a code, a cause, one clear line.

import { type FaultOwner, SocklabError } from "../fault/index.ts";

/** A problem that stops socklab from doing its job: bad usage, a missing tool, an unreadable input. */
export class HarnessError extends SocklabError {
  constructor(code: string, message: string, options?: { cause?: unknown; owner?: FaultOwner }) {
    super("cli", options?.owner ?? "socklab", code, message, options);
    this.name = "HarnessError";
  }
}

/** Wrong command-line use: the message says what was expected. */
export class UsageError extends HarnessError {
  constructor(message: string) {
    super("usage", message, { owner: "user" });
    this.name = "UsageError";
  }
}
