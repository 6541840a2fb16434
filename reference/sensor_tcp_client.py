#!/usr/bin/env python3
"""Sensor client over TCP (deliverable task 1).

Usage: python3 sensor_tcp_client.py [host] [port] [--count N] [--interval S] [--sensor ID]
                                    [--seed S] [--timeout S]
       (defaults: 127.0.0.1 9000, 20 readings, every 0.2 s, sensor 1, random seed, 2 s timeout)

Sends `count` random readings (seq 0, 1, ...), reading k at start + k*interval on the monotonic
clock, and waits for each reply (type 2, same seq) before the next period, printing
    sent seq=<n> sensor=... temperature=... humidity=... pressure=... alarm=...
    reply seq=<n> ok=<b>
Exits 0 when every reading was acknowledged; 1 on a timeout, a bad reply or a closed connection.
"""
import socket
import sys

from sensor_common import (REPLY_SIZE, TCP_PORT, Generator, Schedule, client_args, describe, err,
                           install_signal_handlers, out, pack_reading, unpack_reply)


def recv_exactly(sock, size):
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError(f"server closed the connection after {len(data)} of {size} bytes")
        data += chunk
    return data


def main():
    args = client_args("Sensor client over TCP.", TCP_PORT, lambda ap: ap.add_argument(
        "--timeout", type=float, default=2.0, help="seconds to wait for each reply (default 2)"))
    install_signal_handlers()
    gen = Generator(args.seed)
    try:
        sock = socket.create_connection((args.host, args.port), timeout=args.timeout)
    except OSError as e:
        err(f"cannot connect to {args.host}:{args.port}: {e}")
        return 1
    with sock:
        sock.settimeout(args.timeout)
        sched = Schedule(args.interval)
        for seq in range(args.count):
            sched.wait(seq)
            values = gen.values()
            sock.sendall(pack_reading(args.sensor, seq, *values))
            out("sent " + describe(args.sensor, seq, *values))
            try:
                rseq, ok = unpack_reply(recv_exactly(sock, REPLY_SIZE))
            except socket.timeout:
                err(f"no reply for seq={seq} within {args.timeout} s")
                return 1
            except (ValueError, OSError) as e:
                err(f"bad reply for seq={seq}: {e}")
                return 1
            out(f"reply seq={rseq} ok={ok}")
            if rseq != seq:
                err(f"reply for seq={rseq} while waiting for seq={seq}")
                return 1
        sock.shutdown(socket.SHUT_WR)  # tell the server we are done, then close
    return 0


if __name__ == "__main__":
    sys.exit(main())
