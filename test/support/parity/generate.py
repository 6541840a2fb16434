# The parity corpus: small real captures of every kind of traffic socklab analyse must read exactly as tshark
# does, each written again in every capture format. Needs root, unshare, nsenter, ip, nft, tcpdump, editcap and
# mergecap. About 10 s of traffic, all kinds at once; nothing outside the new network namespaces is touched.
#
# Usage: python3 generate.py OUT_DIR [KIND...]         (default: every kind; prints each capture's manifest
#                                                      entry as a JSON line as soon as the capture is made)
#        python3 generate.py OUT_DIR --list [KIND...]  (the manifest's entries as one JSON list, nothing made)
#
# Each kind runs in a network namespace of its own (`unshare --net`, this script again with --kind), whose
# peers are further namespaces held by `unshare --net sleep` processes and entered with nsenter: nothing is
# named, mounted or left behind, and every namespace dies with its processes. tcpdump records nanosecond pcap
# (`raw/KIND.ns.pcap`); the formats are derived from it (see VARIANTS), and OUT_DIR/manifest.json lists every
# capture as { "kind", "variant", "file", "sameFramesAs" } (see plan()).
import argparse
import ctypes
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

from rewrite import keep_icmp_errors, tag_frames, wrap_sequence_numbers

HERE = os.path.dirname(os.path.abspath(__file__))
PEER = os.path.join(HERE, "peer.py")
REWRITE = os.path.join(HERE, "rewrite.py")
TIMEOUT = 5.0

# The file formats each kind is written in: name → (made from tcpdump's nanosecond pcap "ns" or from the
# microsecond "pcap" variant, editcap's options; None: tcpdump's file as it is).
VARIANTS = {
    "ns.pcap": ("ns", None),
    "pcap": ("ns", ["-F", "pcap"]),
    "pcapng": ("pcap", ["-F", "pcapng"]),
    "ns.pcapng": ("ns", ["-F", "pcapng"]),
    "snap54.pcap": ("pcap", ["-F", "pcap", "-s", "54"]),
    "snap68.pcap": ("pcap", ["-F", "pcap", "-s", "68"]),
}

# Link types other than Ethernet (rewrite.LINKS), each a nanosecond pcap written from an Ethernet kind's:
# kind → the link types. Each link type carries TCP (bulk-drops over IPv4, ipv6 over IPv6) and fragments
# over both; IPv6 under each system's family number (24, 28, 30). Kept few: each is one more tshark run.
LINK_VARIANTS = {
    "bulk-drops": ["null-swapped", "loop"],
    "ipv6": ["null", "null-darwin", "raw"],
    "fragments": ["null", "null-swapped", "loop", "raw"],
}
# pcapng that editcap cannot write (rewrite.pcapng), each from an Ethernet kind's nanosecond pcap: kind →
# (variant, sections as ORDER:RESOLUTIONS:SOURCE). Several resolutions: one interface each, frames dealt to
# them in turn, so that a frame's time rounded down can come before the previous frame's; only for UDP
# (fragments), whose analysis does not look at time. TCP gets one resolution per section: times in order.
# time-back's is its two files as two sections, little- then big-endian.
PCAPNG_VARIANTS = {
    "bulk-drops": [("be.pcapng", ["be:ns:raw/bulk-drops.ns.pcap"])],
    "ipv6": [("ms.pcapng", ["le:ms:raw/ipv6.ns.pcap"])],
    "fragments": [("tsresol-be.pcapng", ["be:2^-20,ns,ms,us:raw/fragments.ns.pcap"])],
    "time-back": [("sections.pcapng", ["le:ns:raw/port-reuse-rst.ns.pcap", "be:2^-20:raw/ipv6-older.ns.pcap"])],
}

