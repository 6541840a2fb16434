export { readCapture } from "./pcap-file.ts";
export { trimPartialRecord } from "./pcap-trim.ts";
export { type PcapPacket, writePcap } from "./pcap-writer.ts";
export { type CaptureHeader, NOT_A_PACKET } from "./record.ts";
export {
  type CaptureFinding,
  type OfferedTraffic,
  offeredPastBudget,
  parseTcpdumpStats,
  verifyCapture,
} from "./tcpdump-stats.ts";
