"""socklab's sensor-protocol probe: sends valid readings built from the student's protocol description in
awkward ways and records, phase by phase, every byte the server sent back. It judges nothing: socklab decodes
the bytes with the student's protocol and decides.

TCP:  "coalesced": two readings in one segment.  "half": the first half of a third reading; the probe waits
      until the server has read it (the server's socket shows an empty receive queue in /proc/net/tcp: an
      event, not a sleep), then listens a little for a reply that would answer half a reading.  "split": the
      rest of that reading.
UDP:  "truncated": the first half of a valid reading.  "garbage": size + 3 bytes 0xff.  Each is sent alone;
      the probe waits until the server has read it (/proc/net/udp) and listens a little for an answer.
      "valid": a valid reading, which must get exactly one reply.
After each phase's expected replies, the probe listens LINGER seconds more for extra ones.

Usage: sensor_probe.py CONFIG
  CONFIG  base64 of a JSON object: {"transport": "tcp"|"udp", "host", "port", "replySize": the smallest
          server message, "readings": [hex of one reading, ...] (three, built by socklab from the protocol)}
Prints one JSON line: {"transport", "phases": [{"phase", "sent": [sizes], "serverRead": bool,
"received": [hex, ...]}], "error"?}: one hex per datagram (UDP) or per recv (TCP). Exits 0 whatever the server did, 2 on the probe's own failure.
"""
import base64
import json
import socket
import sys
import time

LINGER = 0.3  # seconds to listen for more after the replies a phase expects
WAIT = 2.0  # seconds to wait for the expected replies
MAX_BYTES = 65536  # what a phase keeps of a TCP reply stream
MAX_DATAGRAMS = 32  # what a phase keeps of UDP replies


def receive_tcp(sock, want, deadline):
    """Chunks (one per recv) until `want` bytes came or the deadline passed, then whatever else comes within
    LINGER (at most MAX_BYTES: a server that floods cannot keep the probe listening)."""
    chunks = []
    got = 0
    closed = False
    end = deadline if want > 0 else time.monotonic() + LINGER
    lingering = want <= 0
    while got < MAX_BYTES:
        now = time.monotonic()
        if now >= end:
            break
        sock.settimeout(end - now)
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            break
        except OSError:
            closed = True
            break
        if not chunk:
            closed = True
            break
        chunks.append(chunk)
        got += len(chunk)
        if not lingering and got >= want:
            lingering = True
            end = min(end, time.monotonic() + LINGER)  # got what we waited for: listen a little more
    return [c.hex() for c in chunks], closed


def receive_udp(sock, want, deadline):
    """Datagrams until `want` came or the deadline passed, then whatever else comes within LINGER (at most
    MAX_DATAGRAMS)."""
    got = []
    end = deadline if want > 0 else time.monotonic() + LINGER
    lingering = want <= 0
    while len(got) < MAX_DATAGRAMS:
        now = time.monotonic()
        if now >= end:
            break
        sock.settimeout(end - now)
        try:
            data, _ = sock.recvfrom(65535)
        except socket.timeout:
            break
        except ConnectionRefusedError:
            return got, "the server's port is closed (ICMP port unreachable): it is no longer running"
        got.append(data)
        if not lingering and len(got) >= want:
            lingering = True
            end = min(end, time.monotonic() + LINGER)
    return got, None


def server_queue(table, server_port, client_port):
    """Bytes waiting in the server's receive queue (for our connection, with TCP); None when not found."""
    for name in (f"/proc/net/{table}", f"/proc/net/{table}6"):
        try:
            with open(name) as f:
                next(f)
                for line in f:
                    parts = line.split()
                    local, remote, queues = parts[1], parts[2], parts[4]
                    if int(local.split(":")[1], 16) != server_port:
                        continue
                    if client_port is not None and int(remote.split(":")[1], 16) != client_port:
                        continue
                    return int(queues.split(":")[1], 16)
        except OSError:
            pass
    return None


def wait_until_read(table, server_port, client_port, timeout=1.0):
    """Waits until the server has read everything we sent (its receive queue is empty)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server_queue(table, server_port, client_port) == 0:
            return True
        time.sleep(0.002)  # polling /proc, like socklab's own readiness wait
    return False


def tcp(cfg, readings, phases):
    size = max(1, cfg["replySize"])
    with socket.create_connection((cfg["host"], cfg["port"]), timeout=3) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        first, second, third = readings[:3]
        s.sendall(first + second)
        data, closed = receive_tcp(s, 2 * size, time.monotonic() + WAIT)
        phases.append({"phase": "coalesced", "sent": [len(first), len(second)], "received": data,
                       "closed": closed})
        if closed:
            return
        half = len(third) // 2
        s.sendall(third[:half])
        read = wait_until_read("tcp", cfg["port"], s.getsockname()[1])
        data, closed = receive_tcp(s, 0, time.monotonic())  # nothing is due: listen LINGER only
        phases.append({"phase": "half", "sent": [half], "serverRead": read, "received": data,
                       "closed": closed})
        if closed:
            return
        s.sendall(third[half:])
        data, closed = receive_tcp(s, size, time.monotonic() + WAIT)
        phases.append({"phase": "split", "sent": [len(third) - half], "received": data, "closed": closed})


def udp(cfg, readings, phases):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("0.0.0.0", 0))
        target = (cfg["host"], cfg["port"])
        valid, other = readings[0], readings[1]
        for name, payload in (("truncated", other[: max(1, len(other) // 2)]), ("garbage", b"\xff" * (len(valid) + 3))):
            s.sendto(payload, target)
            read = wait_until_read("udp", cfg["port"], None)
            got, error = receive_udp(s, 0, time.monotonic())  # nothing is due: listen LINGER only
            phases.append({"phase": name, "sent": [len(payload)], "serverRead": read,
                           "received": [d.hex() for d in got]})
            if error:
                return error
        s.sendto(valid, target)
        got, error = receive_udp(s, 1, time.monotonic() + 1.5)
        phases.append({"phase": "valid", "sent": [len(valid)], "received": [d.hex() for d in got]})
        return error


def main():
    cfg = json.loads(base64.b64decode(sys.argv[1]))
    readings = [bytes.fromhex(r) for r in cfg["readings"]] or [b""]
    while len(readings) < 3:
        readings.append(readings[-1])
    result = {"transport": cfg["transport"], "phases": []}
    try:
        if cfg["transport"] == "tcp":
            tcp(cfg, readings, result["phases"])
        else:
            error = udp(cfg, readings, result["phases"])
            if error:
                result["serverGone"] = error
    except OSError as error:  # the server refused, reset or closed the connection: its doing
        result["serverGone"] = f"{type(error).__name__}: {error}"
    except ValueError as error:  # the probe could not read its own configuration: socklab's fault
        result["error"] = f"{type(error).__name__}: {error}"
        print(json.dumps(result), flush=True)
        sys.exit(2)
    print(json.dumps(result), flush=True)


main()