def die_with_parent():
    """Run in a child before exec: the kernel kills it when the process that started it ends (PR_SET_PDEATHSIG),
    so that no tcpdump, server or namespace holder outlives a generator that was killed."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)


def sh(*command, stdin=None):
    result = subprocess.run(command, input=stdin, text=True, capture_output=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}): {result.stderr.strip()}")
    return result.stdout


class World:
    """The namespaces, links, servers and captures of one kind; close() ends every process it started."""

    def __init__(self):
        self.processes = []
        sh("ip", "link", "set", "lo", "up")

    def peer(self):
        holder = subprocess.Popen(["unshare", "--net", "sleep", "120"], preexec_fn=die_with_parent)
        self.processes.append(holder)
        own = os.readlink("/proc/self/ns/net")
        deadline = time.monotonic() + TIMEOUT
        while os.readlink(f"/proc/{holder.pid}/ns/net") == own:
            if time.monotonic() > deadline:
                raise RuntimeError("the peer namespace was not created within 5 s")
            time.sleep(0.005)
        self.run(holder.pid, "ip", "link", "set", "lo", "up")
        return holder.pid

    def run(self, ns, *command, stdin=None):
        prefix = ["nsenter", "-t", str(ns), "-n"] if ns else []
        return sh(*prefix, *command, stdin=stdin)

    def link(self, name, ns, peer_name, peer_ns, mtu=1500):
        """A veth pair: `name` in ns (None: this namespace), `peer_name` in peer_ns, both up, one segment per packet."""
        self.run(ns, "ip", "link", "add", name, "type", "veth", "peer", "name", peer_name, "netns", str(peer_ns))
        for where, dev in ((ns, name), (peer_ns, peer_name)):
            self.run(where, "ip", "link", "set", dev, "mtu", str(mtu), "gso_max_segs", "1", "gso_max_size", str(mtu))
            self.run(where, "ip", "link", "set", dev, "up")

    def address(self, ns, dev, *cidrs):
        for cidr in cidrs:
            extra = ["nodad"] if ":" in cidr else []
            self.run(ns, "ip", "addr", "add", cidr, "dev", dev, *extra)

    def nft(self, ns, rules):
        self.run(ns, "nft", "-f", "-", stdin=rules)

    def server(self, ns, mode, *hosts):
        command = ["nsenter", "-t", str(ns), "-n", sys.executable, PEER, mode, *hosts]
        server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, preexec_fn=die_with_parent)
        self.processes.append(server)
        if server.stdout.readline().strip() != "ready":
            raise RuntimeError(f"peer.py {mode} did not start")

    def capture(self, ns, out, *options):
        prefix = ["nsenter", "-t", str(ns), "-n"] if ns else []
        # Immediate mode uses one ring slot per snap length: 9,000 bytes (more than any frame here) in 32 MB.
        command = [*prefix, "tcpdump", "-n", "-s", "9000", "-B", "32768", "-U", "--immediate-mode", "-Z", "root"]
        command += ["--time-stamp-precision=nano", "-w", out, *options]
        tcpdump = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, preexec_fn=die_with_parent)
        self.processes.append(tcpdump)
        # tcpdump names a link type chosen with -y on a line of its own before "listening on".
        for _ in range(2):
            line = tcpdump.stderr.readline()
            if "listening" in line:
                break
        else:
            raise RuntimeError(f"tcpdump did not start: {line.strip()}")
        return tcpdump

    def stop(self, *captures):
        # Packets the kernel has queued reach tcpdump (immediate mode) well within the pause.
        time.sleep(0.3)
        for tcpdump in captures:
            tcpdump.send_signal(signal.SIGINT)
        for tcpdump in captures:
            tcpdump.wait(TIMEOUT)
            stats = tcpdump.stderr.read()
            if "\n0 packets dropped by kernel" not in f"\n{stats}":
                raise RuntimeError(f"tcpdump lost packets: {stats.strip()}")

    def close(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.kill()
            process.wait()


# ------------------------------------------------------------------------------------------ client side


def family_of(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def connect(host, port, bind=None, options=()):
    conn = socket.socket(family_of(host), socket.SOCK_STREAM)
    for level, name, value in options:
        conn.setsockopt(level, name, value)
    if bind:
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        conn.bind(bind)
    conn.settimeout(TIMEOUT)
    conn.connect((host, port))
    return conn


def read_to_end(conn):
    data = b""
    while chunk := conn.recv(65536):
        data += chunk
    return data


def upload(host, size, port=5001, options=()):
    """Sends size bytes to a sink, half-closes and waits for its "OK"."""
    with connect(host, port, options=options) as conn:
        sent = 0
        while sent < size:
            chunk = min(size - sent, 8000)
            conn.sendall(bytes(range(256)) * (chunk // 256) + bytes(chunk % 256))
            sent += chunk
        conn.shutdown(socket.SHUT_WR)
        assert read_to_end(conn) == b"OK"


def echo(host, messages, options=(), pause=0.0):
    with connect(host, 5003, options=options) as conn:
        for message in messages:
            conn.sendall(message)
            got = b""
            while len(got) < len(message):
                got += conn.recv(65536)
            time.sleep(pause)


def datagrams(host, sizes, options=()):
    with socket.socket(family_of(host), socket.SOCK_DGRAM) as s:
        for level, name, value in options:
            s.setsockopt(level, name, value)
        s.settimeout(2.0)
        for size in sizes:
            s.sendto(bytes(i % 251 for i in range(size)), (host, 5005))
            s.recvfrom(65536)


# ------------------------------------------------------------------------------------------ the kinds


def two_hosts(world, mtu=1500):
    """This namespace (10.0.0.1, fd00::1 on veth0) and a peer (10.0.0.2, fd00::2 on veth1); the peer's pid."""
    peer = world.peer()
    world.link("veth0", None, "veth1", peer, mtu)
    world.address(None, "veth0", "10.0.0.1/24", "fd00::1/64")
    world.address(peer, "veth1", "10.0.0.2/24", "fd00::2/64")
    return peer


