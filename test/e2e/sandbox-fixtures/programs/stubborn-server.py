# A server that ignores SIGINT, SIGTERM and SIGHUP and never exits by itself.
import signal
import socket
import time

for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    signal.signal(sig, signal.SIG_IGN)
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 65432))
s.listen()
print("listening, and ignoring stop signals", flush=True)
while True:
    time.sleep(1)
