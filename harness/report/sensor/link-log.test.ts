import { describe, expect, it } from "vitest";
import { LOSSY_LOG } from "../../../test/support/sensor-fixtures.ts";
import type { LogEntry } from "../../impair/index.ts";
import { identitySeq, linkDatagrams } from "./link-log.ts";

describe("linkDatagrams", () => {
  it("accepts the proxy's own log entries", () => {
    const entries: LogEntry[] = [];
    expect(linkDatagrams(entries)).toEqual([]);
  });

  it("orders by arrival and marks repeats and losses", () => {
    const found = linkDatagrams(LOSSY_LOG).map(
      (d) => `${d.entry.dir}${d.entry.k}:${d.seq}:${d.repeat}:${d.lost}`,
    );
    expect(found).toEqual([
      "c2s1:1:false:false",
      "c2s2:2:false:true",
      "c2s3:2:true:false",
      "c2s4:2:true:false",
      "c2s5:3:false:false",
      "c2s6:3:true:false",
      "c2s7:null:false:false",
      "c2s8:4:false:true",
      "s2c1:1:false:false",
      "s2c2:2:false:true",
      "s2c3:2:true:false",
      "s2c4:2:true:false",
    ]);
  });

  it("reads the sequence number at the end of an identity", () => {
    expect(identitySeq("reading:5")).toBe(5);
    expect(identitySeq("reply:12")).toBe(12);
    expect(identitySeq("hello")).toBeNull();
    expect(identitySeq("da39a3ee5e6b4b0d3255bfef95601890afd80709")).toBeNull();
    expect(identitySeq("reading:5x")).toBeNull();
  });
});
