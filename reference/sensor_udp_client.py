#!/usr/bin/env python3
"""Sensor client over UDP (deliverable task 1).

Usage: python3 sensor_udp_client.py [host] [port] [--count N] [--interval S] [--sensor ID]
                                    [--seed S] [--timeout S]
       (defaults: 127.0.0.1 9001, 20 readings, every 0.2 s, sensor 1, random seed, 1 s final wait)

Sends one datagram per reading, reading k at start + k*interval (monotonic clock). Replies are
collected while waiting for the next period and printed as `reply seq=<n> ok=<b>`; after the
last reading it waits up to --timeout for the missing ones. Plain UDP does not retransmit: lost
replies are listed on stderr, and the exit status is still 0 (1 only for a local socket error).
"""
import select
import socket
import sys
import time

from sensor_common import (UDP_PORT, Generator, Schedule, client_args, describe, err,
                           install_signal_handlers, out, pack_reading, unpack_reply)


def collect(sock, until, pending, stop_when_done=False):
    """Receives and prints replies until the monotonic time `until` (with stop_when_done: or until none
    are pending)."""
    while True:
        if stop_when_done and not pending:
            return
        left = until - time.monotonic()
        if left <= 0:
            return
        if not select.select([sock], [], [], left)[0]:
            return
        try:
            data = sock.recv(65535)
        except ConnectionRefusedError:  # ICMP port unreachable from an earlier datagram
            err("server port unreachable (is the server running?)")
            continue
        try:
            seq, ok = unpack_reply(data)
        except ValueError as e:
            err(f"ignored bad reply: {e}")
            continue
        if seq in pending:
            pending.discard(seq)
            out(f"reply seq={seq} ok={ok}")


def main():
    args = client_args("Sensor client over UDP.", UDP_PORT, lambda ap: ap.add_argument(
        "--timeout", type=float, default=1.0, help="seconds to wait for late replies at the end (default 1)"))
    install_signal_handlers()
    gen = Generator(args.seed)
    pending = set()
    try:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.connect((args.host, args.port))  # fixes the peer: only its datagrams are received
    except OSError as e:
        err(f"cannot use {args.host}:{args.port}: {e}")
        return 1
    with sock:
        sched = Schedule(args.interval)
        for seq in range(args.count):
            sched.rebase_if_late(seq, time.monotonic())
            collect(sock, sched.due(seq), pending)
            values = gen.values()
            try:
                sock.send(pack_reading(args.sensor, seq, *values))
            except ConnectionRefusedError:
                err("server port unreachable (is the server running?)")
            pending.add(seq)
            out("sent " + describe(args.sensor, seq, *values))
        deadline = time.monotonic() + args.timeout
        collect(sock, deadline, pending, stop_when_done=True)
    if pending:
        err(f"no reply for {len(pending)} of {args.count} readings: seq " + " ".join(map(str, sorted(pending))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
