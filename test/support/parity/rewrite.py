# Captures written again with a change tcpdump cannot make: TCP sequence numbers moved next to 2^32, VLAN tags
# inserted, another link type, pcapng that editcap cannot write. Used by generate.py for its derived kinds and
# variants; reads little-endian pcap (µs or ns; pcapng() nanosecond only), writes pcap and pcapng.
import struct


def pcap_records(data):
    """(header, packet bytes) of each record of a little-endian pcap; the file header separately."""
    records, offset = [], 24
    while offset < len(data):
        header = data[offset : offset + 16]
        (incl,) = struct.unpack_from("<I", header, 8)
        records.append((header, bytearray(data[offset + 16 : offset + 16 + incl])))
        offset += 16 + incl
    return data[:24], records


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def wrap_sequence_numbers(source, target):
    """Rewrites an Ethernet IPv4 capture so that each TCP connection's client ISN is 2^32 − 30,000 and its
    server's 2^32 − 1: the client's data crosses 2^32 after 30 KB, the server's first byte is sequence 0.
    SACK edges move with the acknowledgements; TCP checksums are recomputed."""
    header, records = pcap_records(open(source, "rb").read())
    delta = {}
    out = [header]
    for record_header, packet in records:
        if len(packet) >= 34 and packet[12:14] == b"\x08\x00" and packet[23] == 6:
            ihl = (packet[14] & 0x0F) * 4
            tcp = 14 + ihl
            total = struct.unpack_from("!H", packet, 16)[0]
            src, dst = bytes(packet[26:30]), bytes(packet[30:34])
            sport, dport, seq, ack = struct.unpack_from("!HHII", packet, tcp)
            flags = packet[tcp + 13]
            here, there = (src, sport, dst, dport), (dst, dport, src, sport)
            if flags & 0x02 and here not in delta:
                delta[here] = ((1 << 32) - (30_000 if not flags & 0x10 else 1) - seq) % (1 << 32)
            d_seq, d_ack = delta.get(here, 0), delta.get(there, 0)
            struct.pack_into("!II", packet, tcp + 4, (seq + d_seq) % (1 << 32), (ack + d_ack) % (1 << 32) if flags & 0x10 else ack)
            offset, end = tcp + 20, tcp + (packet[tcp + 12] >> 4) * 4
            while offset < end:
                kind = packet[offset]
                if kind == 0:
                    break
                if kind == 1:
                    offset += 1
                    continue
                length = packet[offset + 1]
                if kind == 5:
                    for edge in range(offset + 2, offset + length, 4):
                        (value,) = struct.unpack_from("!I", packet, edge)
                        struct.pack_into("!I", packet, edge, (value + d_ack) % (1 << 32))
                offset += max(length, 2)
            segment_end = 14 + total
            if segment_end <= len(packet):
                struct.pack_into("!H", packet, tcp + 16, 0)
                pseudo = src + dst + struct.pack("!BBH", 0, 6, total - ihl)
                struct.pack_into("!H", packet, tcp + 16, checksum(pseudo + bytes(packet[tcp:segment_end])))
        out += [record_header, bytes(packet)]
    with open(target, "wb") as f:
        f.write(b"".join(out))


def tag_frames(source, target, tags):
    """Writes an Ethernet capture again with VLAN tags after the MAC addresses: tags are (TPID, VLAN id),
    outermost first (0x8100 for 802.1Q, 0x88a8 for an 802.1ad service tag)."""
    header, records = pcap_records(open(source, "rb").read())
    inserted = b"".join(struct.pack("!HH", tpid, vid) for tpid, vid in tags)
    out = [header]
    for record_header, packet in records:
        seconds, fraction, incl, orig = struct.unpack("<IIII", record_header)
        grown = len(inserted)
        out += [struct.pack("<IIII", seconds, fraction, incl + grown, orig + grown), bytes(packet[:12]) + inserted + bytes(packet[12:])]
    with open(target, "wb") as f:
        f.write(b"".join(out))


def keep_icmp_errors(source, target):
    """Writes only the ICMP destination-unreachable (IPv4 type 3) and ICMPv6 (type 1) frames of an Ethernet
    capture: errors quoting datagrams that the new file does not hold."""
    header, records = pcap_records(open(source, "rb").read())
    out = [header]
    for record_header, packet in records:
        ethertype = bytes(packet[12:14])
        icmp = ethertype == b"\x08\x00" and packet[23] == 1 and packet[14 + (packet[14] & 0x0F) * 4] == 3
        icmp6 = ethertype == b"\x86\xdd" and packet[20] == 58 and packet[54] == 1
        if icmp or icmp6:
            out += [record_header, bytes(packet)]
    with open(target, "wb") as f:
        f.write(b"".join(out))


# The 4-byte header of LINKTYPE_NULL (0) and LINKTYPE_LOOP (108): an address family. IPv6's number differs by
# system (24 NetBSD/OpenBSD, 28 FreeBSD, 30 Darwin); NULL writes it in the byte order of the host that made
# the file, LOOP always big-endian.
def family_header(byte_order, ipv6_family):
    return lambda version: struct.pack(f"{byte_order}I", 2 if version == 4 else ipv6_family)


