#!/usr/bin/env python3
"""TCP echo client (handout section 1.1).

Usage: python3 client_echo.py [host] [port] [message]   (defaults: 127.0.0.1 65432 "Hello, world")

TCP is a byte stream, not a message service: one recv() may return only part of the echo
(the server may echo it in several pieces). So we keep calling recv() until we have as many
bytes as we sent. Prints e.g. "Received b'Hello, world'" and exits 0; exits 1 with a message
if the server closes early or does not answer within 5 seconds.
"""
import socket
import sys

HOST = "127.0.0.1"  # Server IP
PORT = 65432        # Server listen port
MESSAGE = "Hello, world"
TIMEOUT = 5         # seconds, for connecting and for each recv()


def main():
    host = sys.argv[1] if len(sys.argv) > 1 else HOST
    port = int(sys.argv[2]) if len(sys.argv) > 2 else PORT
    message = (sys.argv[3] if len(sys.argv) > 3 else MESSAGE).encode("utf-8")

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(TIMEOUT)
        try:
            s.connect((host, port))  # three-way handshake
            s.sendall(message)
            data = b""
            while len(data) < len(message):  # loop: the echo may arrive in pieces
                chunk = s.recv(1024)
                if not chunk:  # the server closed before echoing everything
                    sys.exit(f"Error: the server closed the connection after echoing "
                             f"{len(data)} of {len(message)} bytes: {data!r}")
                data += chunk
        except socket.timeout:
            sys.exit(f"Error: no complete echo from {host}:{port} within {TIMEOUT} s")
        except OSError as e:
            sys.exit(f"Error: cannot talk to {host}:{port}: {e}")
    # Leaving the with-block closed the socket: our FIN, then the server's.

    print(f"Received {data!r}", flush=True)


if __name__ == "__main__":
    main()
