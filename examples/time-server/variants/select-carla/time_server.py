# ---------------------------------------------------------------
#  Carla -- UDP time server using select()
#  run:  python3 time_server.py [port]      (port defaults to 3700)
#  The loop waits with select() for at most 1 s at a time, so it
#  wakes up regularly (handy for a heartbeat) even with no traffic.
#  Reply = str(time.time()), e.g. "1765084800.123456789".
# ---------------------------------------------------------------
import select
import socket
import sys
import time

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 3700

srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
srv.bind(("", PORT))
print(f"[carla] time server up on port {PORT}", flush=True)

idle = 0
while True:
    readable, _, _ = select.select([srv], [], [], 1.0)
    if not readable:                 # timeout: nothing arrived this second
        idle += 1
        if idle % 60 == 0:
            print(f"[carla] idle for {idle} s", flush=True)
        continue
    idle = 0
    msg, sender = srv.recvfrom(2048)
    srv.sendto(str(time.time()).encode(), sender)
