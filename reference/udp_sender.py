#!/usr/bin/env python3
"""UDP sender (handout section 1.2).

Usage: python3 udp_sender.py [host] [port] [message]   (defaults: localhost 5005 "Hello, world!")

Sends one datagram and exits. The socket is bound to port 0, which asks the operating system
to choose a free ephemeral source port; we print which one it chose, e.g.
"Sent 13 bytes from port 50123".
"""
import socket
import sys

HOST = "localhost"
PORT = 5005
MESSAGE = "Hello, world!"


def main():
    host = sys.argv[1] if len(sys.argv) > 1 else HOST
    port = int(sys.argv[2]) if len(sys.argv) > 2 else PORT
    data = (sys.argv[3] if len(sys.argv) > 3 else MESSAGE).encode("utf-8")

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp_socket:
        udp_socket.bind((host, 0))  # port 0: the OS picks an ephemeral source port
        sent = udp_socket.sendto(data, (host, port))  # one datagram, no handshake
        source_port = udp_socket.getsockname()[1]
    # No reply is expected: UDP does not even tell us whether anyone received it.
    print(f"Sent {sent} bytes from port {source_port}", flush=True)


if __name__ == "__main__":
    main()
