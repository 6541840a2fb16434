import { describe, expect, it } from "vitest";
import { identityKey, messageKey, parseIdentityKey } from "./datagram-identity.ts";

describe("datagram identities", () => {
  it("round-trips a numbered message and bytes through their keys", () => {
    const reading = { kind: "message", message: "reading", sequence: 5 } as const;
    expect(identityKey(reading)).toBe("reading:5");
    expect(parseIdentityKey("reading:5")).toEqual(reading);
    expect(messageKey("reply", 12n)).toBe("reply:12");
    const sha1 = "a9993e364706816aba3e25717850c26c9cd0d89d";
    expect(parseIdentityKey(sha1)).toEqual({ kind: "bytes", sha1 });
    expect(identityKey({ kind: "bytes", sha1 })).toBe(sha1);
  });

  it("reads a message name that holds a colon, and a negative number", () => {
    expect(parseIdentityKey("a:b:-1")).toEqual({ kind: "message", message: "a:b", sequence: -1 });
  });
});
