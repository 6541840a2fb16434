"""UDP time client (Dan).

Usage: python3 time_client.py host port

Sends one request datagram to the time server at host:port and waits at most
2 seconds for the reply. On success prints the server's time (seconds since
the Unix epoch, plus a readable UTC date) and exits 0. If no reply comes in
time, or the reply is not a number, prints an error to stderr and exits 1.
"""
import socket
import sys
import time

TIMEOUT = 2.0  # seconds


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: time_client.py host port")
    host, port = sys.argv[1], int(sys.argv[2])

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(TIMEOUT)  # recvfrom raises socket.timeout after 2 s
        try:
            sock.sendto(b"time?", (host, port))  # content does not matter
            reply, _server = sock.recvfrom(1024)
        except socket.timeout:
            print(f"error: no reply from {host}:{port} within {TIMEOUT:g} s",
                  file=sys.stderr)
            return 1
        except OSError as e:  # e.g. unknown host name
            print(f"error: {e}", file=sys.stderr)
            return 1

    text = reply.decode("ascii", errors="replace").strip()
    try:
        seconds = float(text)
    except ValueError:
        print(f"error: reply is not a number: {text!r}", file=sys.stderr)
        return 1
    readable = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(seconds))
    print(f"Server time: {text} ({readable})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
