"""socklab's UDP echo probe: sends datagrams of several sizes, one at a time, and reports for each whether
it came back intact. Each datagram's payload is distinct, so a late reply is never taken for the next one.
Prints one JSON line; exits 0 whatever the server did (the grader judges the report), 2 on its own failure.

Usage: udp_echo_probe.py HOST PORT [SIZE ...]
"""
import json
import socket
import sys
import time

host, port = sys.argv[1], int(sys.argv[2])
sizes = [int(a) for a in sys.argv[3:]] or [1, 100, 512, 1400, 8000]
WAIT = 1.5  # seconds for each reply
results = []
try:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("0.0.0.0", 0))
        for n, size in enumerate(sizes):
            payload = bytes((i * 11 + size + n) % 94 + 33 for i in range(size))
            s.sendto(payload, (host, port))
            entry = {"size": size, "replySize": None, "intact": False}
            deadline = time.monotonic() + WAIT
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    entry.setdefault("error", f"no reply within {WAIT} s")
                    break
                s.settimeout(left)
                try:
                    data, source = s.recvfrom(65535)
                except socket.timeout:
                    continue
                except ConnectionRefusedError:  # ICMP port unreachable: the server is gone, its doing
                    entry["error"] = "the server's port is closed (it is no longer running)"
                    break
                if data == payload:
                    entry.update(replySize=len(data), intact=True, source=f"{source[0]}:{source[1]}")
                    entry.pop("error", None)
                    break
                if payload.startswith(data) and data:
                    # The server's recv buffer cut the datagram: record it, wait no longer.
                    entry.update(replySize=len(data), source=f"{source[0]}:{source[1]}")
                    entry["error"] = f"came back cut to {len(data)} bytes"
                    break
                entry["error"] = f"a {len(data)}-byte reply that is not this datagram's bytes"
            results.append(entry)
except OSError as error:
    print(json.dumps({"ok": False, "error": f"{type(error).__name__}: {error}", "datagrams": results}), flush=True)
    sys.exit(2)
print(json.dumps({"ok": all(r["intact"] for r in results), "datagrams": results}), flush=True)
