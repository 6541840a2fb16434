import { describe, expect, it } from "vitest";
import { assemble, seccompFilter } from "./seccomp.ts";

/** The instructions of a compiled filter, decoded back (host byte order). */
function decode(filter: Buffer): { code: number; jt: number; jf: number; k: number }[] {
  return Array.from({ length: filter.length / 8 }, (_, i) => ({
    code: filter.readUInt16LE(i * 8),
    jt: filter.readUInt8(i * 8 + 2),
    jf: filter.readUInt8(i * 8 + 3),
    k: filter.readUInt32LE(i * 8 + 4),
  }));
}

/** Runs a decoded filter on one system call, as the kernel's classic BPF interpreter would. */
function evaluate(filter: Buffer, data: { arch: number; nr: number; args?: number[] }): number {
  const program = decode(filter);
  const word = (offset: number) =>
    offset === 0 ? data.nr : offset === 4 ? data.arch : (data.args?.[(offset - 16) / 8] ?? 0);
  let a = 0;
  for (let pc = 0; pc < program.length; pc++) {
    const { code, jt, jf, k } = program[pc]!;
    if (code === 0x20) a = word(k);
    else if (code === 0x06) return k;
    else {
      const taken = code === 0x15 ? a === k : code === 0x35 ? a >>> 0 >= k : (a & k) !== 0;
      pc += taken ? jt : jf;
    }
  }
  throw new Error("fell off the end");
}

const ALLOW = 0x7fff0000;
const EPERM = 0x50001;
const EAFNOSUPPORT = 0x50061;
const X64 = 0xc000003e;
const ARM64 = 0xc00000b7;

describe("seccompFilter", () => {
  const x64 = seccompFilter("x64")!;
  const arm64 = seccompFilter("arm64")!;

  it("has a filter for x86-64 and arm64 only", () => {
    expect(seccompFilter("ia32")).toBeUndefined();
    expect(x64.length % 8).toBe(0);
    expect(arm64.length % 8).toBe(0);
  });

  it.each([
    ["socket(AF_INET)", { nr: 41, args: [2] }, ALLOW],
    ["socket(AF_UNIX)", { nr: 41, args: [1] }, ALLOW],
    ["socket(AF_INET6)", { nr: 41, args: [10] }, ALLOW],
    ["socket(AF_VSOCK)", { nr: 41, args: [40] }, EAFNOSUPPORT],
    ["socket(AF_PACKET)", { nr: 41, args: [17] }, EAFNOSUPPORT],
    ["ptrace", { nr: 101 }, EPERM],
    ["process_vm_readv", { nr: 310 }, EPERM],
    ["process_vm_writev", { nr: 311 }, EPERM],
    ["pidfd_getfd", { nr: 438 }, EPERM],
    ["io_uring_setup", { nr: 425 }, EPERM],
    ["unshare(CLONE_NEWUSER)", { nr: 272, args: [0x10000000] }, EPERM],
    ["unshare(CLONE_NEWNS)", { nr: 272, args: [0x20000] }, ALLOW],
    ["clone(threads)", { nr: 56, args: [0x3d0f00] }, ALLOW],
    ["clone(CLONE_NEWUSER)", { nr: 56, args: [0x10000011] }, EPERM],
    ["read", { nr: 0 }, ALLOW],
    ["x32 read", { nr: 0x40000000 }, EPERM],
  ])("x86-64 %s", (_, call, expected) => {
    expect(evaluate(x64, { arch: X64, ...call })).toBe(expected);
  });

  it("refuses every call of another ABI", () => {
    expect(evaluate(x64, { arch: 0x40000003, nr: 3 })).toBe(EPERM); // i386 read
    expect(evaluate(x64, { arch: ARM64, nr: 63 })).toBe(EPERM);
  });

  it.each([
    ["socket(AF_VSOCK)", { nr: 198, args: [40] }, EAFNOSUPPORT],
    ["socket(AF_INET)", { nr: 198, args: [2] }, ALLOW],
    ["ptrace", { nr: 117 }, EPERM],
    ["process_vm_readv", { nr: 270 }, EPERM],
    ["pidfd_getfd", { nr: 438 }, EPERM],
    ["clone(CLONE_NEWUSER)", { nr: 220, args: [0x10000000] }, EPERM],
    ["read", { nr: 63 }, ALLOW],
  ])("arm64 %s", (_, call, expected) => {
    expect(evaluate(arm64, { arch: ARM64, ...call })).toBe(expected);
  });

  it("refuses a jump to a label it does not have", () => {
    expect(() => assemble([{ op: "jeq", k: 1, to: "nowhere" }])).toThrow(/no label 'nowhere'/);
  });
});
