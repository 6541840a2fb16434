// The session stage: one sandboxed run of a task, from its programs to its analysed capture (run-session),
// the drivers' shared scenario of interactive clients, the limiter that bounds runs at once, and the folders
// of socklab's own programs shown inside runs.

export { type BuildSummary, type Built, buildSubmission } from "./build-submission.ts";
export { driveInteractiveClients } from "./interactive-clients.ts";
export type { InteractiveReport } from "./interactive-report.ts";
export { type Limit, limiter } from "./limiter.ts";
export { stageProgramFolders } from "./program-folders.ts";
export {
  executeRun,
  type ProgramFolders,
  type ProgramRecord,
  type ProgramRole,
  type RunContext,
  type RunRecord,
  type RunSpec,
  type Snapshot,
} from "./run-session.ts";
