#!/usr/bin/env python3
"""UDP echo client (handout task 1.3).

Usage: python3 udp_echo_client.py [host] [port] [message ...]
       (defaults: localhost 5005, messages "Hello" "UDP" "echo")

Sends each message as one datagram from an OS-chosen ephemeral port and waits for its echo,
printing e.g. "Received b'Hello'". UDP is unreliable: a datagram (or its reply) may be lost
and nobody tells us, so each wait has a timeout. Exits 0 when every message came back,
1 with a message on the first timeout.
"""
import socket
import sys

HOST = "localhost"
PORT = 5005
MESSAGES = ["Hello", "UDP", "echo"]
TIMEOUT = 2       # seconds to wait for each reply
BUFSIZE = 65535   # the largest UDP payload


def main():
    host = sys.argv[1] if len(sys.argv) > 1 else HOST
    port = int(sys.argv[2]) if len(sys.argv) > 2 else PORT
    messages = sys.argv[3:] or MESSAGES

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp_socket:
        udp_socket.bind((host, 0))  # port 0: the OS picks an ephemeral source port
        udp_socket.settimeout(TIMEOUT)
        for message in messages:
            data = message.encode("utf-8")
            udp_socket.sendto(data, (host, port))  # one datagram per message
            try:
                reply, addr = udp_socket.recvfrom(BUFSIZE)
            except socket.timeout:
                sys.exit(f"Error: no reply to {data!r} from {host}:{port} within {TIMEOUT} s "
                         f"(is the server running, and does it reply to the sender's address?)")
            print(f"Received {reply!r}", flush=True)


if __name__ == "__main__":
    main()
