// Datagram identities from the student's protocol: a reading numbered 3 is `reading:3` whatever random values
// it carries and however often it is retransmitted, so its fate is the same in every run with the same seed.

import { decodeMessage } from "../protocol/protocol-decode.ts";
import { checkProtocol } from "../protocol/protocol-descriptor.ts";
import { messageKey } from "./datagram-identity.ts";
import { ImpairError } from "./impair-error.ts";
import type { LinkConfig } from "./link-config.ts";
import type { Identify } from "./proxy.ts";

/** `<message>:<sequence>` for payloads that decode to a numbered message; null (key on SHA-1) for the rest. */
export function protocolIdentify(identify: NonNullable<LinkConfig["identify"]>): Identify {
  const checked = checkProtocol({ protocol: identify });
  if (!checked.ok) {
    const problems = checked.problems.map((p) => `${p.path}: ${p.message}`).join("; ");
    throw new ImpairError("bad-option", `impair: identify protocol: ${problems}`);
  }
  const protocol = checked.protocol;
  return (direction, payload) => {
    const result = decodeMessage(protocol, direction === "c2s" ? "client" : "server", payload);
    if (!result.ok || result.decoded.sequence === undefined) return null;
    return messageKey(result.decoded.message.name, result.decoded.sequence);
  };
}
