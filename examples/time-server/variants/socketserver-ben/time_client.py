#!/usr/bin/env python3
"""Ben's UDP time client.

Usage: python3 time_client.py host port

Uses a *connected* UDP socket: connect() fixes the peer, so plain send()/recv()
work and only datagrams from that server are accepted. Waits at most 2 s.
"""
import socket
import sys


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(2.0)
    try:
        sock.connect((host, port))
        sock.send(b"TIME")
        seconds = sock.recv(100).decode("ascii").strip()
        float(seconds)  # must be a number ("1765084800" or "...800.123")
    except socket.timeout:
        print("no answer from the time server after 2 seconds", file=sys.stderr)
        return 1
    except (OSError, ValueError) as err:  # refused, bad host, bad reply...
        print(f"time request failed: {err}", file=sys.stderr)
        return 1
    finally:
        sock.close()
    print(f"It is {seconds} seconds since 1970")
    return 0


if __name__ == "__main__":
    sys.exit(main())
