#!/usr/bin/env python3
"""Reliable, in-order sensor server over UDP (optional deliverable: reliable UDP).

Usage: python3 sensor_udp_reliable_server.py [port] [host]     (defaults: 9001 127.0.0.1)

Pairs with sensor_udp_reliable_client.py (selective-repeat sliding window; see SENSOR.md).
A session is one (source address, sensor id); its first reading is seq 0. For each valid
reading the server sends the reply (type=2, seq, ok=True), which is the ACK of that seq, and:
  - seq == next expected: delivers it (prints `delivered seq=...`), then every buffered
    reading that now follows in order;
  - seq > next expected: buffers it (out of order), delivered when the gap is filled;
  - seq already delivered or already buffered: a duplicate, not delivered again, re-ACKed
    (our earlier ACK may have been lost).
So each reading is delivered exactly once and in order. Readings further than MAX_AHEAD past
the next expected one are dropped without ACK (the client will retransmit). Sessions silent for
SESSION_IDLE seconds are forgotten. Bad datagrams are reported on stderr and ignored.
"""
import socket
import time

from sensor_common import (UDP_PORT, delivered_line, err, install_signal_handlers, out, pack_reply,
                           server_args, unpack_reading)

MAX_AHEAD = 1024     # readings buffered per session at most
SESSION_IDLE = 60.0  # seconds


class Session:
    def __init__(self):
        self.expected = 0   # next seq to deliver
        self.buffer = {}    # seq -> reading, received out of order, not yet delivered
        self.last_seen = time.monotonic()


def main():
    args = server_args("Reliable, in-order sensor server over UDP.", UDP_PORT)
    install_signal_handlers()
    sessions = {}
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((args.host, args.port))
        out(f"listening on UDP {args.host}:{args.port} (reliable)")
        while True:
            data, addr = sock.recvfrom(65535)
            now = time.monotonic()
            try:
                reading = unpack_reading(data)
            except ValueError as e:
                err(f"ignored datagram from {addr[0]}:{addr[1]}: {e} ({data[:32].hex()})")
                continue
            for key in [k for k, s in sessions.items() if now - s.last_seen > SESSION_IDLE]:
                del sessions[key]
            sensor, seq = reading[0], reading[1]
            session = sessions.setdefault((addr, sensor), Session())
            session.last_seen = now
            if seq < session.expected or seq in session.buffer:
                err(f"duplicate seq={seq} sensor={sensor} from {addr[0]}:{addr[1]}, re-ACKed")
            elif seq >= session.expected + MAX_AHEAD:
                err(f"seq={seq} too far ahead of {session.expected}, dropped")
                continue  # no ACK: the client retransmits it later
            else:
                session.buffer[seq] = reading
                while session.expected in session.buffer:
                    out(delivered_line(session.buffer.pop(session.expected)))
                    session.expected += 1
            try:
                sock.sendto(pack_reply(seq, True), addr)
            except OSError as e:
                err(f"cannot reply to {addr[0]}:{addr[1]}: {e!r}")


if __name__ == "__main__":
    main()