def bulk_drops(world, out):
    """A 150 KB upload with every 7th segment dropped after the capture saw it, every 13th before, and every
    9th ACK lost on the way back: retransmissions, holes, duplicate ACKs, out-of-order segments."""
    peer = two_hosts(world)
    world.nft(peer, """table inet parity {
  chain input { type filter hook input priority 0; tcp dport 5001 numgen inc mod 7 == 3 drop; }
  chain output { type filter hook output priority 0; tcp sport 5001 numgen inc mod 9 == 4 drop; }
}""")
    world.nft(None, """table inet parity {
  chain output { type filter hook output priority 0; tcp dport 5001 numgen inc mod 13 == 6 drop; }
}""")
    world.server(peer, "sink", "10.0.0.2")
    capture = world.capture(None, out, "-i", "veth0")
    upload("10.0.0.2", 150_000)
    world.stop(capture)


def zero_window(world, out):
    """A receiver with a 4 KB buffer that stops reading for 1.5 s: window full, zero window, probes and their
    ACKs, then window updates."""
    peer = two_hosts(world)
    world.server(peer, "stall", "10.0.0.2")
    capture = world.capture(None, out, "-i", "veth0")
    upload("10.0.0.2", 40_000, port=5002)
    world.stop(capture)


def keepalive(world, out):
    """A connection idle for 3.3 s with SO_KEEPALIVE probing every second: keep-alives and their ACKs."""
    peer = two_hosts(world)
    world.server(peer, "echo", "10.0.0.2")
    capture = world.capture(None, out, "-i", "veth0")
    options = [
        (socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1),
        (socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1),
        (socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1),
    ]
    with connect("10.0.0.2", 5003, options=options) as conn:
        conn.sendall(b"hello\n")
        conn.recv(100)
        time.sleep(3.3)
        conn.sendall(b"BYE\n")
        read_to_end(conn)
    world.stop(capture)


