export * from "./capture-error.ts";
export * from "./pcap-file.ts";
export * from "./pcap-header.ts";
export * from "./pcap-trim.ts";
export * from "./pcap-writer.ts";
export * from "./record.ts";
export * from "./tcpdump-stats.ts";
