#!/usr/bin/env python3
"""Sensor server over TCP (deliverable task 1), one client at a time.

Usage: python3 sensor_tcp_server.py [port] [host]        (defaults: 9000 127.0.0.1)

TCP is a byte stream: one recv() may hold two readings, or half of one. So the server reads
exactly READING_SIZE (20) bytes per message, looping on recv(), and keeps any surplus for the
next message. For each reading it prints
    delivered seq=<n> sensor=<id> temperature=<t> humidity=<h> pressure=<p> alarm=<a>
and replies (type=2, seq, ok=True). A message with the wrong type means the stream is out of
step, so that connection is closed (reported on stderr); the server keeps serving.
"""
import socket

from sensor_common import (READING_SIZE, TCP_PORT, delivered_line, err, install_signal_handlers,
                           out, pack_reply, server_args, unpack_reading)

IDLE_TIMEOUT = 60  # seconds without any byte from a client before we drop it


class StreamReader:
    """Reads exact-size messages from a TCP socket, whatever the segmentation."""

    def __init__(self, conn):
        self.conn = conn
        self.buffer = b""

    def read_exactly(self, size):
        """Returns `size` bytes, b"" on a clean close between messages; raises EOFError mid-message."""
        while len(self.buffer) < size:
            chunk = self.conn.recv(4096)
            if not chunk:
                if self.buffer:
                    raise EOFError(f"connection closed after {len(self.buffer)} of {size} bytes")
                return b""
            self.buffer += chunk
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data


def handle_client(conn, addr):
    """Serves one connection until the client closes it. Never raises for network errors."""
    out(f"connection from {addr[0]}:{addr[1]}")
    conn.settimeout(IDLE_TIMEOUT)
    reader = StreamReader(conn)
    count = 0
    try:
        while True:
            data = reader.read_exactly(READING_SIZE)
            if not data:
                break
            try:
                reading = unpack_reading(data)
            except ValueError as e:
                err(f"bad message from {addr[0]}:{addr[1]}: {e} ({data.hex()}); closing the connection")
                break
            out(delivered_line(reading))
            conn.sendall(pack_reply(reading[1], True))
            count += 1
    except EOFError as e:
        err(f"{addr[0]}:{addr[1]}: {e}")
    except socket.timeout:
        err(f"{addr[0]}:{addr[1]}: idle for {IDLE_TIMEOUT} s, closing")
    except OSError as e:
        err(f"{addr[0]}:{addr[1]}: {e!r}")
    finally:
        conn.close()
    out(f"connection from {addr[0]}:{addr[1]} closed after {count} readings")


def listen(host, port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen()
    out(f"listening on TCP {host}:{port}")
    return sock


def main():
    args = server_args("Sensor server over TCP, one client at a time.", TCP_PORT)
    install_signal_handlers()
    with listen(args.host, args.port) as sock:
        while True:
            conn, addr = sock.accept()
            handle_client(conn, addr)


if __name__ == "__main__":
    main()
