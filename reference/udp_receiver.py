#!/usr/bin/env python3
"""UDP receiver (handout section 1.2).

Usage: python3 udp_receiver.py [port] [host]      (defaults: 5005 localhost)

Binds a UDP socket and prints every datagram it receives, with the sender's address, e.g.
"Received b'Hello, world!' from ('127.0.0.1', 50123)". Runs until SIGINT/SIGTERM.
UDP has no connections: no listen(), no accept(); each recvfrom() returns one whole datagram.
"""
import signal
import socket
import sys

HOST = "localhost"
PORT = 5005
BUFSIZE = 65535  # the largest possible UDP payload: a datagram is never cut short


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
        print(f"Waiting for datagrams on {host}:{port}", flush=True)
        while True:
            # recvfrom() also tells us who sent the datagram (recv() would not).
            data, addr = udp_socket.recvfrom(BUFSIZE)
            print(f"Received {data!r} from {addr}", flush=True)


if __name__ == "__main__":
    main()
