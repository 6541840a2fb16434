import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { readCapture } from "../capture/pcap-file.ts";
import { buildTcp, buildUdp, toRecord } from "./build.ts";
import { formatParsedTcpOptions, formatTcpFlags } from "./format.ts";
import { decodePacket } from "./packet.ts";

const V4 = { src: "127.0.0.1", dst: "127.0.0.1", sport: 41234, dport: 65432 };
const line = (bytes: Uint8Array) => decodePacket(toRecord(bytes, 1, 0), 1).toString();

describe("tcpdump notation", () => {
  test.each([
    {
      name: "Linux SYN-ACK",
      bytes: buildTcp({
        ...V4,
        seq: 123,
        ack: 456,
        flags: "S.",
        window: 65483,
        options: { mss: 65495, sackPermitted: true, timestamp: [1, 0], windowScale: 7 },
      }),
      text: "127.0.0.1.41234 > 127.0.0.1.65432: Flags [S.], seq 123, ack 456, win 65483, options [mss 65495,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0",
    },
    {
      name: "data: seq start:end, wrapping",
      bytes: buildTcp({ ...V4, seq: 0xfffffffe, ack: 1, flags: "P.", window: 512, payload: "hello" }),
      text: "127.0.0.1.41234 > 127.0.0.1.65432: Flags [P.], seq 4294967294:3, ack 1, win 512, length 5",
    },
    {
      name: "a pure ACK has no seq",
      bytes: buildTcp({ ...V4, seq: 9, ack: 1, flags: ".", window: 512 }),
      text: "127.0.0.1.41234 > 127.0.0.1.65432: Flags [.], ack 1, win 512, length 0",
    },
    {
      name: "no flags, urgent pointer",
      bytes: buildTcp({ ...V4, seq: 9, flags: "", window: 1 }),
      text: "127.0.0.1.41234 > 127.0.0.1.65432: Flags [none], win 1, length 0",
    },
    {
      name: "URG",
      bytes: buildTcp({ ...V4, seq: 9, ack: 2, flags: "U.", window: 1, urgentPointer: 3, payload: "abc" }),
      text: "127.0.0.1.41234 > 127.0.0.1.65432: Flags [.U], seq 9:12, ack 2, win 1, urg 3, length 3",
    },
    {
      name: "RST has a seq",
      bytes: buildTcp({ ...V4, seq: 9, flags: "R", window: 0 }),
      text: "127.0.0.1.41234 > 127.0.0.1.65432: Flags [R], seq 9, win 0, length 0",
    },
    {
      name: "SACK blocks, an unknown option, EOL",
      bytes: buildTcp({
        ...V4,
        seq: 1,
        ack: 2,
        flags: ".",
        window: 3,
        rawOptions: Uint8Array.of(1, 1, 5, 10, 0, 0, 0, 5, 0, 0, 0, 9, 0xfe, 3, 0xab, 0),
      }),
      text: "127.0.0.1.41234 > 127.0.0.1.65432: Flags [.], ack 2, win 3, options [nop,nop,sack 1 {5:9},unknown-254 0xab,eol], length 0",
    },
    {
      name: "a malformed option",
      bytes: buildTcp({
        ...V4,
        seq: 1,
        ack: 2,
        flags: ".",
        window: 3,
        rawOptions: Uint8Array.of(1, 2, 9, 0),
      }),
      text: "127.0.0.1.41234 > 127.0.0.1.65432: Flags [.], ack 2, win 3, options [nop,[bad opt]], length 0 [|tcp malformed-option]",
    },
    {
      name: "UDP over IPv6",
      bytes: buildUdp({ src: "::1", dst: "2001:db8::1", sport: 5005, dport: 40000, payload: "message 0" }),
      text: "::1.5005 > 2001:db8::1.40000: UDP, length 9",
    },
  ])("$name", ({ bytes, text }) => {
    expect(line(bytes)).toBe(text);
  });

  test.each([
    [0x00, "none"],
    [0x02, "S"],
    [0x12, "S."],
    [0x11, "F."],
    [0x18, "P."],
    [0x14, "R."],
    [0xc2, "SEW"],
  ])("flags 0x%s print as %s", (flags, text) => {
    expect(formatTcpFlags(flags)).toBe(text);
  });
});

test("options from their parsed form print the same as from the bytes", () => {
  const options = { mss: 65495, windowScale: 7, sackPermitted: true, timestamp: [1, 0] as [number, number] };
  const bytes = buildTcp({ ...V4, seq: 1, flags: "S", options: { ...options, sack: [[5, 9]] } });
  const p = decodePacket(toRecord(bytes, 1, 0), 1);
  if (p.transport?.protocol !== "tcp") throw new Error("no TCP");
  expect(formatParsedTcpOptions(p.transport.options)).toBe(
    "mss 65495,sackOK,TS val 1 ecr 0,nop,wscale 7,nop,nop,sack 1 {5:9}",
  );
  expect(p.toString()).toContain(
    "options [mss 65495,sackOK,TS val 1 ecr 0,nop,wscale 7,nop,nop,sack 1 {5:9}]",
  );
});

function hasTcpdump(): boolean {
  try {
    execFileSync("tcpdump", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

// tcpdump -n -S -t prints the same lines after its "IP "/"IP6 " prefix (and SLL2's interface columns);
// ICMP is the exception: tcpdump describes the message, socklab prints only the protocol and length; and
// so is UDP-Lite, which tcpdump does not decode (`ip-proto-136 17`).
describe.skipIf(!hasTcpdump())("the same lines as tcpdump -n -S on every fixture capture", () => {
  const dir = join(import.meta.dirname, "../../fixtures/captures");
  const files = readdirSync(dir).filter((f) => /\.pcap(ng)?$/.test(f));
  test.each(files)("%s", async (name) => {
    const file = join(dir, name);
    const theirs = execFileSync("tcpdump", ["-n", "-S", "-t", "-r", file], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    })
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => l.replace(/^(?:lo\s+(?:In|Out)\s+)?IP6? /, ""));
    const ours: string[] = [];
    await readCapture(file, (record, header) => {
      ours.push(decodePacket(record, header.linkType).toString());
    });
    expect(ours.length).toBe(theirs.length);
    const differ = ours
      .map((text, i) => [text, theirs[i]!] as const)
      .filter(([a, b]) => a !== b && !/: ICMP6?,/.test(a) && !/ ip-proto-136 /.test(b));
    expect(differ).toEqual([]);
  });
});
