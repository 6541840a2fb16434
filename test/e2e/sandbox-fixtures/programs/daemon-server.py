# A server that daemonizes (double fork + setsid), ignores SIGTERM and listens on 10002 for a minute.
import os
import signal
import socket
import time

if os.fork() > 0:
    os._exit(0)
os.setsid()
if os.fork() > 0:
    os._exit(0)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("127.0.0.1", 10002))
s.listen()
print("daemon", os.getpid(), flush=True)
time.sleep(60)
