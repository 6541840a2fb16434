#!/usr/bin/env python3
"""UDP echo server (handout task 1.3).

Usage: python3 udp_echo_server.py [port] [host]      (defaults: 5005 localhost)

Loops forever: receives one datagram with recvfrom() and sends the very same bytes back with
sendto() to the exact address (IP and port) the datagram came from. UDP has no connection,
so the source address returned by recvfrom() is the only way to know where to reply.
"""
import signal
import socket
import sys

HOST = "localhost"
PORT = 5005
BUFSIZE = 65535  # the largest UDP payload: smaller buffers silently truncate big datagrams


def preview(data):
    """The bytes as Python shows them, shortened when long."""
    if len(data) <= 64:
        return repr(data)
    return f"{len(data)} bytes {data[:32]!r}..."


def stop(signum, frame):
    """Turns SIGINT/SIGTERM into a clean exit (no traceback)."""
    raise SystemExit(0)


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else PORT
    host = sys.argv[2] if len(sys.argv) > 2 else HOST
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp_socket:
        udp_socket.bind((host, port))
        print(f"UDP echo server on {host}:{port}", flush=True)
        while True:
            data, addr = udp_socket.recvfrom(BUFSIZE)
            udp_socket.sendto(data, addr)  # reply to the exact source address and port
            print(f"Echoed {preview(data)} to {addr}", flush=True)


if __name__ == "__main__":
    main()
