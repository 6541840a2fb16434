// pcap-parser 0.2.1 ships no types: the part of it the adapter (pcap-file.ts) uses. `state`, `errored` and
// `buffer` are its internals, touched only to stop it early.
declare module "pcap-parser" {
  interface PcapParserPacketHeader {
    timestampSeconds: number;
    timestampMicroseconds: number;
    capturedLength: number;
    originalLength: number;
  }
  interface PcapParser {
    on(event: "packetHeader", listener: (header: PcapParserPacketHeader) => void): void;
    on(event: "packet", listener: (packet: { header: PcapParserPacketHeader; data: Buffer }) => void): void;
    on(event: "error", listener: (error: Error & { code?: string }) => void): void;
    on(event: "end", listener: () => void): void;
    state: () => boolean;
    errored: boolean;
    buffer: Buffer | null;
  }
  const pcapParser: { parse(input: NodeJS.ReadableStream): PcapParser };
  export default pcapParser;
}
