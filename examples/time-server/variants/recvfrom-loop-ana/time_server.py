# time_server.py -- Ana
# Lab: UDP time server. Plain recvfrom/sendto loop at module level.
# Every datagram (any content) gets the epoch time with microseconds back,
# e.g. "1765084800.123456", sent to whoever sent the request.
import socket
import sys
import time

port = 3700
if len(sys.argv) >= 2:
    port = int(sys.argv[1])

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", port))
print("Listening on port", port, flush=True)

while True:
    data, addr = s.recvfrom(4096)
    now = time.time()
    answer = "%.6f" % now
    s.sendto(answer.encode(), addr)
    print("request from", addr, "->", answer, flush=True)
