# A UDP echo client for 127.0.0.1:5005.
import socket

with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    s.settimeout(5)
    s.sendto(b"hello udp", ("127.0.0.1", 5005))
    data, _ = s.recvfrom(1024)
print(f"Reply {data!r}")
