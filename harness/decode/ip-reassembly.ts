// IPv4 and IPv6 fragment reassembly as Wireshark does it with its defaults (ip.defragment and
// ipv6.defragment on; epan/reassemble.c `fragment_add_check`), so that socklab shows the datagram on the frame
// tshark shows it on.
//
// - A fragment is a packet with more-fragments set or a non-zero offset. It is reassembled only when all of
//   its data was captured and its length fields are sane; otherwise it passes through as decoded (an IPv4
//   first fragment then shows its transport header, a later one shows nothing; IPv6 fragments show nothing).
// - Fragments are keyed by (source, destination, identification XOR protocol) for IPv4 (Wireshark XORs the
//   protocol into the identification, so protocols whose numbers differ by the same bits collide, and the
//   first VLAN id too when an address is private or link-local), and by (source, destination,
//   identification) for IPv6.
// - Fragments are kept sorted by offset (a later one with an equal offset goes after the earlier ones). The
//   first fragment without more-fragments fixes the datagram's length; later tails that disagree do not
//   change it. The datagram is complete when the fragments cover [0, length) without a hole; it is shown on
//   the frame that completed it, which is the last one to arrive, not the last by offset.
// - The datagram's bytes are written in list order and a byte already written is never overwritten: the
//   first fragment in offset order wins an overlap. Bytes past the length are left out.
// - A completed datagram is forgotten at once: a fragment arriving after it (a duplicate, as `tcpdump -i any`
//   records every packet twice when it crosses a bridge) starts a new reassembly, which usually never
//   completes, and which a later datagram reusing the identification may complete with the old bytes.
//
// Wireshark never gives up on a reassembly. socklab holds at most `maxHeldBytes` of fragment data: past it,
// the reassemblies started longest ago are dropped whole and their fragments are reported through
// `onDropped`, as are the fragments still held at `flush()`.

import { Ipv4View } from "./ipv4.ts";
import { Ipv6View } from "./ipv6.ts";
import { decodeLink } from "./link.ts";
import { Packet } from "./packet.ts";
import type { DecodedPacket } from "./packet-types.ts";
import { problem } from "./problem.ts";
import { TcpView } from "./tcp.ts";
import { UdpView } from "./udp.ts";

/** Default cap on fragment data held while waiting for the rest of a datagram. */
export const DEFAULT_MAX_HELD_BYTES = 64 * 1024 * 1024;

/** One frame that carried a fragment, as it decoded on its own (for overhead and listings). */
export interface FragmentFrame {
  readonly number: number;
  readonly timeUs: number;
  readonly frameLength: number;
  readonly linkHeaderLength: number;
  /** The IP header, with IPv6 extension headers, as decoded on its own. */
  readonly networkHeaderLength: number;
  /** The transport header this frame carried on its own (a first fragment's), else 0. */
  readonly transportHeaderLength: number;
  /** Bytes after those headers by the length fields. */
  readonly payloadLength: number;
}

/** A datagram rebuilt from its fragments, shown on the frame that completed it. */
export class ReassembledPacket extends Packet {
  constructor(
    /** The frame that completed the datagram: its number, times and lengths are the packet's. */
    completing: Packet,
    /** The completing frame's headers followed by the datagram, and the layers decoded from them. */
    decoded: Pick<
      Packet,
      "data" | "link" | "network" | "transport" | "payloadLength" | "payloadOffset" | "problems"
    >,
    /** Every frame whose fragment went into the datagram, in Wireshark's order (by offset, then arrival). */
    readonly fragments: readonly FragmentFrame[],
    /** The datagram's length (the IP payload after the fragment header), as tshark's `ip.reassembled.length`. */
    readonly reassembledLength: number,
  ) {
    super(
      completing.number,
      completing.timeUs,
      completing.nanos,
      completing.frameLength,
      completing.capturedLength,
      decoded.data,
      decoded.link,
      decoded.network,
      decoded.transport,
      decoded.payloadLength,
      decoded.payloadOffset,
      decoded.problems,
      undefined,
    );
  }
}

/** The fragment frames of a reassembled datagram, or undefined for any other packet. */
export function fragmentsOf(packet: DecodedPacket): readonly FragmentFrame[] | undefined {
  return packet instanceof ReassembledPacket ? packet.fragments : undefined;
}

/** Whether a packet is an IPv4 or IPv6 fragment (more-fragments set or a non-zero offset). */
export function isIpFragment(packet: DecodedPacket): boolean {
  const network = packet.network;
  return (network instanceof Ipv4View || network instanceof Ipv6View) && network.isFragment;
}

export interface IpReassemblerOptions {
  /** Fragment data held at most (default 64 MiB); past it the oldest reassemblies are dropped. */
  readonly maxHeldBytes?: number;
  /** Told of every fragment frame that will never be part of a datagram: dropped by the cap or flushed. */
  readonly onDropped?: (frame: FragmentFrame, why: "cap" | "incomplete") => void;
}

