#!/usr/bin/env python3
"""Client for the concurrent echo server (handout task 1.5).

Usage: python3 threaded_client.py [host] [port] [quit]    (defaults: 127.0.0.1 8080 end)

Connects, sends "Hello, I am a client!!", then repeats: waits for the echo and prints
"From the server: <text>", reads a line from standard input and sends it. After sending the
quit word (also sent when standard input ends) it closes the connection and exits 0.
Empty lines are skipped (sending zero bytes sends nothing, and no echo would come).

It prints whatever the server sends (a welcome banner too) and waits until the text it sent has
come back. Like the handout's client it sends a line without a newline; a server that reads
whole lines answers only once a newline comes, so after a second of silence it sends one.
"""
import socket
import sys

SERVER = "127.0.0.1"
PORT = 8080
QUIT = "end"
GREETING = "Hello, I am a client!!"
CLOSE_WAIT = 2  # seconds to wait for the server to close after our quit word


NEWLINE_AFTER = 1.0  # seconds of silence before sending a newline for a line-reading server


def recv_echo(client, sent):
    """Reads until the bytes `sent` have come back (TCP may deliver them in pieces, after a banner)."""
    data = b""
    nudged = False
    client.settimeout(NEWLINE_AFTER)
    while sent not in data:
        try:
            chunk = client.recv(1024)
        except socket.timeout:
            if not nudged:
                client.sendall(b"\n")
                nudged = True
            client.settimeout(None)
            continue
        if not chunk:
            sys.exit("Error: the server closed the connection")
        data += chunk
    client.settimeout(None)
    return data


def main():
    host = sys.argv[1] if len(sys.argv) > 1 else SERVER
    port = int(sys.argv[2]) if len(sys.argv) > 2 else PORT
    quit_word = sys.argv[3] if len(sys.argv) > 3 else QUIT

    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        client.connect((host, port))
        out_data = GREETING.encode("utf-8")
        client.sendall(out_data)
        while True:
            in_data = recv_echo(client, out_data)
            print("From the server:", in_data.decode("utf-8", errors="replace"), flush=True)
            line = sys.stdin.readline()
            if not line:  # end of input: say goodbye properly
                line = quit_word
            line = line.rstrip("\r\n")
            while not line:  # skip empty lines
                line = sys.stdin.readline() or quit_word
                line = line.rstrip("\r\n")
            out_data = line.encode("utf-8")
            client.sendall(out_data)
            if line == quit_word:
                break
        # Graceful close: send our FIN, then give the server a moment to close its side, reading
        # whatever it still sends (a server that echoes the quit word). Closing with unread data,
        # or receiving data after close(), would make our kernel answer with an RST. Our work is
        # done once the quit word is sent, so errors from here on do not matter.
        try:
            client.shutdown(socket.SHUT_WR)
            client.settimeout(CLOSE_WAIT)
            while client.recv(1024):
                pass
        except OSError:  # includes socket.timeout and a reset by the server
            pass
    except OSError as e:
        sys.exit(f"Error: cannot talk to {host}:{port}: {e}")
    finally:
        client.close()


if __name__ == "__main__":
    main()
