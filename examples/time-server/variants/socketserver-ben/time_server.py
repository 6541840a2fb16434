#!/usr/bin/env python3
"""Ben's UDP time server, built on socketserver.UDPServer.

Usage: python3 time_server.py [port]   (default 3700)

For UDP, socketserver hands the handler self.request = (data, socket) and
self.client_address = the sender's (ip, port). We reply with whole seconds
since the epoch, e.g. b"1765084800".
"""
import socketserver
import sys
import time


class TimeHandler(socketserver.BaseRequestHandler):
    def handle(self):
        _data, sock = self.request          # the payload is not looked at
        seconds = int(time.time())
        sock.sendto(str(seconds).encode("ascii"), self.client_address)


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 3700
    with socketserver.UDPServer(("", port), TimeHandler) as server:
        print(f"serving time on UDP port {port}", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
