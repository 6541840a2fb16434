#!/usr/bin/env python3
"""Sensor server over UDP (deliverable task 1).

Usage: python3 sensor_udp_server.py [port] [host]        (defaults: 9001 127.0.0.1)

One datagram is one reading (20 bytes). For each valid one the server prints
    delivered seq=<n> sensor=<id> temperature=<t> humidity=<h> pressure=<p> alarm=<a>
and sends the reply (type=2, seq, ok=True) to the datagram's source address. A datagram of the
wrong size or type is reported on stderr and ignored; the server keeps running. No loss
recovery here: see sensor_udp_reliable_server.py.
"""
import socket

from sensor_common import (UDP_PORT, delivered_line, err, install_signal_handlers, out, pack_reply,
                           server_args, unpack_reading)


def main():
    args = server_args("Sensor server over UDP.", UDP_PORT)
    install_signal_handlers()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((args.host, args.port))
        out(f"listening on UDP {args.host}:{args.port}")
        while True:
            data, addr = sock.recvfrom(65535)
            try:
                reading = unpack_reading(data)
            except ValueError as e:
                err(f"ignored datagram from {addr[0]}:{addr[1]}: {e} ({data[:32].hex()})")
                continue
            out(delivered_line(reading))
            try:
                sock.sendto(pack_reply(reading[1], True), addr)
            except OSError as e:
                err(f"cannot reply to {addr[0]}:{addr[1]}: {e!r}")


if __name__ == "__main__":
    main()
