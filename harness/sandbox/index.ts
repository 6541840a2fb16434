// The sandbox stage: one isolated network run per grading run (namespaces, capture, limits, launcher).
export { type CgroupUsage, cgroupLayout, ProgramCgroup } from "./cgroups.ts";
export { SandboxError, type SandboxErrorCode } from "./errors.ts";
export { type HostCommandResult, runHostCommand } from "./host-command.ts";
export { type RunIdentity, runIdentity, UNPRIVILEGED_ID } from "./identity.ts";
export { interruptRuns, runsInterrupted } from "./interrupt.ts";
export type { LaunchPlan, LaunchRequest } from "./launcher.ts";
export { DEFAULT_LIMITS, type ResourceLimits } from "./limits.ts";
export { MARKER_PORT, openSandbox, requestedMode, resolveSandboxMode } from "./open-sandbox.ts";
export { type PreflightResult, preflight } from "./preflight.ts";
export {
  parseProcNet,
  type SocketCounts,
  type SocketEntry,
  type SocketProtocol,
  socketStateName,
} from "./proc-net.ts";
export {
  type ProcessInfo,
  processTree,
  readProcessInfo,
  runnableThreads,
  signalProcesses,
} from "./process-tree.ts";
export { createStage, REPORT_FOLDERS, removeStage, removeStaleStages } from "./run-dirs.ts";
export { backoff, type SocketSource, SocketWatch } from "./socket-watch.ts";
export type {
  CaptureBudget,
  ProgramProcessSet,
  Sandbox,
  SandboxCloseResult,
  SandboxMode,
  SandboxOptions,
} from "./types.ts";
export { DEFAULT_CAPTURE_BUDGET } from "./types.ts";