export interface IpReassembler {
  /**
   * Feeds one packet in capture order. Returns the packet itself when it is no fragment or cannot be
   * reassembled, a ReassembledPacket when it completes a datagram, and undefined when it is held. The
   * packet's bytes are read during the call only.
   */
  add(packet: DecodedPacket): DecodedPacket | undefined;
  /** Ends the capture: every fragment still held is reported as incomplete and forgotten. */
  flush(): void;
  /** Fragment data bytes held now. */
  readonly heldBytes: number;
  /** Reassemblies in progress now. */
  readonly pending: number;
}

interface Piece {
  readonly offset: number;
  readonly bytes: Uint8Array;
  readonly frame: FragmentFrame;
}

interface Reassembly {
  /** Sorted by offset; equal offsets in arrival order. */
  readonly pieces: Piece[];
  /** The datagram's length, set by the first fragment without more-fragments; -1 until then. */
  length: number;
  held: number;
}

/** A new reassembler. */
export function createIpReassembler(options: IpReassemblerOptions = {}): IpReassembler {
  const cap = options.maxHeldBytes ?? DEFAULT_MAX_HELD_BYTES;
  const onDropped = options.onDropped;
  // Insertion order is the order reassemblies started: the first entries are the ones to drop.
  const table = new Map<string, Reassembly>();
  const state = { held: 0 };

  function drop(key: string, reassembly: Reassembly, why: "cap" | "incomplete"): void {
    table.delete(key);
    state.held -= reassembly.held;
    if (onDropped !== undefined) for (const piece of reassembly.pieces) onDropped(piece.frame, why);
  }

  function add(packet: DecodedPacket): DecodedPacket | undefined {
    const network = packet.network;
    let key: string;
    let dataAt: number;
    let dataLength: number;
    let offset: number;
    let more: boolean;
    if (network instanceof Ipv4View) {
      if (!network.isFragment) return packet;
      dataLength = network.totalLength - network.headerLength;
      dataAt = network.offset + network.headerLength;
      const src = network.srcNumber;
      const dst = network.dstNumber;
      let id = network.identification ^ network.protocol;
      // Wireshark also XORs in the VLAN id when either address is private or link-local.
      const vlan = packet instanceof Packet ? packet.link.vlan : undefined;
      if (vlan !== undefined && (isLocal(src) || isLocal(dst))) id ^= vlan;
      key = `4 ${src} ${dst} ${id}`;
      offset = network.fragmentOffset;
      more = network.moreFragments;
    } else if (network instanceof Ipv6View) {
      if (!network.isFragment) return packet;
      dataLength = network.fragmentDataLength;
      dataAt = network.fragmentHeaderAt + 8;
      key = `6 ${network.src} ${network.dst} ${network.fragmentIdentification}`;
      offset = network.fragmentOffset;
      more = network.moreFragments;
    } else {
      return packet;
    }
    if (!(packet instanceof Packet)) return packet;
    const data = packet.data;
    // Wireshark reassembles only a fragment whose data was all captured. Otherwise IPv4 decodes a first
    // fragment's transport header as if it were the datagram; IPv6 shows every such fragment as data.
    if (dataLength <= 0 || dataAt + dataLength > data.length) {
      return network instanceof Ipv6View && packet.transport !== undefined
        ? withoutTransport(packet, dataAt, dataLength)
        : packet;
    }

    let reassembly = table.get(key);
    if (state.held + dataLength > cap) {
      for (const [oldKey, old] of table) {
        if (state.held + dataLength <= cap) break;
        drop(oldKey, old, "cap");
      }
      reassembly = table.get(key);
    }
    if (reassembly === undefined) {
      reassembly = { pieces: [], length: -1, held: 0 };
      table.set(key, reassembly);
    }
    const piece: Piece = {
      offset,
      // A copy: the packet's data is a view into a read buffer that is read into again after this packet
      // (and a Buffer's slice() would be such a view too).
      bytes: new Uint8Array(data.subarray(dataAt, dataAt + dataLength)),
      frame: {
        number: packet.number,
        timeUs: packet.timeUs,
        frameLength: packet.frameLength,
        linkHeaderLength: packet.link.headerLength,
        networkHeaderLength: network.headerLength,
        transportHeaderLength: transportHeaderLength(packet),
        payloadLength: packet.payloadLength,
      },
    };
    insert(reassembly.pieces, piece);
    reassembly.held += dataLength;
    state.held += dataLength;
    if (!more && reassembly.length < 0) reassembly.length = offset + dataLength;
    if (reassembly.length < 0 || contiguous(reassembly.pieces) < reassembly.length) return undefined;

    table.delete(key);
    state.held -= reassembly.held;
    return rebuild(packet, dataAt, reassembly);
  }

  function flush(): void {
    for (const [key, reassembly] of table) drop(key, reassembly, "incomplete");
  }

  return {
    add,
    flush,
    get heldBytes() {
      return state.held;
    },
    get pending() {
      return table.size;
    },
  };
}

