export { buildTcp, buildUdp, type TcpSpec, toRecord } from "./build.ts";
export { buildFragments, type FragmentPiece, fragmentPieces } from "./build-fragments.ts";
export { readU16 } from "./bytes.ts";
export { finishChecksum, sumWords } from "./checksum.ts";
export { formatTcpFlags } from "./format.ts";
export {
  createIpReassembler,
  DEFAULT_MAX_HELD_BYTES,
  type FragmentFrame,
  fragmentsOf,
  type IpReassembler,
  type IpReassemblerOptions,
  isIpFragment,
  ReassembledPacket,
} from "./ip-reassembly.ts";
export { Ipv4View } from "./ipv4.ts";
export { Ipv6View } from "./ipv6.ts";
export { linkTypeName } from "./link.ts";
export { decodePacket } from "./packet.ts";
export type {
  DecodedPacket,
  Ipv4Layer,
  Ipv6Layer,
  LinkTypeName,
  TcpLayer,
  TcpOptions,
  UdpLayer,
} from "./packet-types.ts";
export { seqAdd, seqDiff, seqGt, seqLe, seqLt, seqUnwrap } from "./seq.ts";
export { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from "./tcp.ts";
