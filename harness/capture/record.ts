// One record of a capture file and the file's header, as the decoders receive them.

/** The global header of a capture file; for pcapng, the first interface's link type and snap length. */
export interface CaptureHeader {
  /** The path the user named. */
  readonly file: string;
  /** The file's format. */
  readonly format: "pcap" | "pcap-ns" | "pcapng";
  /** The link type, masked with 0xFFFF (the upper bits carry FCS flags). */
  readonly linkType: number;
  readonly snapLength: number;
}

/**
 * A record's `linkType` when it holds no packet: a pcapng block tshark counts as a frame (a custom block, a
 * systemd journal entry, a sysdig event), delivered so that frame numbers stay tshark's. No link type has
 * this number (0xFFFF is reserved), and socklab refuses interfaces of link types it cannot decode.
 */
export const NOT_A_PACKET = 0xffff;

/**
 * One record: a packet, or a pcapng block tshark numbers as a frame (`linkType` NOT_A_PACKET). Frame numbers
 * start at 1, as in Wireshark and tshark.
 */
export interface CaptureRecord {
  readonly number: number;
  /**
   * Microseconds since the Unix epoch (whole, exact in a double). A pcapng record without a timestamp (a
   * Simple Packet Block, a custom block) has the time of the record before it (0 for the first).
   */
  readonly timeUs: number;
  /** Nanoseconds past `timeUs`, 0–999, for captures with nanosecond timestamps (absent: 0). */
  readonly nanos?: number;
  /**
   * This record's link type (masked with 0xFFFF) when it is not the file header's: a pcapng file may hold
   * interfaces of several link types. Absent: the header's.
   */
  readonly linkType?: number;
  /** Bytes stored in the file (incl_len). */
  readonly capturedLength: number;
  /** Bytes the packet had on the wire (orig_len). */
  readonly originalLength: number;
  /** The stored bytes. A view into a shared buffer: copy it to keep it beyond the callback. */
  readonly data: Uint8Array;
  /** Byte offset in the user's file of this record's 16-byte header (classic pcap) or of its block (pcapng). */
  readonly fileOffset: number;
}