// 10/8, 172.16/12, 192.168/16 (RFC 1918) and 169.254/16 (link-local), as Wireshark's in4_addr_is_private
// and in4_addr_is_link_local.
function isLocal(address: number): boolean {
  return (
    address >>> 24 === 10 ||
    address >>> 20 === 0xac1 ||
    address >>> 16 === 0xc0a8 ||
    address >>> 16 === 0xa9fe
  );
}

// The packet as a fragment that shows no transport layer: its payload is the fragment's data.
function withoutTransport(packet: Packet, dataAt: number, dataLength: number): Packet {
  return new Packet(
    packet.number,
    packet.timeUs,
    packet.nanos,
    packet.frameLength,
    packet.capturedLength,
    packet.data,
    packet.link,
    packet.network,
    undefined,
    Math.max(0, dataLength),
    dataAt,
    packet.problems.filter((p) => p.layer !== "tcp" && p.layer !== "udp"),
    packet.cut,
  );
}

function transportHeaderLength(packet: DecodedPacket): number {
  const transport = packet.transport;
  if (transport === undefined) return 0;
  return transport.protocol === "tcp" ? transport.headerLength : 8;
}

// Inserts after every piece with an offset not greater than its own (Wireshark's LINK_FRAG).
function insert(pieces: Piece[], piece: Piece): void {
  let at = pieces.length;
  while (at > 0 && pieces[at - 1]!.offset > piece.offset) at--;
  pieces.splice(at, 0, piece);
}

// How far the pieces cover the datagram from byte 0 without a hole.
function contiguous(pieces: readonly Piece[]): number {
  let max = 0;
  for (const piece of pieces) {
    const end = piece.offset + piece.bytes.length;
    if (piece.offset <= max && end > max) max = end;
  }
  return max;
}

// The completing frame's headers (link, IP, and for IPv6 everything up to the end of the Fragment header)
// followed by the datagram, decoded from the IP header on as one packet.
function rebuild(last: Packet, dataAt: number, reassembly: Reassembly): ReassembledPacket {
  const length = reassembly.length;
  const bytes = new Uint8Array(dataAt + length);
  bytes.set(last.data.subarray(0, dataAt));
  let written = 0;
  for (const piece of reassembly.pieces) {
    if (piece.offset >= length) continue;
    const end = Math.min(piece.offset + piece.bytes.length, length);
    if (end > written) {
      bytes.set(piece.bytes.subarray(written - piece.offset, end - piece.offset), dataAt + written);
      written = end;
    }
  }
  const link = decodeLink(bytes, last.link.code);
  const ip = last.network as Ipv4View | Ipv6View;
  const network =
    ip instanceof Ipv4View ? Ipv4View.decode(bytes, ip.offset) : Ipv6View.decode(bytes, ip.offset);
  const problems = [...last.problems];
  let transport: TcpView | UdpView | undefined;
  let payloadOffset = dataAt;
  let payloadLength = length;
  // The views decoded on the frame before; they cannot fail on the same header bytes.
  const view = network as Ipv4View | Ipv6View;
  const segment = view.offset + view.headerLength;
  const upper = bytes.length - segment;
  const chainBroken = view instanceof Ipv6View && view.problem !== undefined;
  if (!chainBroken && upper >= 0) {
    payloadOffset = segment;
    payloadLength = upper;
    if (view.protocol === 6) {
      const tcp = TcpView.decode(bytes, segment, upper);
      if (tcp instanceof TcpView) {
        transport = tcp;
        if (tcp.problem !== undefined) problems.push(tcp.problem);
        payloadOffset = segment + tcp.headerLength;
        payloadLength = upper - tcp.headerLength;
      } else {
        problems.push(tcp);
      }
    } else if (view.protocol === 17 || view.protocol === 136) {
      const udp = UdpView.decode(bytes, segment, upper, view.protocol === 136);
      if (udp instanceof UdpView) {
        transport = udp;
        const mismatch = udp.lengthProblem(upper);
        if (mismatch !== undefined) problems.push(mismatch);
        payloadOffset = segment + 8;
        payloadLength = upper - 8;
      } else {
        problems.push(udp);
      }
    }
  } else if (upper < 0) {
    problems.push(
      problem(
        view instanceof Ipv4View ? "ipv4" : "ipv6",
        "bad-reassembled-length",
        segment,
        view.headerLength,
        length,
        `the reassembled datagram is ${length} bytes, shorter than its headers`,
      ),
    );
  }
  return new ReassembledPacket(
    last,
    { data: bytes, link, network: view, transport, payloadLength, payloadOffset, problems },
    reassembly.pieces.map((piece) => piece.frame),
    length,
  );
}
