// The impair stage: a seeded lossy UDP link between a student's client and server, with a ground-truth log.

export {
  ACTIONS,
  type Action,
  type Datagram,
  type Direction,
  type Fate,
  type FateFunction,
  fateOf,
  NEVER_DROP_FROM_OCCURRENCE,
  type Policy,
  policyFates,
  type Script,
  scriptedFates,
  sha1Hex,
} from "./fate.ts";
export { ImpairError, type ImpairErrorCode } from "./impair-error.ts";
export {
  DEFAULT_HOLD_CAP_MS,
  type ImpairProxy,
  LOOPBACK,
  type LogEntry,
  type LogSink,
  type ProxyOptions,
  type ProxyStats,
  startProxy,
} from "./proxy.ts";
