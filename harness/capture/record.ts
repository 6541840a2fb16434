// One record of a capture file and the file's header, as the decoders receive them.

/** The global header of a capture file, after any conversion to classic microsecond pcap. */
export interface CaptureHeader {
  /** The path the user named. */
  readonly file: string;
  /** The format the user's file was in before conversion. */
  readonly format: "pcap" | "pcap-ns" | "pcapng";
  /** The link type, masked with 0xFFFF (the upper bits carry FCS flags). */
  readonly linkType: number;
  readonly snapLength: number;
}

/** One packet record. Frame numbers start at 1, as in Wireshark and tshark. */
export interface CaptureRecord {
  readonly number: number;
  /** Microseconds since the Unix epoch (whole, exact in a double). */
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
  /** Byte offset of this record's 16-byte header in the classic pcap that was read. */
  readonly fileOffset: number;
}
