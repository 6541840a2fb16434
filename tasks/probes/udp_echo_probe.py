"""socklab's UDP echo probe: sends datagrams of several sizes, one at a time, and checks that each comes back
intact from the server's address. Prints one JSON line; exits 0 when every reply was right.

Usage: udp_echo_probe.py HOST PORT [SIZE ...]
"""
import json
import socket
import sys

host, port = sys.argv[1], int(sys.argv[2])
sizes = [int(a) for a in sys.argv[3:]] or [1, 100, 1400, 8000]
results = []
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    s.bind(("0.0.0.0", 0))
    s.settimeout(1.5)
    for size in sizes:
        payload = bytes((i * 11 + size) % 94 + 33 for i in range(size))
        s.sendto(payload, (host, port))
        entry = {"size": size}
        try:
            data, source = s.recvfrom(65535)
            entry["replySize"] = len(data)
            entry["intact"] = data == payload
            entry["from"] = f"{source[0]}:{source[1]}"
        except socket.timeout:
            entry["replySize"] = None
            entry["intact"] = False
            entry["error"] = "no reply within 1.5 s"
        results.append(entry)
ok = all(r["intact"] for r in results)
print(json.dumps({"ok": ok, "datagrams": results}), flush=True)
sys.exit(0 if ok else 1)
