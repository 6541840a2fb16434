"""socklab's concurrency probe for the threaded echo server: opens N connections one after the other and keeps
them all open; on each, as soon as it is open, sends one line and waits for it to come back (anything the
server sends first, such as a welcome banner, is read and kept). A server that serves one client at a time
never answers connection 2 while connection 1 is open. At the end each connection sends the quit word, half-
closes, and reads until the server closes.

Prints one JSON line; exits 0 whatever the server did (the grader judges the report), 2 on its own failure.

Usage: threaded_echo_probe.py HOST PORT CLIENTS QUIT [WAIT_SECONDS]
"""
import json
import socket
import sys
import time

host, port = sys.argv[1], int(sys.argv[2])
clients = int(sys.argv[3])
quit_word = sys.argv[4]
wait = float(sys.argv[5]) if len(sys.argv) > 5 else 3.0
started = time.monotonic()


def now_ms():
    return round((time.monotonic() - started) * 1000)


def read_until(sock, needle, buffer, deadline):
    """Reads into `buffer` until it holds `needle` (True), the deadline passes, the server closes or sends
    more than a MiB without it (False)."""
    while needle not in buffer and len(buffer) < 1 << 20:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        sock.settimeout(left)
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            return False
        except OSError:
            return False
        if not chunk:
            return False
        buffer.extend(chunk)
    return needle in buffer


connections = []
report = {"clients": clients, "connections": connections}
try:
    for k in range(1, clients + 1):
        entry = {"index": k, "connectedAtMs": None, "echoed": False, "echoAtMs": None, "othersOpen": 0,
                 "echoedAgain": None}
        connections.append(entry)
        try:
            sock = socket.create_connection((host, port), timeout=wait)
        except OSError as error:
            entry["error"] = f"could not connect: {type(error).__name__}: {error}"
            entry["sock"] = None
            continue
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        entry["sock"] = sock
        entry["connectedAtMs"] = now_ms()
        buffer = bytearray()
        line = f"probe {k} says hola {k * 7}".encode()
        # A newline ends the line for a server that reads lines; a byte-for-byte echo sends it back too.
        sock.sendall(line + b"\n")
        entry["echoed"] = read_until(sock, line, buffer, time.monotonic() + wait)
        entry["echoAtMs"] = now_ms() if entry["echoed"] else None
        entry["othersOpen"] = sum(1 for c in connections[:-1] if c.get("sock") is not None)
        entry["received"] = buffer[:200].decode("utf-8", errors="replace")
        if not entry["echoed"]:
            entry["error"] = f"no echo of {line.decode()!r} within {wait} s"
            break  # not served while the others are open: no need to make the rest wait too
    # Every connection once more, all of them open: the first clients are still served after the others came.
    if all(c["echoed"] for c in connections) and len(connections) == clients:
        for entry in connections:
            sock, buffer = entry["sock"], bytearray()
            line = f"probe {entry['index']} again {entry['index'] * 11}".encode()
            sock.sendall(line + b"\n")
            entry["echoedAgain"] = read_until(sock, line, buffer, time.monotonic() + wait)
            if not entry["echoedAgain"]:
                entry["error"] = f"no echo of {line.decode()!r} within {wait} s, after the other connections opened"
                break
    for entry in connections:
        sock = entry.pop("sock", None)
        if sock is None:
            continue
        try:
            sock.sendall(quit_word.encode())
            sock.shutdown(socket.SHUT_WR)
            # Read until the server closes, for at most a second in all (a flooding server cannot hold us).
            drain_until = time.monotonic() + 1.0
            while time.monotonic() < drain_until:
                sock.settimeout(max(0.01, drain_until - time.monotonic()))
                if not sock.recv(65536):
                    break
        except OSError:
            pass
        finally:
            sock.close()
except Exception as error:  # socklab's own failure, not the server's
    for entry in connections:
        entry.pop("sock", None)
    report["error"] = f"{type(error).__name__}: {error}"
    print(json.dumps(report), flush=True)
    sys.exit(2)
report["ok"] = len(connections) == clients and all(c["echoed"] and c.get("echoedAgain") for c in connections)
print(json.dumps(report), flush=True)
