#!/usr/bin/env python3
"""TCP server receiving binary data packed with struct (handout task 1.4).

Usage: python3 struct_server.py [port] [format]      (defaults: 10001 "=iif")

For each connection, reads exactly struct.calcsize(format) bytes (12 for "=iif"), looping on
recv() because TCP may deliver them in pieces, then prints them in hex and unpacked:
    Received "0100000004000000cdcc2c40"
    Unpacked: (1, 4, 2.700000047683716)
(2.7 is sent as a 4-byte float, so it comes back as the nearest float32, 2.700000047683716.)

About the format's first character (see the struct documentation, "Byte Order, Size, and
Alignment"): "=" means NATIVE byte order with standard sizes and no padding -- little-endian on
x86 and most ARM machines -- NOT network order, whatever the handout says. "!" is network order
(big-endian), as are ">"; "<" is little-endian; "@" (or nothing) is native order with native
sizes and alignment. Client and server must use the same format, or the bytes are misread.
"""
import binascii
import signal
import socket
import struct
import sys

HOST = "localhost"
PORT = 10001
FORMAT = "=iif"  # two 4-byte ints and a 4-byte float, native byte order, standard sizes
TIMEOUT = 5      # seconds: a client that stops sending does not block the server forever


def stop(signum, frame):
    """Turns SIGINT/SIGTERM into a clean exit (no traceback)."""
    raise SystemExit(0)


def recv_exactly(conn, size):
    """Reads exactly `size` bytes, or fewer if the client closes first."""
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:  # the client closed its side
            break
        data += chunk
    return data


def handle(connection, client_address, fmt):
    size = struct.calcsize(fmt)
    data = recv_exactly(connection, size)
    print(f'Received "{binascii.hexlify(data).decode()}"', flush=True)
    if len(data) < size:
        print(f"Error: {client_address} closed after {len(data)} of {size} bytes", flush=True)
        return
    print("Unpacked:", struct.unpack(fmt, data), flush=True)
    # Wait for the client to close (reading anything extra), so that we never close with unread
    # data in our receive buffer: that would make our kernel send an RST instead of a FIN.
    extra = 0
    while chunk := connection.recv(4096):
        extra += len(chunk)
    if extra:
        print(f"Ignored {extra} extra bytes from {client_address}", flush=True)


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else PORT
    fmt = sys.argv[2] if len(sys.argv) > 2 else FORMAT
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, port))
        sock.listen()
        while True:
            print("Waiting for incoming connections", flush=True)
            connection, client_address = sock.accept()
            with connection:
                connection.settimeout(TIMEOUT)
                print(f"Connection from {client_address}", flush=True)
                try:
                    handle(connection, client_address, fmt)
                except (socket.timeout, ConnectionError) as e:
                    print(f"Error with {client_address}: {e!r}", flush=True)


if __name__ == "__main__":
    main()
