// The grade stage: manifests, tasks, runs, checks and the result document.

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
  runOf,
  serverReadyCheck,
  serverSurvivesCheck,
} from "./checks/programs.ts";
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
export { draftManifest } from "./draft-manifest.ts";
export {
  conversations,
  outputRefs,
  packetRef,
  showBytes,
  streamBytes,
  studentClients,
  tcpConversations,
  udpConversations,
} from "./evidence.ts";
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
export { keyPath, type SchemaIssue, validate, z } from "./schema.ts";
export { deliveredPattern, deliveredSequence, describeDelivery, judgeDelivery } from "./sensor/delivery.ts";
export { clientTakesPort, LINK_PROGRAM, linkOf } from "./sensor/link-evidence.ts";
export { readingMessage } from "./sensor/probe-readings.ts";
export { replyTo } from "./sensor/reply-pairs.ts";
export {
  messagesDecodeCheck,
  periodicCheck,
  protocolDesignCheck,
  randomValuesCheck,
  repliesCheck,
  sensorProbeCheck,
  sequenceCheck,
} from "./sensor/sensor-checks.ts";
export { legConversations, trafficOf } from "./sensor/sensor-evidence.ts";
export { type SensorOptions, sensorOptions, sensorOptionsShape } from "./sensor/sensor-options.ts";
export { clientTimeoutMs, SERVER_SLACK_MS, sensorRuns, sensorServer } from "./sensor/sensor-runs.ts";
export type { SensorTraffic, TimedMessage } from "./sensor/sensor-traffic.ts";
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
