// The shape of a decoded packet: what the analysis stage may rely on. Each layer file implements its part
// as a typed view over the packet's bytes.

/** A problem met while decoding: data, never an exception. */
export interface DecodeProblem {
  readonly layer: "link" | "ipv4" | "ipv6" | "tcp" | "udp";
  /** A stable machine code, e.g. "truncated", "bad-version", "bad-header-length", "unknown-link-type". */
  readonly code: string;
  /** Byte offset inside the packet (from the start of the link header) where the problem is. */
  readonly offset: number;
  /** Bytes (or value) the layer needed, and what it found. */
  readonly required: number;
  readonly actual: number;
  /** One sentence for people. */
  readonly message: string;
}

export type LinkTypeName = "ethernet" | "null" | "loop" | "linux-sll" | "linux-sll2" | "raw" | "unknown";

export interface LinkLayer {
  readonly type: LinkTypeName;
  /** The pcap LINKTYPE_ number (masked with 0xFFFF). */
  readonly code: number;
  readonly headerLength: number;
}

export interface Ipv4Layer {
  readonly version: 4;
  readonly src: string;
  readonly dst: string;
  /** IHL × 4, options included. */
  readonly headerLength: number;
  readonly totalLength: number;
  readonly ttl: number;
  readonly protocol: number;
  readonly identification: number;
  readonly dontFragment: boolean;
  readonly moreFragments: boolean;
  readonly fragmentOffset: number;
}

export interface Ipv6Layer {
  readonly version: 6;
  readonly src: string;
  readonly dst: string;
  /** 40 plus every extension header skipped. */
  readonly headerLength: number;
  /** The IPv6 payload length field (extension headers included). */
  readonly payloadLength: number;
  readonly hopLimit: number;
  /** The upper-layer protocol after the extension headers. */
  readonly protocol: number;
  readonly flowLabel: number;
}

export interface TcpOptions {
  readonly mss?: number;
  readonly windowScale?: number;
  readonly sackPermitted: boolean;
  /** SACK blocks as [left, right) absolute sequence numbers. */
  readonly sack: ReadonlyArray<readonly [number, number]>;
  readonly timestamp?: { readonly value: number; readonly echo: number };
  /** Option kinds in the order they appear (NOP = 1 included, EOL = 0 excluded). */
  readonly kinds: readonly number[];
}

export interface TcpLayer {
  readonly protocol: "tcp";
  readonly srcPort: number;
  readonly dstPort: number;
  /** Raw (absolute) sequence and acknowledgement numbers, unsigned 32-bit. */
  readonly seq: number;
  readonly ack: number;
  /** Data offset × 4. */
  readonly headerLength: number;
  /** The 9 flag bits (NS..FIN) as a number: FIN=0x01 SYN=0x02 RST=0x04 PSH=0x08 ACK=0x10 URG=0x20 ECE=0x40 CWR=0x80 NS=0x100. */
  readonly flags: number;
  readonly fin: boolean;
  readonly syn: boolean;
  readonly rst: boolean;
  readonly psh: boolean;
  readonly ackFlag: boolean;
  readonly urg: boolean;
  /** The raw window field (not scaled). */
  readonly window: number;
  readonly checksum: number;
  readonly urgentPointer: number;
  readonly options: TcpOptions;
}

export interface UdpLayer {
  readonly protocol: "udp";
  readonly srcPort: number;
  readonly dstPort: number;
  /** The UDP length field (header included). */
  readonly length: number;
  readonly checksum: number;
}

export interface DecodedPacket {
  /** Frame number, from 1. */
  readonly number: number;
  /** Whole microseconds since the Unix epoch. */
  readonly timeUs: number;
  /** Nanoseconds past `timeUs`, 0–999 (0 for microsecond captures). */
  readonly nanos: number;
  /** Bytes on the wire (orig_len). */
  readonly frameLength: number;
  readonly capturedLength: number;
  readonly link: LinkLayer;
  readonly network?: Ipv4Layer | Ipv6Layer;
  readonly transport?: TcpLayer | UdpLayer;
  /** Application payload length, computed from the IP and transport length fields, not the captured length. */
  readonly payloadLength: number;
  /** The captured payload bytes (shorter than payloadLength when the capture was cut by the snap length). */
  readonly payload: Uint8Array;
  readonly problems: readonly DecodeProblem[];
  /** tcpdump notation, e.g. `127.0.0.1.41234 > 127.0.0.1.65432: Flags [S.], seq 0, ack 1, win 65483, length 0`. */
  toString(): string;
}