def port_reuse_rst(world, out):
    """Port reuse and resets: two connections from the same client port (SO_REUSEADDR; the server closes first,
    so a new SYN meets its TIME_WAIT), an abortive close (SO_LINGER 0), a connection refused, and a server that
    closes without reading (RST for the unread data)."""
    peer = two_hosts(world)
    world.server(peer, "echo", "10.0.0.2")
    capture = world.capture(None, out, "-i", "veth0")
    for i in range(2):
        with connect("10.0.0.2", 5003, bind=("10.0.0.1", 40000)) as conn:
            conn.sendall(b"hello %d\nBYE\n" % i)
            read_to_end(conn)
    conn = connect("10.0.0.2", 5003, bind=("10.0.0.1", 40000))
    conn.sendall(b"going away\n")
    conn.recv(100)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()
    try:
        connect("10.0.0.2", 5999).close()
    except ConnectionRefusedError:
        pass
    with connect("10.0.0.2", 5004) as conn:
        conn.sendall(bytes(3000))
        try:
            read_to_end(conn)
        except ConnectionResetError:
            pass
    world.stop(capture)


def ipv6(world, out):
    """TCP and UDP over IPv6: a 30 KB upload with every 9th segment dropped, an echo, datagrams."""
    peer = two_hosts(world)
    world.nft(peer, """table inet parity {
  chain input { type filter hook input priority 0; tcp dport 5001 numgen inc mod 9 == 5 drop; }
}""")
    world.server(peer, "all", "fd00::2")
    capture = world.capture(None, out, "-i", "veth0")
    upload("fd00::2", 30_000)
    echo("fd00::2", [b"one\n", b"two two\n", bytes(3000), b"BYE\n"])
    datagrams("fd00::2", [1, 100, 1200, 0])
    world.stop(capture)


def fragments(world, out):
    """UDP datagrams of 1,473, 5,000, 20,000 and 65,000 bytes over a link with MTU 1280, echoed: IPv4 and
    IPv6 fragments both ways."""
    peer = two_hosts(world, mtu=1280)
    world.server(peer, "udp", "10.0.0.2", "fd00::2")
    capture = world.capture(None, out, "-i", "veth0")
    for host in ("10.0.0.2", "fd00::2"):
        datagrams(host, [1473, 5000, 20_000, 65_000])
    world.stop(capture)


