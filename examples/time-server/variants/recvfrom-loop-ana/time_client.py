# time_client.py -- Ana
# Lab: UDP time client. Usage: python3 time_client.py host port
# Sends one datagram, waits max 2 s (socket timeout), prints the time.
import socket
import sys

host = sys.argv[1]
port = int(sys.argv[2])

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.sendto(b"", (host, port))  # empty datagram is a valid request too

try:
    data, addr = s.recvfrom(1024)
except socket.timeout:
    print("Error: the server did not answer within 2 seconds")
    sys.exit(1)

print("Server time:", data.decode())
s.close()
