# The far side of the parity corpus's traffic: servers that generate.py starts inside the peer network
# namespace (`nsenter -t PID -n python3 peer.py MODE HOST...`). Each prints `ready` once every socket is
# bound and listening, then serves until it is killed.
#
# Modes:
#   sink HOST...       TCP 5001: read to EOF, answer "OK", close.
#   stall HOST...      TCP 5002: small receive buffer; read 1 KB, stop reading for 1.5 s (the window closes),
#                      then read to EOF and answer "OK".
#   echo HOST...       TCP 5003: echo until EOF; the server closes after the client's FIN (or on "BYE\n"
#                      closes first, leaving the 4-tuple in TIME_WAIT here). TCP 5004: close at once without
#                      reading what arrived (the kernel answers unread data with RST).
#   udp HOST...        UDP 5005: echo each datagram back to its sender.
#   fastopen HOST...   TCP 5006 with TCP Fast Open: echo until EOF.
#   all HOST...        every server above but fastopen.
import socket
import sys
import threading
import time


def family_of(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def listener(host, port, rcvbuf=None):
    s = socket.socket(family_of(host), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind((host, port))
    s.listen(64)
    return s


def serve(server, handle):
    def run():
        while True:
            conn, _ = server.accept()
            threading.Thread(target=guarded, args=(handle, conn), daemon=True).start()

    threading.Thread(target=run, daemon=True).start()


def guarded(handle, conn):
    try:
        handle(conn)
    except OSError:
        pass
    finally:
        conn.close()


def sink(conn):
    while conn.recv(65536):
        pass
    conn.sendall(b"OK")


def stall(conn):
    conn.recv(1024)
    time.sleep(1.5)
    while conn.recv(65536):
        pass
    conn.sendall(b"OK")


def echo(conn):
    while data := conn.recv(65536):
        conn.sendall(data)
        if data.endswith(b"BYE\n"):
            return


def abort(conn):
    time.sleep(0.05)


def udp_echo(host):
    s = socket.socket(family_of(host), socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    s.bind((host, 5005))

    def run():
        while True:
            data, peer = s.recvfrom(65536)
            s.sendto(data, peer)

    threading.Thread(target=run, daemon=True).start()


def main():
    mode, hosts = sys.argv[1], sys.argv[2:]
    for host in hosts:
        if mode in ("sink", "all"):
            serve(listener(host, 5001), sink)
        if mode in ("stall", "all"):
            serve(listener(host, 5002, rcvbuf=4096), stall)
        if mode in ("echo", "all"):
            serve(listener(host, 5003), echo)
            serve(listener(host, 5004), abort)
        if mode == "fastopen":
            server = socket.socket(family_of(host), socket.SOCK_STREAM)
            server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            server.setsockopt(socket.IPPROTO_TCP, socket.TCP_FASTOPEN, 16)
            server.bind((host, 5006))
            server.listen(16)
            serve(server, echo)
        if mode in ("udp", "all"):
            udp_echo(host)
    print("ready", flush=True)
    threading.Event().wait()


main()