def router(world, out):
    """Traffic through a router namespace, recorded there on every interface (`tcpdump -i any`): each packet
    is seen twice, as it comes in and as it goes out. Writes OUT with LINUX_SLL2 and two companions: the
    same traffic as LINUX_SLL (router-sll) and on the router's first interface alone (router-eth)."""
    router_ns, far = world.peer(), world.peer()
    world.link("a0", None, "r0", router_ns)
    world.link("r1", router_ns, "b0", far)
    world.address(None, "a0", "10.1.0.1/24", "fd01::1/64")
    world.address(router_ns, "r0", "10.1.0.2/24", "fd01::2/64")
    world.address(router_ns, "r1", "10.2.0.1/24", "fd02::1/64")
    world.address(far, "b0", "10.2.0.2/24", "fd02::2/64")
    world.run(None, "ip", "route", "add", "10.2.0.0/24", "via", "10.1.0.2")
    world.run(None, "ip", "-6", "route", "add", "fd02::/64", "via", "fd01::2")
    world.run(far, "ip", "route", "add", "10.1.0.0/24", "via", "10.2.0.1")
    world.run(far, "ip", "-6", "route", "add", "fd01::/64", "via", "fd02::1")
    world.run(router_ns, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1")
    world.nft(far, """table inet parity {
  chain input { type filter hook input priority 0; tcp dport 5001 numgen inc mod 8 == 5 drop; }
}""")
    world.server(far, "all", "10.2.0.2", "fd02::2")
    captures = [
        world.capture(router_ns, out, "-i", "any", "-y", "LINUX_SLL2"),
        world.capture(router_ns, out.replace("router-sll2", "router-sll"), "-i", "any", "-y", "LINUX_SLL"),
        world.capture(router_ns, out.replace("router-sll2", "router-eth"), "-i", "r0"),
    ]
    upload("10.2.0.2", 20_000)
    echo("fd02::2", [b"through the router\n", b"BYE\n"])
    datagrams("10.2.0.2", [10, 500])
    world.stop(*captures)


def fastopen_icmp(world, out):
    """TCP Fast Open (a SYN carrying data, once the first connection has fetched the cookie) and ICMP errors
    that quote a datagram: UDP to a closed port, over IPv4 and IPv6."""
    peer = two_hosts(world)
    for ns in (None, peer):
        world.run(ns, "sysctl", "-q", "-w", "net.ipv4.tcp_fastopen=3")
    world.server(peer, "fastopen", "10.0.0.2")
    capture = world.capture(None, out, "-i", "veth0")
    for i in range(3):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as conn:
            # Blocking for the connecting sendto (with a timeout set, it would return EINPROGRESS).
            conn.sendto(b"fast open %d\n" % i, socket.MSG_FASTOPEN, ("10.0.0.2", 5006))
            conn.settimeout(TIMEOUT)
            conn.recv(100)
            conn.sendall(b"more\n")
            conn.recv(100)
    for host in ("10.0.0.2", "fd00::2"):
        with socket.socket(family_of(host), socket.SOCK_DGRAM) as s:
            s.sendto(b"nobody listens", (host, 5999))
            time.sleep(0.05)
    world.stop(capture)


def ip_options(world, out):
    """TCP and UDP from sockets with IP_OPTIONS (record route, 12 option bytes: a 32-byte IPv4 header)."""
    peer = two_hosts(world)
    world.server(peer, "all", "10.0.0.2")
    record_route = bytes([1, 7, 11, 4]) + bytes(8)
    options = [(socket.IPPROTO_IP, socket.IP_OPTIONS, record_route)]
    capture = world.capture(None, out, "-i", "veth0")
    echo("10.0.0.2", [b"with options\n", bytes(2000), b"BYE\n"], options=options)
    datagrams("10.0.0.2", [20, 1400], options=options)
    world.stop(capture)


KINDS = {
    "bulk-drops": bulk_drops,
    "zero-window": zero_window,
    "keepalive": keepalive,
    "port-reuse-rst": port_reuse_rst,
    "ipv6": ipv6,
    "fragments": fragments,
    "router-sll2": router,
    "ip-options": ip_options,
    "fastopen-icmp": fastopen_icmp,
}

# Kinds rewritten from the captures of others, for what no socket can be made to do here: choose its initial
# sequence number (seq-wrap), or send tagged frames without the kernel's 8021q module, which a container may
# not have (vlan-qinq, vlan-trunk); files joined out of time order (time-back); ICMP errors without the
# datagrams they quote (icmp-orphans); 4-tuples back after minutes of quiet (late-return). Name → the kinds
# they are made from.
DERIVED = {
    "seq-wrap": ["bulk-drops"],
    "vlan-qinq": ["ipv6", "port-reuse-rst"],
    "vlan-trunk": ["fragments"],
    "time-back": ["port-reuse-rst", "ipv6"],
    "icmp-orphans": ["fastopen-icmp", "ipv6"],
    "late-return": ["ipv6"],
}


def derive(kind, raw):
    """Makes a DERIVED kind's nanosecond pcap in raw from the captures of the kinds it is made from."""
    target = os.path.join(raw, f"{kind}.ns.pcap")
    if kind == "seq-wrap":
        wrap_sequence_numbers(os.path.join(raw, "bulk-drops.ns.pcap"), target)
    elif kind == "vlan-qinq":
        # IPv6 TCP and UDP in VLAN 10 (802.1Q), IPv4 connections in QinQ (service VLAN 100, customer VLAN 20).
        tagged = [os.path.join(raw, "vlan.ns.pcap"), os.path.join(raw, "qinq.ns.pcap")]
        tag_frames(os.path.join(raw, "ipv6.ns.pcap"), tagged[0], [(0x8100, 10)])
        tag_frames(os.path.join(raw, "port-reuse-rst.ns.pcap"), tagged[1], [(0x88A8, 100), (0x8100, 20)])
        sh("mergecap", "-F", "nsecpcap", "-w", target, *tagged)
    elif kind == "vlan-trunk":
        # A router on a stick seen on its trunk: each fragment in VLAN 30 and again, 1 µs later, in VLAN 31 (the
        # same addresses, IP identifications and ports in both).
        first, second, later = (os.path.join(raw, f"trunk-{n}.ns.pcap") for n in ("30", "31", "31-later"))
        tag_frames(os.path.join(raw, "fragments.ns.pcap"), first, [(0x8100, 30)])
        tag_frames(os.path.join(raw, "fragments.ns.pcap"), second, [(0x8100, 31)])
        sh("editcap", "-F", "nsecpcap", "-t", "0.000001", second, later)
        sh("mergecap", "-F", "nsecpcap", "-w", target, first, later)
    elif kind == "time-back":
        # Two files joined end to end, the second 10 s older than the first: its frames' times come before the
        # first frame's (negative frame.time_relative).
        older = os.path.join(raw, "ipv6-older.ns.pcap")
        sh("editcap", "-F", "nsecpcap", "-t", "-10", os.path.join(raw, "ipv6.ns.pcap"), older)
        sh("mergecap", "-a", "-F", "nsecpcap", "-w", target, os.path.join(raw, "port-reuse-rst.ns.pcap"), older)
    elif kind == "icmp-orphans":
        # Port-unreachable errors (IPv4 and IPv6) quoting UDP datagrams the file does not hold, then the ipv6
        # kind's TCP and UDP: tshark gives a quoted datagram a conversation (and a udp.stream) of its own.
        errors = os.path.join(raw, "icmp-errors.ns.pcap")
        keep_icmp_errors(os.path.join(raw, "fastopen-icmp.ns.pcap"), errors)
        sh("mergecap", "-a", "-F", "nsecpcap", "-w", target, errors, os.path.join(raw, "ipv6.ns.pcap"))
    elif kind == "late-return":
        # The ipv6 kind, then the same packets again 150 s later: every 4-tuple (TCP, closed long before, and
        # UDP) comes back after more than two minutes of quiet; the TCP SYNs repeat their ISNs.
        again = os.path.join(raw, "ipv6-150s-later.ns.pcap")
        sh("editcap", "-F", "nsecpcap", "-t", "150", os.path.join(raw, "ipv6.ns.pcap"), again)
        sh("mergecap", "-a", "-F", "nsecpcap", "-w", target, os.path.join(raw, "ipv6.ns.pcap"), again)
    return target


# ------------------------------------------------------------------------------------------ the run


def run_kind(kind, raw):
    world = World()
    try:
        KINDS[kind](world, os.path.join(raw, f"{kind}.ns.pcap"))
    finally:
        world.close()


def generate(out_dir, kinds):
    """Records the kinds (all at once) and writes each capture of the plan as soon as what it is made from
    exists, printing its manifest entry as a JSON line then, so that a reader can start on it while later
    kinds are still being recorded. Writes OUT_DIR/manifest.json at the end."""
    raw = os.path.join(out_dir, "raw")
    os.makedirs(raw, exist_ok=True)
    needed = {source for kind in kinds for source in DERIVED.get(kind, [])}
    wanted = [k for k in KINDS if k in kinds or k in needed]
    entries = plan(kinds)
    manifest = []

    def one(kind):
        command = ["unshare", "--net", sys.executable, os.path.abspath(__file__), "--kind", kind, raw]
        # Started from a worker thread that lives until the run ends: the parent "process" of PDEATHSIG.
        result = subprocess.run(command, capture_output=True, text=True, timeout=60, preexec_fn=die_with_parent)
        if result.returncode != 0:
            raise RuntimeError(f"{kind}: {result.stderr.strip()}")

    def write(ready):
        for kind, variant, name, command, same in entries:
            if kind not in ready:
                continue
            if command[0] == "cp":
                shutil.copyfile(os.path.join(out_dir, command[1]), os.path.join(out_dir, name))
            else:
                subprocess.run([a.replace("{out}", name) for a in command], cwd=out_dir, check=True, capture_output=True)
            manifest.append(entry(out_dir, kind, variant, name, same))
            print(json.dumps(manifest[-1]), flush=True)

    recorded, failures = set(), []
    derived = [k for k in DERIVED if k in kinds]
    with ThreadPoolExecutor(len(wanted)) as pool:
        futures = {pool.submit(one, kind): kind for kind in wanted}
        for future in as_completed(futures):
            kind = futures[future]
            if future.exception():
                failures.append(str(future.exception()))
                continue
            recorded.add(kind)
            # router-sll2's recording also holds router-sll's and router-multilink's sources.
            ready = {kind, "router-sll", "router-multilink"} if kind == "router-sll2" else {kind}
            for later in [k for k in derived if all(source in recorded for source in DERIVED[k])]:
                derive(later, raw)
                derived.remove(later)
                ready.add(later)
            write(ready & {e[0] for e in entries})
    if failures:
        raise SystemExit("\n".join(failures))
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)


