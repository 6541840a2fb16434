"""socklab's sensor-protocol probe: sends valid readings built from the student's protocol description in
awkward ways and checks that each gets its reply.

TCP:  two readings coalesced in one segment, then one reading split across two segments. Before the second
      half is sent, the probe waits until the server has read the first half (the server's socket shows an
      empty receive queue in /proc/net/tcp), so a server that assumes one recv() per message really gets half
      a message — an event, not a sleep.
UDP:  a truncated datagram and a garbage one (the server must survive them), then a valid reading that must
      get its reply.

Usage: sensor_probe.py CONFIG
  CONFIG  base64 of a JSON object: {"transport": "tcp"|"udp", "host", "port", "format": the reading's struct
          format, "replySize": bytes of one reply, "readings": [[values of one reading], ...] (three)}
Prints one JSON line; exits 0 when every valid reading got its reply.
"""
import base64
import json
import socket
import struct
import sys
import time


def pack(fmt, values):
    converted = [v.encode("latin-1") if isinstance(v, str) else v for v in values]
    return struct.pack(fmt, *converted)


def read_exactly(sock, size, deadline):
    data = b""
    while len(data) < size:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            chunk = sock.recv(size - len(data))
        except socket.timeout:
            break
        if not chunk:
            break
        data += chunk
    return data


def server_queue(server_port, client_port):
    """Bytes waiting in the server's receive queue for our connection (None when not found)."""
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(name) as f:
                next(f)
                for line in f:
                    parts = line.split()
                    local, remote, queues = parts[1], parts[2], parts[4]
                    if int(local.split(":")[1], 16) == server_port and int(remote.split(":")[1], 16) == client_port:
                        return int(queues.split(":")[1], 16)
        except OSError:
            pass
    return None


def wait_until_read(server_port, client_port, timeout):
    """Waits until the server has read everything we sent (its receive queue is empty)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server_queue(server_port, client_port) == 0:
            return True
        time.sleep(0.002)  # polling /proc, like socklab's own readiness wait
    return False


def tcp(cfg, readings):
    result = {"transport": "tcp", "cases": []}
    size = cfg["replySize"]
    with socket.create_connection((cfg["host"], cfg["port"]), timeout=3) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        first, second, third = (pack(cfg["format"], r) for r in readings[:3])
        s.sendall(first + second)  # two readings in one segment
        got = read_exactly(s, 2 * size, time.monotonic() + 2)
        result["cases"].append({"case": "coalesced", "bytes": len(first + second), "replies": len(got) // size, "expected": 2})
        half = len(third) // 2
        s.sendall(third[:half])  # one reading split across two segments
        read_first = wait_until_read(cfg["port"], s.getsockname()[1], 1.0)
        try:
            s.sendall(third[half:])
        except OSError as error:
            result["sendError"] = f"{type(error).__name__}: {error}"
        got = read_exactly(s, size, time.monotonic() + 2)
        result["cases"].append({"case": "split", "bytes": [half, len(third) - half], "serverReadFirstHalf": read_first,
                                "replies": len(got) // size, "expected": 1})
    return result


def udp(cfg, readings):
    result = {"transport": "udp", "cases": []}
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("0.0.0.0", 0))
        target = (cfg["host"], cfg["port"])
        valid = pack(cfg["format"], readings[0])
        s.sendto(valid[: max(1, len(valid) // 2)], target)  # truncated
        s.sendto(b"\xff" * (len(valid) + 3), target)  # garbage of another size
        s.sendto(valid, target)  # queued behind the bad ones: answered only if the server survived them
        s.settimeout(1.5)
        replies = 0
        try:
            while replies < 1:
                data, _ = s.recvfrom(65535)
                if len(data) == cfg["replySize"]:
                    replies += 1
        except socket.timeout:
            pass
        except ConnectionRefusedError:
            result["error"] = "the server's port is closed (ICMP port unreachable): it is no longer running"
        result["cases"].append({"case": "after-bad-datagrams", "sent": [max(1, len(valid) // 2), len(valid) + 3, len(valid)],
                                "replies": replies, "expected": 1})
    return result


def main():
    cfg = json.loads(base64.b64decode(sys.argv[1]))
    readings = cfg["readings"] or [[]]
    while len(readings) < 3:
        readings.append(readings[-1])
    try:
        result = (tcp if cfg["transport"] == "tcp" else udp)(cfg, readings)
    except (OSError, struct.error) as error:
        result = {"transport": cfg["transport"], "cases": [], "error": f"{type(error).__name__}: {error}"}
    result["ok"] = "error" not in result and all(c["replies"] >= c["expected"] for c in result["cases"])
    print(json.dumps(result), flush=True)
    sys.exit(0 if result["ok"] else 1)


main()
