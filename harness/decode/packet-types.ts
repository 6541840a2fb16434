// The shape of a decoded packet: what the analysis stage may rely on. Each layer file implements its part
// as a typed view over the packet's bytes.

/**
 * A problem met while decoding: data, never an exception. The same shape describes where the snap length
 * cut a packet (`DecodedPacket.cut`, code "truncated-by-snaplen"), which is a fact of the capture.
 */
export interface DecodeProblem {
  readonly layer: "link" | "ipv4" | "ipv6" | "tcp" | "udp";
  /**
   * A stable machine code, e.g. "truncated" (the frame itself is too short), "bad-version",
   * "bad-header-length", "unknown-link-type", "truncated-by-snaplen" (only in `DecodedPacket.cut`).
   */
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
  /** The options captured whole (all of them unless the snap length cut the header). */
  readonly options: TcpOptions;
  /**
   * Header bytes captured: `headerLength`, or fewer (at least 16, up to the window) when the snap length
   * cut the header. Fields past it (checksum, urgent pointer) read as 0.
   */
  readonly capturedHeaderLength: number;
  /**
   * Whether the whole header, options included, was captured. When not, `options` holds only the options
   * captured whole, and (as in tshark) a SYN's window scaling stays unknown rather than "not used".
   */
  readonly optionsCaptured: boolean;
}

/** UDP, or UDP-Lite (RFC 3828, IP protocol 136), which has UDP's ports and is numbered with it by tshark. */
export interface UdpLayer {
  readonly protocol: "udp";
  /** Whether this is UDP-Lite. */
  readonly lite: boolean;
  readonly srcPort: number;
  readonly dstPort: number;
  /**
   * The datagram's length, header included: UDP's length field; for UDP-Lite, whose length field is the
   * checksum coverage, the length the IP header gives (as tshark's `udp.length`).
   */
  readonly length: number;
  /** UDP-Lite's checksum coverage field (0 = the whole datagram); for UDP, `length`. */
  readonly checksumCoverage: number;
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
  /** Faults of the packet itself (malformed headers, lengths that disagree). */
  readonly problems: readonly DecodeProblem[];
  /**
   * Where the snap length cut the packet inside its headers (code "truncated-by-snaplen"): a fact of the
   * capture, not a fault. Every layer before the cut is kept; lengths still come from the IP header.
   * Undefined when the headers were captured whole (only payload bytes, if any, are missing).
   */
  readonly cut?: DecodeProblem | undefined;
  /** tcpdump notation, e.g. `127.0.0.1.41234 > 127.0.0.1.65432: Flags [S.], seq 0, ack 1, win 65483, length 0`. */
  toString(): string;
}
