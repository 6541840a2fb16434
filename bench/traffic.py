# Real traffic for the benchmark's captures. Run inside a fresh network namespace (`unshare --net`): it sets up
# lo like a wire (MTU 1500, one segment per packet: no GSO super-packets), adds nftables rules that drop a
# fraction of TCP and UDP packets at random, starts tcpdump on lo, then runs servers (a forked process) and
# client threads over TCP and UDP, IPv4 and IPv6, until the capture is complete. Prints one JSON summary line.
#
# Usage: python3 traffic.py mixed --out F --seed S --packets N   (tcpdump -c N: exactly N packets)
#        python3 traffic.py short --out F --seed S --connections N (N short TCP connections, then stop)
#
# The seed fixes every choice the clients make (job, family, sizes, pauses); what the kernel does with them
# (timing, which packets nftables drops: `numgen random` cannot be seeded) is not reproducible.
import argparse
import json
import os
import random
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

# Ports no Wireshark dissector claims, so that tshark does the TCP/UDP work and nothing else.
ECHO, SINK, SLOW_SINK, SOURCE = 15000, 15001, 15002, 15003
SHORT_PORTS = range(15010, 15018)
UDP_ECHO, UDP_SINK = 15100, 15101
HOSTS = {"v4": "127.0.0.1", "v6": "::1"}
TIMEOUT = 5.0


def sh(*command, stdin=None):
    subprocess.run(command, input=stdin, text=True, check=True)


def configure(drop_in, drop_out):
    sh("ip", "link", "set", "lo", "up", "mtu", "1500", "gso_max_segs", "1", "gso_max_size", "1500")
    # No reuse of a 4-tuple in TIME_WAIT: every connection of the capture is a distinct conversation.
    for name, value in [("ipv4/tcp_tw_reuse", "0")]:
        with open(f"/proc/sys/net/{name}", "w") as f:
            f.write(value)
    # Input drops happen after tcpdump has seen the packet (the loss is visible); output drops before it.
    sh("nft", "-f", "-", stdin=f"""
table inet bench {{
  chain input {{ type filter hook input priority 0; meta l4proto {{ tcp, udp }} numgen random mod 10000 < {drop_in} drop; }}
  chain output {{ type filter hook output priority 0; meta l4proto {{ tcp, udp }} numgen random mod 10000 < {drop_out} drop; }}
}}
""")


def start_capture(out, packets):
    command = ["tcpdump", "-i", "lo", "-n", "-s", "0", "-B", "65536", "-U", "-Z", "root", "-w", out]
    if packets:
        command += ["-c", str(packets)]
    tcpdump = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    line = tcpdump.stderr.readline()
    if "listening" not in line:
        raise SystemExit(f"tcpdump did not start: {line.strip()}")
    return tcpdump


