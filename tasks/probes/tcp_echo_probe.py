"""socklab's TCP echo probe: sends a payload larger than one recv() buffer, in pieces, and checks that every
byte comes back in order. Prints one JSON line with what happened (a connection refused or reset by the
server is a "problem" of the server's); exits 0 whatever the server did.

Usage: tcp_echo_probe.py HOST PORT [SIZE] [PIECE]
"""
import json
import socket
import sys
import time

host, port = sys.argv[1], int(sys.argv[2])
size = int(sys.argv[3]) if len(sys.argv) > 3 else 6000
piece = int(sys.argv[4]) if len(sys.argv) > 4 else 700
payload = bytes((i * 7) % 94 + 33 for i in range(size))  # deterministic printable ASCII, both cases
received = bytearray()
result = {"sent": 0, "received": 0, "size": size, "piece": piece}
try:
    with socket.create_connection((host, port), timeout=3) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for start in range(0, size, piece):
            s.sendall(payload[start:start + piece])
            result["sent"] += len(payload[start:start + piece])
            time.sleep(0.01)  # separate segments, so a server that expects one recv() per message shows it
        s.settimeout(3)
        try:
            while len(received) < size:
                chunk = s.recv(65536)
                if not chunk:
                    break
                received.extend(chunk)
        except (socket.timeout, ConnectionResetError) as error:
            result["problem"] = f"{type(error).__name__}: {error}"
except OSError as error:
    result["problem"] = f"{type(error).__name__}: {error}"
result["received"] = len(received)
same = 0
while same < min(len(received), size) and received[same] == payload[same]:
    same += 1
result["firstDifference"] = None if (same == size and len(received) == size) else same
result["ok"] = result["firstDifference"] is None
print(json.dumps(result), flush=True)
# The grader judges the report; exit 0 whatever the server did.
