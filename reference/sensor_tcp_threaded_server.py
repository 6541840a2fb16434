#!/usr/bin/env python3
"""Sensor server over TCP with one thread per client (optional deliverable: multi-threaded server).

Usage: python3 sensor_tcp_threaded_server.py [port] [host]     (defaults: 9000 127.0.0.1)

Same protocol and output as sensor_tcp_server.py, but each accepted connection is served by its
own thread, so several sensors can send at once and each keeps its own period (a slow or idle
client no longer blocks the others). Output lines are written whole, under a lock.
Threads are daemons: on SIGINT/SIGTERM the main thread exits and takes them with it.
"""
import threading

from sensor_common import TCP_PORT, install_signal_handlers, server_args
from sensor_tcp_server import handle_client, listen


def main():
    args = server_args("Sensor server over TCP, one thread per client.", TCP_PORT)
    install_signal_handlers()
    with listen(args.host, args.port) as sock:
        while True:
            conn, addr = sock.accept()
            threading.Thread(target=handle_client, args=(conn, addr), daemon=True).start()


if __name__ == "__main__":
    main()
