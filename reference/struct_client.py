#!/usr/bin/env python3
"""TCP client sending binary data packed with struct (handout task 1.4).

Usage: python3 struct_client.py [host] [port] [format] [values ...]
       (defaults: localhost 10001 "=iif" 1 4 2.7)

Packs the values with struct.pack(format, *values), prints the bytes in hex, e.g.
    Sending "0100000004000000cdcc2c40"
sends them with sendall() and closes. Values are converted following the format: integer codes
(b B h H i I l L q Q n N P) take ints, float codes (e f d) floats, "?" booleans
(true/false, 1/0, yes/no), "c", "s" and "p" bytes (UTF-8).

"=" means NATIVE byte order with standard sizes (little-endian on x86), not network order as
the handout says; "!" (or ">") is network order, big-endian. The server must use the same format.
"""
import binascii
import socket
import struct
import sys

HOST = "localhost"
PORT = 10001
FORMAT = "=iif"
VALUES = [1, 4, 2.7]

INT_CODES = set("bBhHiIlLqQnNP")
FLOAT_CODES = set("efd")


def to_bool(text):
    if text.lower() in ("1", "true", "yes", "y", "t"):
        return True
    if text.lower() in ("0", "false", "no", "n", "f", ""):
        return False
    raise ValueError(f"not a boolean: {text!r}")


def converters(fmt):
    """One conversion function per value that `fmt` packs, in order."""
    result = []
    count = ""
    for ch in fmt.lstrip("@=<>!"):
        if ch.isdigit():
            count += ch
            continue
        n = int(count) if count else 1
        count = ""
        if ch.isspace() or ch == "x":  # blanks separate codes; x is a pad byte, no value
            continue
        if ch in "sp":  # a count before s/p is a length: one bytes value
            result.append(lambda text: text.encode("utf-8"))
        elif ch == "c":
            result += [lambda text: text.encode("utf-8")] * n
        elif ch == "?":
            result += [to_bool] * n
        elif ch in INT_CODES:
            result += [lambda text: int(text, 0)] * n
        elif ch in FLOAT_CODES:
            result += [float] * n
        else:
            raise ValueError(f"unknown format character {ch!r}")
    return result


def main():
    host = sys.argv[1] if len(sys.argv) > 1 else HOST
    port = int(sys.argv[2]) if len(sys.argv) > 2 else PORT
    fmt = sys.argv[3] if len(sys.argv) > 3 else FORMAT
    texts = sys.argv[4:] or [str(v) for v in VALUES]

    try:
        convert = converters(fmt)
        if len(texts) != len(convert):
            raise ValueError(f"format {fmt!r} packs {len(convert)} values, {len(texts)} given")
        values = [f(text) for f, text in zip(convert, texts)]
        packed_data = struct.pack(fmt, *values)
    except (ValueError, struct.error) as e:
        sys.exit(f"Error: {e}")

    # TCP socket
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.connect((host, port))
        print(f'Sending "{binascii.hexlify(packed_data).decode()}"', flush=True)
        sock.sendall(packed_data)
    except OSError as e:
        sys.exit(f"Error: cannot send to {host}:{port}: {e}")
    finally:
        print("Closing socket", flush=True)
        sock.close()


if __name__ == "__main__":
    main()
