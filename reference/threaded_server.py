#!/usr/bin/env python3
"""Concurrent (multi-threaded) TCP echo server (handout task 1.5), done right.

Usage: python3 threaded_server.py [port] [host] [quit words ...]
       (defaults: 8080 127.0.0.1, quit words "end" and "bye")

The main thread only accepts connections; each client is served by its own thread, so a slow
client never blocks the others. Fixes to the handout's version:
  * each thread prints ITS OWN client's address (the handout's run() prints the global
    clientAddress, i.e. the address of whichever client connected last);
  * a thread ends when recv() returns b'' -- the client closed the connection. The handout's
    loop ignores that and spins forever, burning a CPU core, echoing empty strings;
  * it also ends on a quit word: the handout's client says "end" but its server waits for
    "bye", so we accept both. The quit word is not echoed (the client is not listening any more);
  * sendall() echoes the exact bytes received (send() may send only part of them);
  * daemon threads and a SIGINT/SIGTERM handler let the server stop cleanly at any time.
"""
import signal
import socket
import sys
import threading

LOCALHOST = "127.0.0.1"
PORT = 8080
QUIT_WORDS = ["end", "bye"]

print_lock = threading.Lock()


def log(*args):
    """print() from several threads without interleaving lines."""
    with print_lock:
        print(*args, flush=True)


class ClientThread(threading.Thread):
    def __init__(self, client_address, client_socket, quit_words):
        super().__init__(daemon=True)  # daemon: does not keep the process alive at exit
        self.csocket = client_socket
        self.address = client_address  # this thread's own client
        self.quit_words = quit_words
        log("New connection added:", client_address)

    def run(self):
        log("Connection from:", self.address)
        try:
            with self.csocket:  # closes the connection when the thread ends
                while True:
                    data = self.csocket.recv(2048)
                    if not data:  # b'': the client closed the connection
                        break
                    msg = data.decode("utf-8", errors="replace")
                    if msg.strip() in self.quit_words:
                        break
                    log("From the client", self.address, msg)
                    self.csocket.sendall(data)
        except ConnectionError as e:  # e.g. the client reset the connection
            log("Connection with", self.address, "failed:", e)
        log("Client", self.address, "disconnected...")


def stop(signum, frame):
    """Turns SIGINT/SIGTERM into a clean exit (no traceback); daemon threads die with us."""
    raise SystemExit(0)


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else PORT
    host = sys.argv[2] if len(sys.argv) > 2 else LOCALHOST
    quit_words = sys.argv[3:] or QUIT_WORDS
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((host, port))
        server.listen()  # default backlog: several clients may connect at the same moment
        log("Server started...")
        log("Waiting for client requests...")
        while True:
            client_socket, client_address = server.accept()
            ClientThread(client_address, client_socket, quit_words).start()


if __name__ == "__main__":
    main()
