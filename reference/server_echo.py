#!/usr/bin/env python3
"""TCP echo server (handout section 1.1), made robust.

Usage: python3 server_echo.py [port] [host]      (defaults: 65432 127.0.0.1)

Unlike the handout's version, which serves a single client and exits, this server accepts
connections in a loop, one after another. For each client it echoes back every chunk that
recv() returns, using sendall() (send() may send only part of a buffer), until the client
closes its side (recv() returns b''). SIGINT (Ctrl+C) and SIGTERM stop it cleanly.
"""
import signal
import socket
import sys

HOST = "127.0.0.1"  # Loopback interface (localhost): only local processes can connect
PORT = 65432        # Listen port (ports above 1023 are non-privileged)


def stop(signum, frame):
    """Turns SIGINT/SIGTERM into a clean exit (no traceback): the with-blocks close the sockets."""
    raise SystemExit(0)


def serve(host, port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        # Lets us restart the server at once, even while old connections are in TIME_WAIT.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((host, port))
        s.listen()
        print(f"Listening on {host}:{port}", flush=True)
        while True:  # one client after another
            conn, addr = s.accept()  # blocks until a client completes the three-way handshake
            with conn:  # closes the connection (our FIN) when the block ends
                print(f"Connected by {addr}", flush=True)
                try:
                    while True:
                        data = conn.recv(1024)  # up to 1024 bytes: any amount may arrive
                        if not data:  # b'': the client closed its side (its FIN arrived)
                            break
                        conn.sendall(data)  # echo exactly these bytes, all of them
                except ConnectionError as e:  # e.g. the client reset the connection
                    print(f"Connection with {addr} failed: {e}", flush=True)
            print(f"Disconnected {addr}", flush=True)


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else PORT
    host = sys.argv[2] if len(sys.argv) > 2 else HOST
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        serve(host, port)
    finally:
        print("Server stopped", flush=True)


if __name__ == "__main__":
    main()
