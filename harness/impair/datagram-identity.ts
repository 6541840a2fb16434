// A datagram's identity on the lossy link: the numbered message it carries (a reading numbered 3 is the same
// datagram however often it is sent, whatever random values it holds), or, when it is not one, its bytes. The
// key is what fates are seeded with and what the link's log says, so it is written and read only here.

/** A numbered message of the student's protocol, or bytes that are not one (keyed on their SHA-1). */
export type DatagramIdentity =
  | { readonly kind: "message"; readonly message: string; readonly sequence: number }
  | { readonly kind: "bytes"; readonly sha1: string };

/** The identity as a key: `<message>:<sequence>` (e.g. `reading:3`), or the SHA-1 in hex. */
export function identityKey(identity: DatagramIdentity): string {
  return identity.kind === "message" ? `${identity.message}:${identity.sequence}` : identity.sha1;
}

/** A numbered message's key. */
export function messageKey(message: string, sequence: number | bigint): string {
  return `${message}:${sequence}`;
}

/** The identity a key names (a key without `:<number>` at its end is bytes). */
export function parseIdentityKey(key: string): DatagramIdentity {
  const found = /^(.*):(-?\d+)$/.exec(key);
  return found
    ? { kind: "message", message: found[1]!, sequence: Number(found[2]) }
    : { kind: "bytes", sha1: key };
}