def listener(family, port, kind=socket.SOCK_STREAM, rcvbuf=None):
    s = socket.socket(socket.AF_INET6 if family == "v6" else socket.AF_INET, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind((HOSTS[family], port))
    if kind == socket.SOCK_STREAM:
        s.listen(1024)
    return s


def serve_tcp(server, handle):
    def run():
        while True:
            conn, _ = server.accept()
            conn.settimeout(TIMEOUT)
            threading.Thread(target=guarded, args=(handle, conn), daemon=True).start()

    threading.Thread(target=run, daemon=True).start()


def guarded(handle, conn):
    try:
        handle(conn)
    except OSError:
        pass
    finally:
        conn.close()


def echo(conn):
    while data := conn.recv(65536):
        conn.sendall(data)


def sink(conn):
    while conn.recv(65536):
        pass
    conn.sendall(b"OK")


def slow_sink(conn):
    # A reader slower than the sender: the window fills, closes and reopens.
    while conn.recv(700):
        time.sleep(0.002)
    conn.sendall(b"OK")


def source(conn):
    (size,) = struct.unpack("!I", recv_exact(conn, 4))
    conn.sendall(os.urandom(size))


def serve_udp(server, reply):
    def run():
        rng = random.Random(server.getsockname()[1])
        while True:
            data, peer = server.recvfrom(65536)
            if reply:
                try:
                    server.sendto(data[:8] + bytes(rng.randrange(40, 600)), peer)
                except OSError:
                    pass

    threading.Thread(target=run, daemon=True).start()


def servers():
    for family in HOSTS:
        serve_tcp(listener(family, ECHO), echo)
        serve_tcp(listener(family, SINK), sink)
        serve_tcp(listener(family, SLOW_SINK, rcvbuf=4096), slow_sink)
        serve_tcp(listener(family, SOURCE), source)
        for port in SHORT_PORTS:
            serve_tcp(listener(family, port), echo)
        serve_udp(listener(family, UDP_ECHO, socket.SOCK_DGRAM), True)
        serve_udp(listener(family, UDP_SINK, socket.SOCK_DGRAM), False)
    signal.pause()


def recv_exact(conn, size):
    chunks = []
    while size > 0:
        data = conn.recv(min(size, 65536))
        if not data:
            raise ConnectionError("closed early")
        chunks.append(data)
        size -= len(data)
    return b"".join(chunks)


def connect(family, port):
    conn = socket.create_connection((HOSTS[family], port), timeout=TIMEOUT)
    return conn


def job_echo(rng, family):
    with connect(family, ECHO) as conn:
        for _ in range(rng.randrange(3, 40)):
            size = rng.choice([rng.randrange(1, 200), rng.randrange(200, 4000)])
            conn.sendall(bytes(size))
            recv_exact(conn, size)
            if rng.random() < 0.3:
                time.sleep(rng.random() * 0.004)


def job_upload(rng, family, port, largest):
    with connect(family, port) as conn:
        left = rng.randrange(10_000, largest)
        while left > 0:
            chunk = min(left, rng.randrange(500, 30_000))
            conn.sendall(bytes(chunk))
            left -= chunk
        conn.shutdown(socket.SHUT_WR)
        conn.recv(16)


def job_download(rng, family):
    with connect(family, SOURCE) as conn:
        size = rng.randrange(10_000, 300_000)
        conn.sendall(struct.pack("!I", size))
        recv_exact(conn, size)


def job_short(rng, family, port=ECHO):
    conn = connect(family, port)
    try:
        size = rng.randrange(20, 400)
        conn.sendall(bytes(size))
        recv_exact(conn, size)
        if rng.random() < 0.05:
            # An abortive close: RST instead of FIN.
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    finally:
        conn.close()


def job_udp_requests(rng, family):
    with socket.socket(socket.AF_INET6 if family == "v6" else socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(0.05)
        for n in range(rng.randrange(3, 30)):
            query = struct.pack("!Q", n) + bytes(rng.randrange(12, 120))
            for _attempt in range(3):
                try:
                    s.sendto(query, (HOSTS[family], UDP_ECHO))
                    s.recvfrom(65536)
                    break
                except OSError:
                    continue


def job_udp_oneway(rng, family):
    with socket.socket(socket.AF_INET6 if family == "v6" else socket.AF_INET, socket.SOCK_DGRAM) as s:
        for n in range(rng.randrange(20, 200)):
            try:
                s.sendto(struct.pack("!Q", n) + bytes(rng.randrange(8, 200)), (HOSTS[family], UDP_SINK))
            except OSError:
                pass
            time.sleep(0.001)


MIXED_JOBS = [
    (0.30, job_echo),
    (0.07, lambda rng, family: job_upload(rng, family, SINK, 400_000)),
    (0.03, lambda rng, family: job_upload(rng, family, SLOW_SINK, 60_000)),
    (0.08, job_download),
    (0.30, job_short),
    (0.17, job_udp_requests),
    (0.05, job_udp_oneway),
]


def worker(index, seed, stop, jobs, counter):
    rng = random.Random(seed * 1000 + index)
    while not stop.is_set():
        family = "v6" if rng.random() < 0.4 else "v4"
        if jobs is None:
            if not counter.take():
                return
            job = lambda rng, family: job_short(rng, family, rng.choice(SHORT_PORTS))  # noqa: E731
        else:
            pick, job = rng.random(), jobs[-1][1]
            for weight, candidate in jobs:
                if pick < weight:
                    job = candidate
                    break
                pick -= weight
        try:
            job(rng, family)
        except OSError:
            counter.failed()


class Counter:
    def __init__(self, budget):
        self.lock = threading.Lock()
        self.left = budget
        self.failures = 0

    def take(self):
        with self.lock:
            self.left -= 1
            return self.left >= 0

    def failed(self):
        with self.lock:
            self.failures += 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("profile", choices=["mixed", "short"])
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--packets", type=int, default=0)
    parser.add_argument("--connections", type=int, default=0)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--drop-in", type=int, default=150, help="per 10,000 packets, seen then dropped")
    parser.add_argument("--drop-out", type=int, default=50, help="per 10,000 packets, dropped unseen")
    args = parser.parse_args()

    started = time.monotonic()
    configure(args.drop_in, args.drop_out)
    server_pid = os.fork()
    if server_pid == 0:
        servers()
        os._exit(0)
    time.sleep(0.5)
    tcpdump = start_capture(args.out, args.packets if args.profile == "mixed" else 0)
    stop = threading.Event()
    counter = Counter(args.connections)
    jobs = MIXED_JOBS if args.profile == "mixed" else None
    threads = [
        threading.Thread(target=worker, args=(i, args.seed, stop, jobs, counter), daemon=True)
        for i in range(args.workers)
    ]
    for thread in threads:
        thread.start()
    if args.profile == "mixed":
        tcpdump.wait()
        stop.set()
    else:
        for thread in threads:
            thread.join()
        time.sleep(1.0)
        tcpdump.send_signal(signal.SIGINT)
        tcpdump.wait()
    stats = tcpdump.stderr.read().strip().splitlines()
    os.kill(server_pid, signal.SIGKILL)
    os.waitpid(server_pid, 0)
    print(json.dumps({
        "profile": args.profile,
        "seed": args.seed,
        "dropIn": args.drop_in / 10000,
        "dropOut": args.drop_out / 10000,
        "clientErrors": counter.failures,
        "tcpdump": stats,
        "seconds": round(time.monotonic() - started, 1),
    }))
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
