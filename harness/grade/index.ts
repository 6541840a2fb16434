// The grade stage: manifests, tasks, runs, checks and the result document.

export { keyPath, type SchemaIssue, validate, z } from "../schema/index.ts";
export {
  driveInteractiveClients,
  executeRun,
  type InteractiveReport,
  limiter,
  type ProgramRole,
  type RunContext,
  type RunRecord,
  type RunSpec,
  type Snapshot,
} from "../session/index.ts";
export { type CheckDefinition, fail, pass } from "./check.ts";
export { crossRunCheck } from "./checks/cross.ts";
export {
  clientsExitCheck,
  endOfInputAdvice,
  serverReadyCheck,
  serverSurvivesCheck,
} from "./checks/programs.ts";
export { type RunCheckOptions, runCheck, runOf } from "./checks/run-check.ts";
export { allAckedCheck, handshakeCheck, orderlyCloseCheck, tcpEchoCheck } from "./checks/tcp.ts";
export {
  datagramsCheck,
  ephemeralPortCheck,
  replyToSourceCheck,
  udpEchoCheck,
  udpOutputCheck,
} from "./checks/udp.ts";
export { probe, role } from "./commands.ts";
export { awaitServerLine, crossRuns, runTypedClient, typedInput, typedInputOption } from "./cross-runs.ts";
export { draftManifest } from "./draft/draft-manifest.ts";
export { draftTable, draftYaml } from "./draft/draft-report.ts";
export { readSubmissionSources } from "./draft/submission-files.ts";
export {
  carrying,
  conversations,
  outputRefs,
  packetRef,
  showBytes,
  streamBytes,
  studentClients,
  tcpConversations,
  udpConversations,
} from "./evidence.ts";
export { gradingFingerprint } from "./fingerprint.ts";
export { gradeSubmission } from "./grade-submission.ts";
export { maxScore } from "./grade-task.ts";
export { loadManifest, MANIFEST_NAME } from "./manifest.ts";
export { findPrintedBytes } from "./printed-bytes.ts";
export { findPrintedValues } from "./printed-values.ts";
export { probeReport } from "./probe-report.ts";
export type {
  Advice,
  CheckResult,
  EvidenceRef,
  RunSummary,
  SubmissionResult,
  TaskResult,
  Visibility,
} from "./result.ts";
export {
  clientTakesPort,
  clientTimeoutMs,
  deliveredPattern,
  deliveredSequence,
  deliveryCheck,
  describeDelivery,
  givesUpCheck,
  gradedSeeds,
  groupCount,
  judgeDelivery,
  LINK_PROGRAM,
  legConversations,
  linkOf,
  linkPort,
  linkSummary,
  messagesDecodeCheck,
  numberedReadings,
  periodicCheck,
  protocolDesignCheck,
  type ReliableOptions,
  randomValuesCheck,
  readingMessage,
  reliableOptions,
  reliableRuns,
  repliesCheck,
  replyTo,
  SCRIPTED,
  SERVER_SLACK_MS,
  type SensorOptions,
  type SensorTraffic,
  seededLinksCheck,
  sensorOptions,
  sensorOptionsShape,
  sensorPlaceholders,
  sensorProbeCheck,
  sensorRuns,
  sensorServer,
  sequenceCheck,
  type TimedMessage,
  trafficOf,
} from "./sensor/index.ts";
export { matchesValues, swappedOrder, toStructValues, valueChars } from "./struct-values.ts";
export {
  defineTask,
  type Task,
  type TaskEnvironment,
  type TaskEvidence,
  taskAdvice,
  taskCheck,
} from "./task.ts";
export { parseYaml, toYaml } from "./yaml.ts";