def entry(out_dir, kind, variant, name, same):
    """A manifest entry: { kind, variant, file, sameFramesAs (a file, or null) }."""
    same_file = os.path.join(out_dir, same) if same else None
    return {"kind": kind, "variant": variant, "file": os.path.join(out_dir, name), "sameFramesAs": same_file}


def plan(kinds):
    """Every capture of the corpus, in order: (kind, variant, file name, the command that writes it, run in
    OUT_DIR with {out} for the file name ("cp" copies), and the file it holds the same frames as, or None).
    A pcapng that editcap wrote from a pcap holds that pcap's records exactly (times, lengths, bytes), so
    tshark's view of one is its view of the other: the test runs tshark on one of the two."""
    entries = []
    for kind in [k for k in [*KINDS, *DERIVED] if k in kinds]:
        for variant, (origin, options) in VARIANTS.items():
            source = f"raw/{kind}.ns.pcap" if origin == "ns" else f"{kind}.pcap"
            command = ["editcap", *options, source, "{out}"] if options else ["cp", source]
            same = {"pcapng": f"{kind}.pcap", "ns.pcapng": f"{kind}.ns.pcap"}.get(variant)
            entries.append((kind, variant, f"{kind}.{variant}", command, same))
        for link in LINK_VARIANTS.get(kind, []):
            command = [sys.executable, REWRITE, "relink", link, f"raw/{kind}.ns.pcap", "{out}"]
            entries.append((kind, f"{link}.ns.pcap", f"{kind}.{link}.ns.pcap", command, None))
        for variant, sections in PCAPNG_VARIANTS.get(kind, []):
            command = [sys.executable, REWRITE, "pcapng", "{out}", *sections]
            entries.append((kind, variant, f"{kind}.{variant}", command, None))
    if "router-sll2" in kinds:
        entries.append(("router-sll", "pcap", "router-sll.pcap", ["editcap", "-F", "pcap", "raw/router-sll.ns.pcap", "{out}"], None))
        # Interfaces of two link types in one pcapng: the router's Ethernet side and its `any` (LINUX_SLL).
        merged = ["mergecap", "-F", "pcapng", "-w", "{out}", "raw/router-eth.ns.pcap", "raw/router-sll.ns.pcap"]
        entries.append(("router-multilink", "ns.pcapng", "router-multilink.ns.pcapng", merged, None))
        cut = ["editcap", "-s", "68", "router-multilink.ns.pcapng", "{out}"]
        entries.append(("router-multilink", "snap68.pcapng", "router-multilink.snap68.pcapng", cut, None))
    if "icmp-orphans" in kinds:
        # Small enough for fixtures/captures/parity (the long TCP segments cut, the ICMP errors and UDP whole).
        cut = ["editcap", "-F", "pcap", "-s", "160", "icmp-orphans.pcap", "{out}"]
        entries.append(("icmp-orphans", "snap160.pcap", "icmp-orphans.snap160.pcap", cut, None))
    return entries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("kinds", nargs="*")
    parser.add_argument("--kind", help="record one kind (run inside a fresh network namespace)")
    parser.add_argument("--list", action="store_true", help="print the manifest's entries without making them")
    args = parser.parse_args()
    kinds = args.kinds or [*KINDS, *DERIVED]
    if args.kind:
        run_kind(args.kind, args.out)
    elif args.list:
        entries = plan(kinds)
        print(json.dumps([entry(os.path.abspath(args.out), k, v, n, same) for k, v, n, _, same in entries]))
    else:
        generate(os.path.abspath(args.out), kinds)


main()
