# ---------------------------------------------------------------
#  Carla -- UDP time client using select()
#  run:  python3 time_client.py host port
#  Sends "what time is it?" and uses select() with a 2 s timeout
#  to wait for the reply, then prints the reply bytes decoded.
# ---------------------------------------------------------------
import select
import socket
import sys

if len(sys.argv) != 3:
    print("usage: python3 time_client.py host port")
    sys.exit(2)
server = (sys.argv[1], int(sys.argv[2]))

cli = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
cli.sendto(b"what time is it?", server)

readable, _, _ = select.select([cli], [], [], 2.0)
if cli not in readable:
    print("ERROR: timed out after 2 s, no reply from %s:%d" % server)
    cli.close()
    sys.exit(1)

reply, _ = cli.recvfrom(2048)
print("time server says >>>")
print(reply.decode())
cli.close()