# Link types relink() writes: name → (pcap link type, the header before the IP packet given its IP version).
LINKS = {
    "null": (0, family_header("<", 24)),
    "null-swapped": (0, family_header(">", 28)),
    "null-darwin": (0, family_header("<", 30)),
    "loop": (108, family_header(">", 24)),
    "raw": (101, lambda version: b""),
}


def relink(source, target, link):
    """Writes an Ethernet capture again with another link type (LINKS): each IPv4 or IPv6 frame's Ethernet
    header replaced by the new one, times kept, captured and original lengths changed by the difference.
    Frames of other EtherTypes (ARP) have no place in the new link type and are left out."""
    header, records = pcap_records(open(source, "rb").read())
    linktype, link_header = LINKS[link]
    out = [header[:20] + struct.pack("<I", linktype)]
    for record_header, packet in records:
        version = {b"\x08\x00": 4, b"\x86\xdd": 6}.get(bytes(packet[12:14]))
        if version is None:
            continue
        seconds, fraction, incl, orig = struct.unpack("<IIII", record_header)
        new = link_header(version)
        grown = len(new) - 14
        out += [struct.pack("<IIII", seconds, fraction, incl + grown, orig + grown), new + bytes(packet[14:])]
    with open(target, "wb") as f:
        f.write(b"".join(out))



# pcapng's if_tsresol byte for each resolution pcapng() writes: n for 10^-n seconds, 0x80 | n for 2^-n.
RESOLUTIONS = {"ms": 3, "us": 6, "ns": 9, "2^-20": 0x80 | 20}


def pcapng_block(order, kind, body):
    """One pcapng block in the byte order ("<" or ">"): type, total length, body padded to 4 bytes, length."""
    body += b"\0" * (-len(body) % 4)
    length = 12 + len(body)
    return struct.pack(f"{order}II", kind, length) + body + struct.pack(f"{order}I", length)


def pcapng_section(order, source, resolutions):
    """A pcapng section holding a nanosecond pcap's records: a Section Header Block in the byte order, one
    Interface Description Block per resolution (the pcap's link type and snap length, if_tsresol written
    even for microseconds), and record i as an Enhanced Packet Block on interface i modulo their number,
    its time in that interface's units (rounded down)."""
    header, records = pcap_records(open(source, "rb").read())
    snaplen, linktype = struct.unpack_from("<II", header, 16)
    out = [pcapng_block(order, 0x0A0D0D0A, struct.pack(f"{order}IHHq", 0x1A2B3C4D, 1, 0, -1))]
    for name in resolutions:
        tsresol = struct.pack(f"{order}HH", 9, 1) + bytes([RESOLUTIONS[name]]) + b"\0\0\0"
        out.append(pcapng_block(order, 1, struct.pack(f"{order}HHI", linktype, 0, snaplen) + tsresol + b"\0" * 4))
    for i, (record_header, packet) in enumerate(records):
        seconds, nanoseconds, incl, orig = struct.unpack("<IIII", record_header)
        ns = seconds * 1_000_000_000 + nanoseconds
        code = RESOLUTIONS[resolutions[i % len(resolutions)]]
        units = (ns << (code & 0x7F)) // 10**9 if code & 0x80 else ns // 10 ** (9 - code)
        epb = struct.pack(f"{order}IIIII", i % len(resolutions), units >> 32, units & 0xFFFFFFFF, incl, orig)
        out.append(pcapng_block(order, 6, epb + bytes(packet)))
    return b"".join(out)


def pcapng(target, sections):
    """Writes a pcapng of one section per (byte order "le" or "be", nanosecond pcap, resolutions) in turn:
    what editcap and mergecap cannot write (big-endian sections, several sections in one file, interfaces in
    milliseconds or in 2^-20 s)."""
    order = {"le": "<", "be": ">"}
    with open(target, "wb") as f:
        f.write(b"".join(pcapng_section(order[o], source, resolutions) for o, source, resolutions in sections))


if __name__ == "__main__":
    import sys

    # The commands generate.py's plan runs for the link-type and pcapng variants:
    #   python3 rewrite.py relink LINK SOURCE TARGET
    #   python3 rewrite.py pcapng TARGET ORDER:RESOLUTION[,RESOLUTION...]:SOURCE...   (a section per argument)
    if len(sys.argv) == 5 and sys.argv[1] == "relink":
        relink(*sys.argv[3:5], sys.argv[2])
    elif len(sys.argv) >= 4 and sys.argv[1] == "pcapng":
        specs = [spec.split(":", 2) for spec in sys.argv[3:]]
        pcapng(sys.argv[2], [(o, source, resolutions.split(",")) for o, resolutions, source in specs])
    else:
        raise SystemExit("usage: rewrite.py relink LINK SOURCE TARGET | pcapng TARGET ORDER:RESOLUTIONS:SOURCE...")
