export {
  type Fault,
  FaultError,
  type FaultOwner,
  type FaultStage,
  faultOf,
  SocklabError,
} from "./socklab-error.ts";
