// The system-call filter every student program runs under in namespace mode: a classic BPF program that
// bubblewrap loads (`--seccomp FD`) just before it starts the program. Network, pid and user namespaces do
// not cover everything a program can reach; this closes what they leave open:
//   - AF_VSOCK sockets reach the hypervisor of a virtual machine, whatever the network namespace;
//   - AF_PACKET sockets see raw frames (the namespace's own loopback only, but nothing the lab needs);
//   - ptrace, process_vm_readv/writev and pidfd_getfd reach into other processes (socklab's among them, were
//     any in the same pid namespace);
//   - io_uring can create sockets and open files without the system calls this filter sees;
//   - unshare/clone with CLONE_NEWUSER would make a new user namespace (bubblewrap's --disable-userns already
//     stops it; the filter says so with EPERM before the kernel is asked);
//   - a system call of another ABI (i386 int 0x80, x32) would bypass every rule above: refused outright.
// Each refusal is an errno, not a kill, so a program that tries sees an ordinary error and can carry on.
import { endianness } from "node:os";

/** The system-call numbers the filter names, per architecture. */
interface SyscallTable {
  /** The AUDIT_ARCH value the kernel reports in seccomp_data.arch. */
  readonly audit: number;
  readonly socket: number;
  readonly ptrace: number;
  readonly processVmReadv: number;
  readonly processVmWritev: number;
  readonly pidfdGetfd: number;
  readonly unshare: number;
  readonly clone: number;
  readonly ioUringSetup: number;
  /** Set in the number of every x32 system call (x86-64 only). */
  readonly abiBit?: number;
}

const TABLES: Readonly<Record<string, SyscallTable>> = {
  x64: {
    audit: 0xc000003e,
    socket: 41,
    ptrace: 101,
    processVmReadv: 310,
    processVmWritev: 311,
    pidfdGetfd: 438,
    unshare: 272,
    clone: 56,
    ioUringSetup: 425,
    abiBit: 0x40000000,
  },
  arm64: {
    audit: 0xc00000b7,
    socket: 198,
    ptrace: 117,
    processVmReadv: 270,
    processVmWritev: 271,
    pidfdGetfd: 438,
    unshare: 97,
    clone: 220,
    ioUringSetup: 425,
  },
};

/** Address families refused by socket(2). */
const BLOCKED_FAMILIES = { AF_PACKET: 17, AF_VSOCK: 40 } as const;

const CLONE_NEWUSER = 0x10000000;
const EPERM = 1;
const EAFNOSUPPORT = 97;

// Classic BPF opcodes (linux/filter.h) and seccomp return values (linux/seccomp.h).
const LD_W_ABS = 0x20;
const JMP_JEQ_K = 0x15;
const JMP_JGE_K = 0x35;
const JMP_JSET_K = 0x45;
const RET_K = 0x06;
const RET_ALLOW = 0x7fff0000;
const retErrno = (errno: number) => 0x00050000 | errno;

// Offsets in struct seccomp_data: nr, arch, then the arguments (the low 32 bits first, little-endian).
const NR = 0;
const ARCH = 4;
const arg = (n: number) => 16 + 8 * n;

/** One instruction, with jumps to labels resolved when the program is assembled. */
type Instruction =
  | { readonly op: "load"; readonly offset: number }
  | {
      readonly op: "jeq" | "jge" | "jset";
      readonly k: number;
      readonly to: string;
      readonly otherwise?: string;
    }
  | { readonly op: "ret"; readonly value: number }
  | { readonly op: "label"; readonly name: string };

/** The filter's instructions for one architecture. */
function program(t: SyscallTable): Instruction[] {
  const native = t.abiBit === undefined ? [] : [{ op: "jge", k: t.abiBit, to: "eperm" } as const];
  return [
    { op: "load", offset: ARCH },
    { op: "jeq", k: t.audit, to: "native", otherwise: "eperm" },
    { op: "label", name: "native" },
    { op: "load", offset: NR },
    ...native,
    { op: "jeq", k: t.socket, to: "socket" },
    { op: "jeq", k: t.unshare, to: "unshare" },
    { op: "jeq", k: t.clone, to: "unshare" },
    { op: "jeq", k: t.ptrace, to: "eperm" },
    { op: "jeq", k: t.processVmReadv, to: "eperm" },
    { op: "jeq", k: t.processVmWritev, to: "eperm" },
    { op: "jeq", k: t.pidfdGetfd, to: "eperm" },
    { op: "jeq", k: t.ioUringSetup, to: "eperm" },
    { op: "ret", value: RET_ALLOW },
    { op: "label", name: "socket" },
    { op: "load", offset: arg(0) },
    { op: "jeq", k: BLOCKED_FAMILIES.AF_VSOCK, to: "eafnosupport" },
    { op: "jeq", k: BLOCKED_FAMILIES.AF_PACKET, to: "eafnosupport" },
    { op: "ret", value: RET_ALLOW },
    // unshare(flags) and clone(flags, …) both take their flags first.
    { op: "label", name: "unshare" },
    { op: "load", offset: arg(0) },
    { op: "jset", k: CLONE_NEWUSER, to: "eperm" },
    { op: "ret", value: RET_ALLOW },
    { op: "label", name: "eafnosupport" },
    { op: "ret", value: retErrno(EAFNOSUPPORT) },
    { op: "label", name: "eperm" },
    { op: "ret", value: retErrno(EPERM) },
  ];
}

/** Encodes instructions as an array of struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; } (host order). */
export function assemble(instructions: readonly Instruction[]): Buffer {
  const code = instructions.filter((i) => i.op !== "label");
  const labels = new Map<string, number>();
  let index = 0;
  for (const i of instructions) {
    if (i.op === "label") labels.set(i.name, index);
    else index++;
  }
  const out = Buffer.alloc(code.length * 8);
  code.forEach((i, at) => {
    const offset = (label: string | undefined): number => {
      if (label === undefined) return 0;
      const target = labels.get(label);
      if (target === undefined) throw new Error(`seccomp: no label '${label}'`);
      const distance = target - at - 1;
      if (distance < 0 || distance > 255) throw new Error(`seccomp: jump to '${label}' out of range`);
      return distance;
    };
    const [op, jt, jf, k] =
      i.op === "load"
        ? [LD_W_ABS, 0, 0, i.offset]
        : i.op === "ret"
          ? [RET_K, 0, 0, i.value]
          : [
              i.op === "jeq" ? JMP_JEQ_K : i.op === "jge" ? JMP_JGE_K : JMP_JSET_K,
              offset(i.to),
              offset(i.otherwise),
              i.k,
            ];
    const write16 = endianness() === "LE" ? "writeUInt16LE" : "writeUInt16BE";
    const write32 = endianness() === "LE" ? "writeUInt32LE" : "writeUInt32BE";
    out[write16](op!, at * 8);
    out.writeUInt8(jt!, at * 8 + 2);
    out.writeUInt8(jf!, at * 8 + 3);
    out[write32](k! >>> 0, at * 8 + 4);
  });
  return out;
}

/** The compiled filter for an architecture (Node's `process.arch`), or undefined where socklab has none. */
export function seccompFilter(arch: string = process.arch): Buffer | undefined {
  const table = TABLES[arch];
  return table === undefined ? undefined : assemble(program(table));
}
