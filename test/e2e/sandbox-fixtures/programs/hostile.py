# Tries what a student program must not be able to do, and reports each attempt as JSON.
import json
import os
import socket
import subprocess

report = {}
r = subprocess.run(["ip", "link", "set", "lo", "down"], capture_output=True, text=True)
report["lo_down_rc"] = r.returncode
report["lo_down_err"] = r.stderr.strip()
try:
    socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    report["af_packet"] = "opened"
except OSError as e:
    report["af_packet"] = type(e).__name__
status = dict(line.split(":\t", 1) for line in open("/proc/self/status").read().splitlines() if ":\t" in line)
for key in ("CapEff", "CapBnd", "CapAmb", "NoNewPrivs"):
    report[key] = status[key].strip()
report["root"] = sorted(os.listdir("/"))
report["pids"] = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
try:
    open("/sub/intruder.txt", "w").write("x")
    report["write_sub"] = "written"
except OSError as e:
    report["write_sub"] = e.errno
open("result.txt", "w").write("from-student")
report["uid"] = os.getuid()
report["env"] = sorted(os.environ)
print(json.dumps(report))
