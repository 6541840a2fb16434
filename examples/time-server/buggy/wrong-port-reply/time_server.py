"""UDP time server (Dan).

Usage: python3 time_server.py [port]      (default port 3700)

Binds a UDP socket to the given port on all interfaces and answers every
datagram it receives -- whatever it contains, even an empty one -- with one
datagram holding the current time as decimal ASCII text: the number of
seconds since the Unix epoch, with milliseconds (e.g. b"1765084800.123").
The reply goes back to the client machine, on the clients' port 3701.
Runs until killed (Ctrl-C or a signal).
"""
import socket
import sys
import time

DEFAULT_PORT = 3700
MAX_DATAGRAM = 65535  # big enough for any UDP payload, so nothing is cut short
CLIENT_PORT = 3701    # port the clients get their answers on


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PORT

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("", port))  # "" = all interfaces (0.0.0.0)
    print(f"time server listening on UDP port {port}", flush=True)

    while True:
        # recvfrom gives the payload and the sender's (ip, port); the payload
        # is ignored: any datagram counts as a request.
        _request, client = sock.recvfrom(MAX_DATAGRAM)
        # Read the clock *now*, for this request, not once at start-up.
        reply = f"{time.time():.3f}".encode("ascii")
        sock.sendto(reply, (client[0], CLIENT_PORT))  # back to the client machine
        print(f"{client[0]}:{CLIENT_PORT} <- {reply.decode()}", flush=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass  # Ctrl-C: stop quietly
