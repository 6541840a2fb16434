"""Shared protocol code for the sensor programs (deliverable task 1 and the optional tasks).

Messages (all in network byte order, "!": big-endian, standard sizes, no padding):
    reading  client -> server  "!BHIfff?"  type=1, sensor, seq, temperature, humidity, pressure, alarm  (20 bytes)
    reply    server -> client  "!BI?"      type=2, seq, ok                                           (6 bytes)
"""
import argparse
import random
import signal
import struct
import sys
import threading
import time

READING_FORMAT = "!BHIfff?"
REPLY_FORMAT = "!BI?"
READING_SIZE = struct.calcsize(READING_FORMAT)  # 20
REPLY_SIZE = struct.calcsize(REPLY_FORMAT)      # 6
READING_TYPE = 1
REPLY_TYPE = 2

DEFAULT_HOST = "127.0.0.1"
TCP_PORT = 9000
UDP_PORT = 9001

_print_lock = threading.Lock()


def out(line):
    """Prints one whole line to stdout at once (threads never interleave halves of lines)."""
    with _print_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def err(line):
    with _print_lock:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()


def pack_reading(sensor, seq, temperature, humidity, pressure, alarm):
    return struct.pack(READING_FORMAT, READING_TYPE, sensor, seq, temperature, humidity, pressure, alarm)


def unpack_reading(data):
    """Returns (sensor, seq, temperature, humidity, pressure, alarm), or raises ValueError."""
    if len(data) != READING_SIZE:
        raise ValueError(f"reading must be {READING_SIZE} bytes, got {len(data)}")
    mtype, sensor, seq, t, h, p, alarm = struct.unpack(READING_FORMAT, data)
    if mtype != READING_TYPE:
        raise ValueError(f"reading must have type {READING_TYPE}, got {mtype}")
    return sensor, seq, t, h, p, alarm


def pack_reply(seq, ok=True):
    return struct.pack(REPLY_FORMAT, REPLY_TYPE, seq, ok)


def unpack_reply(data):
    """Returns (seq, ok), or raises ValueError."""
    if len(data) != REPLY_SIZE:
        raise ValueError(f"reply must be {REPLY_SIZE} bytes, got {len(data)}")
    mtype, seq, ok = struct.unpack(REPLY_FORMAT, data)
    if mtype != REPLY_TYPE:
        raise ValueError(f"reply must have type {REPLY_TYPE}, got {mtype}")
    return seq, ok


def describe(sensor, seq, t, h, p, alarm):
    # Values travel as float32: print 2 decimals so that client and server print the same text.
    return f"seq={seq} sensor={sensor} temperature={t:.2f} humidity={h:.2f} pressure={p:.2f} alarm={alarm}"


def delivered_line(reading):
    return "delivered " + describe(*reading)


class Generator:
    """Random readings from random.Random(seed): plausible weather-station values."""

    def __init__(self, seed):
        self.rng = random.Random(seed)

    def values(self):
        rng = self.rng
        return (round(rng.uniform(-10.0, 40.0), 2),     # temperature, degrees C
                round(rng.uniform(0.0, 100.0), 2),      # relative humidity, %
                round(rng.uniform(950.0, 1050.0), 2),   # pressure, hPa
                rng.random() < 0.1)                     # alarm raised 10% of the time


class Schedule:
    """Reading k is due at start + k*interval (monotonic clock): no drift from the time spent working.
    If we fall more than one period behind (a slow reply, a full window), the schedule is shifted
    instead of sending the missed readings back to back: no bursts."""

    def __init__(self, interval):
        self.interval = interval
        self.start = time.monotonic()

    def due(self, k):
        return self.start + k * self.interval

    def wait(self, k):
        """Sleeps until reading k is due (returns at once if it is late, and re-bases if very late)."""
        now = time.monotonic()
        due = self.due(k)
        if now > due + self.interval:
            self.start = now - k * self.interval
        elif now < due:
            time.sleep(due - now)

    def rebase_if_late(self, k, now):
        if now > self.due(k) + self.interval:
            self.start = now - k * self.interval


def client_args(description, default_port, extra=None):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("host", nargs="?", default=DEFAULT_HOST, help=f"server address (default {DEFAULT_HOST})")
    ap.add_argument("port", nargs="?", type=int, default=default_port, help=f"server port (default {default_port})")
    ap.add_argument("--count", type=int, default=20, help="number of readings (default 20)")
    ap.add_argument("--interval", type=float, default=0.2, help="seconds between readings (default 0.2)")
    ap.add_argument("--sensor", type=int, default=1, help="sensor id, 0-65535 (default 1)")
    ap.add_argument("--seed", type=int, default=None, help="random seed (default: random, printed)")
    if extra:
        extra(ap)
    args = ap.parse_args()
    if not 0 <= args.sensor <= 0xFFFF:
        ap.error("--sensor must be in 0..65535")
    if args.count < 0 or args.count > 0xFFFFFFFF:
        ap.error("--count must be in 0..4294967295")
    if args.interval < 0:
        ap.error("--interval must be >= 0")
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(2 ** 32)
    out(f"seed={args.seed}")
    return args


def server_args(description, default_port):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("port", nargs="?", type=int, default=default_port, help=f"port (default {default_port})")
    ap.add_argument("host", nargs="?", default=DEFAULT_HOST, help=f"address to bind (default {DEFAULT_HOST})")
    return ap.parse_args()


def _stop(signum, frame):
    raise SystemExit(0)


def install_signal_handlers():
    """SIGINT/SIGTERM -> SystemExit(0) in the main thread: clean exit, no traceback."""
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
