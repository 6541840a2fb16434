// The harness errors of the sandbox stage: the machine cannot give a run what it needs. Never a finding
// about a submission.
import { SocklabError } from "../fault/index.ts";

/** Stable codes for what went wrong while opening or using a sandbox. */
export type SandboxErrorCode =
  | "BAD_SETTING"
  | "NAMESPACES_UNAVAILABLE"
  | "OUTDIR_NOT_REACHABLE"
  | "SUBMISSION_NOT_FOUND"
  | "HOLDER_FAILED"
  | "HOLDER_NOT_READY"
  | "TCPDUMP_NOT_READY"
  | "NFT_FAILED"
  | "NFT_NEEDS_NAMESPACE"
  | "HOST_LOCK_TIMEOUT"
  | "SANDBOX_CLOSED"
  | "INTERRUPTED";

const USERS: readonly SandboxErrorCode[] = ["BAD_SETTING", "NAMESPACES_UNAVAILABLE", "SUBMISSION_NOT_FOUND"];

/** A harness error of the sandbox stage, with a code and the underlying cause. */
export class SandboxError extends SocklabError<SandboxErrorCode> {
  override readonly name = "SandboxError";

  constructor(code: SandboxErrorCode, message: string, options?: { cause?: unknown }) {
    super("sandbox", USERS.includes(code) ? "user" : "socklab", code, message, options);
  }
}
