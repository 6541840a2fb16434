"""socklab's sensor-protocol probe: sends valid readings built from the student's protocol description in
awkward ways and checks that each gets its reply.

TCP:  two readings coalesced in one segment, then one reading split across two segments.
UDP:  a truncated datagram and a garbage one (the server must survive them), then a valid reading.

Usage: sensor_probe.py tcp|udp HOST PORT FORMAT REPLY_SIZE VALUES_JSON [VALUES_JSON ...]
  FORMAT       the reading's struct format, e.g. '!BHIfff?'
  REPLY_SIZE   bytes of one reply (struct.calcsize of the reply format)
  VALUES_JSON  one reading's values as a JSON list (booleans, numbers, strings for s/c)
Prints one JSON line; exits 0 when every valid reading got its reply.
"""
import json
import socket
import struct
import sys
import time


def pack(fmt, values):
    converted = [v.encode() if isinstance(v, str) else v for v in values]
    return struct.pack(fmt, *converted)


def read_exactly(sock, size, deadline):
    data = b""
    while len(data) < size:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        chunk = sock.recv(size - len(data))
        if not chunk:
            break
        data += chunk
    return data


def tcp(host, port, fmt, reply_size, readings):
    result = {"transport": "tcp", "cases": []}
    with socket.create_connection((host, port), timeout=3) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        first, second, third = (pack(fmt, r) for r in readings[:3])
        s.sendall(first + second)  # two readings in one segment
        got = read_exactly(s, 2 * reply_size, time.monotonic() + 2)
        result["cases"].append({"case": "coalesced", "replies": len(got) // reply_size, "expected": 2})
        half = len(third) // 2
        s.sendall(third[:half])  # one reading split across two segments
        time.sleep(0.05)
        s.sendall(third[half:])
        got = read_exactly(s, reply_size, time.monotonic() + 2)
        result["cases"].append({"case": "split", "replies": len(got) // reply_size, "expected": 1})
    return result


def udp(host, port, fmt, reply_size, readings):
    result = {"transport": "udp", "cases": []}
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("0.0.0.0", 0))
        valid = pack(fmt, readings[0])
        s.sendto(valid[: max(1, len(valid) // 2)], (host, port))  # truncated
        s.sendto(b"\xff" * (len(valid) + 3), (host, port))  # garbage of another size
        time.sleep(0.05)
        s.settimeout(1.5)
        s.sendto(valid, (host, port))
        replies = 0
        try:
            while replies < 1:
                data, _ = s.recvfrom(65535)
                if len(data) == reply_size:
                    replies += 1
        except socket.timeout:
            pass
        result["cases"].append({"case": "after-bad-datagrams", "replies": replies, "expected": 1})
    return result


def main():
    transport, host, port, fmt, reply_size = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
    readings = [json.loads(a) for a in sys.argv[6:]] or [[]]
    while len(readings) < 3:
        readings.append(readings[-1])
    try:
        result = (tcp if transport == "tcp" else udp)(host, port, fmt, reply_size, readings)
    except OSError as error:
        result = {"transport": transport, "cases": [], "error": f"{type(error).__name__}: {error}"}
    result["ok"] = "error" not in result and all(c["replies"] >= c["expected"] for c in result["cases"])
    print(json.dumps(result), flush=True)
    sys.exit(0 if result["ok"] else 1)


main()
