// The impair stage: a seeded lossy UDP link between a student's client and server, with a ground-truth log;
// the link as a program inside a run (bundle, role, output), seed plans, the capture cross-check, and
// deterministic nftables drops as a fallback.

export {
  type DatagramIdentity,
  identityKey,
  messageKey,
  parseIdentityKey,
} from "./datagram-identity.ts";
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
  crossCheckLink,
  type LegDatagram,
  type LinkCheck,
  type LinkLegs,
  linkLegsOf,
} from "./link-check.ts";
export {
  decodeLinkConfig,
  encodeLinkConfig,
  type IdentifyMessage,
  LISTENING_LINE,
  type LinkConfig,
  LOG_PREFIX,
  listeningLine,
  PROXY_BUNDLE_NAME,
  STATS_PREFIX,
} from "./link-config.ts";
export { protocolIdentify } from "./link-identify.ts";
export {
  chooseSeeds,
  DEFAULT_IDENTITY_OF,
  DEFAULT_POLICY,
  type IdentityOf,
  type LinkPlan,
  MAX_SEED_CANDIDATES,
  missingImpairments,
  type PlannedFate,
  planOf,
} from "./link-plan.ts";
export { LINK_TIMEOUT_MS, type LinkOutput, linkRole, parseLinkOutput } from "./link-role.ts";
export { FIRST_ONLY, NFT_TABLE, type NftDrops, nftDropRules } from "./nft-drops.ts";
export {
  DEFAULT_HOLD_CAP_MS,
  type Identify,
  type ImpairProxy,
  LOOPBACK,
  type LogEntry,
  type LogSink,
  type ProxyOptions,
  type ProxyStats,
  startProxy,
} from "./proxy.ts";
export { bundleProxy, proxyBundleText } from "./proxy-bundle.ts";
