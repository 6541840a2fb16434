#!/usr/bin/env python3
"""Reliable, in-order sensor client over UDP (optional deliverable: reliable UDP).

Usage: python3 sensor_udp_reliable_client.py [host] [port] [--count N] [--interval S]
           [--sensor ID] [--seed S] [--window W] [--rto S] [--max-rto S] [--max-tries N]
       (defaults: 127.0.0.1 9001, 20 readings every 0.2 s, sensor 1, random seed,
        window 8, first timeout 0.1 s doubling up to 1 s, 6 tries per reading)

Selective-repeat sliding window (--window 1 is stop-and-wait). Reading k (seq k, from 0) is
first sent at start + k*interval (monotonic clock) if fewer than W readings are unacknowledged,
else as soon as one is. Each unacknowledged reading has its own timer: on expiry it is sent
again and its timeout doubles (capped at --max-rto). The reply (type 2, seq) is the ACK of that
seq; duplicate ACKs are ignored. If a reading is still unacknowledged after --max-tries sends,
the client gives up: the server delivers in order, so nothing after that reading can be
delivered either. It then prints which readings were not acknowledged and exits 1. So it ends at
most (sum of the timeouts of one reading) = 0.1+0.2+0.4+0.8+1+1 = 3.5 s (defaults) after the last
reading it could send, even if the link delivers nothing. Exit 0 when every reading was ACKed.
"""
import select
import socket
import sys
import time

from sensor_common import (UDP_PORT, Generator, Schedule, client_args, describe, err,
                           install_signal_handlers, out, pack_reading, unpack_reply)


def options(ap):
    ap.add_argument("--window", type=int, default=8, help="readings unacknowledged at once (default 8; 1 = stop-and-wait)")
    ap.add_argument("--rto", type=float, default=0.1, help="first retransmission timeout, s (default 0.1)")
    ap.add_argument("--max-rto", type=float, default=1.0, help="cap of the doubling timeout, s (default 1)")
    ap.add_argument("--max-tries", type=int, default=6, help="sends per reading before giving up (default 6)")


class Outstanding:
    def __init__(self, payload, now, rto):
        self.payload = payload
        self.tries = 1
        self.rto = rto
        self.deadline = now + rto


def ranges(seqs):
    """[0,1,2,5,7,8] -> '0-2 5 7-8'."""
    parts, seqs = [], sorted(seqs)
    i = 0
    while i < len(seqs):
        j = i
        while j + 1 < len(seqs) and seqs[j + 1] == seqs[j] + 1:
            j += 1
        parts.append(str(seqs[i]) if i == j else f"{seqs[i]}-{seqs[j]}")
        i = j + 1
    return " ".join(parts)


def main():
    args = client_args("Reliable, in-order sensor client over UDP.", UDP_PORT, options)
    if args.window < 1 or args.max_tries < 1 or args.rto <= 0 or args.max_rto < args.rto:
        err("need --window >= 1, --max-tries >= 1, 0 < --rto <= --max-rto")
        return 2
    install_signal_handlers()
    gen = Generator(args.seed)
    try:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.connect((args.host, args.port))
    except OSError as e:
        err(f"cannot use {args.host}:{args.port}: {e}")
        return 1

    def send(payload):
        try:
            sock.send(payload)
        except ConnectionRefusedError:  # ICMP port unreachable: treat like a loss
            pass

    outstanding = {}  # seq -> Outstanding
    next_seq = 0      # next reading not yet sent
    failed = None     # seq of the reading we gave up on
    retransmissions = 0
    sched = Schedule(args.interval)
    with sock:
        while next_seq < args.count or outstanding:
            now = time.monotonic()
            # 1. a new reading, if due and the window has room
            if next_seq < args.count and len(outstanding) < args.window:
                sched.rebase_if_late(next_seq, now)
                if now >= sched.due(next_seq):
                    values = gen.values()
                    payload = pack_reading(args.sensor, next_seq, *values)
                    send(payload)
                    out("sent " + describe(args.sensor, next_seq, *values))
                    outstanding[next_seq] = Outstanding(payload, now, args.rto)
                    next_seq += 1
                    continue
            # 2. retransmissions
            for seq in sorted(outstanding):
                o = outstanding[seq]
                if o.deadline <= now:
                    if o.tries >= args.max_tries:
                        failed = seq
                        break
                    send(o.payload)
                    o.tries += 1
                    retransmissions += 1
                    o.rto = min(o.rto * 2, args.max_rto)
                    o.deadline = now + o.rto
                    err(f"retransmit seq={seq} try={o.tries}")
            if failed is not None:
                break
            # 3. wait for an ACK until the next timer or the next reading is due
            wake = [o.deadline for o in outstanding.values()]
            if next_seq < args.count and len(outstanding) < args.window:
                wake.append(sched.due(next_seq))
            timeout = max(0.0, min(wake) - time.monotonic()) if wake else 0.0
            if not select.select([sock], [], [], timeout)[0]:
                continue
            try:
                data = sock.recv(65535)
            except ConnectionRefusedError:
                continue
            try:
                seq, ok = unpack_reply(data)
            except ValueError as e:
                err(f"ignored bad reply: {e}")
                continue
            if outstanding.pop(seq, None) is not None:
                out(f"reply seq={seq} ok={ok}")
    if failed is not None:
        missing = list(outstanding) + list(range(next_seq, args.count))
        err(f"gave up: seq={failed} not acknowledged after {args.max_tries} tries; "
            f"readings not acknowledged: seq {ranges(missing)} "
            f"({len(missing)} of {args.count}; with in-order delivery nothing after seq={failed} is delivered)")
        return 1
    out(f"all {args.count} readings acknowledged ({retransmissions} retransmissions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
