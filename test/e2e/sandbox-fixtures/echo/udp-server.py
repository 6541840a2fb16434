# A UDP echo server on 127.0.0.1:5005: echoes one datagram, then exits.
import socket

with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    s.bind(("127.0.0.1", 5005))
    data, addr = s.recvfrom(1024)
    print(f"Got {data!r} from {addr[0]}")
    s.sendto(data.upper(), addr)
