# Runs a command with its output discarded and prints its wall time, CPU time and peak memory as JSON:
# the same yardstick for socklab, tshark and tcpdump. Usage: python3 measure-child.py CMD ARGS...
import json
import resource
import subprocess
import sys
import time

start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
last = done.stdout.decode(errors="replace").strip().splitlines()[-1:] or [""]
print(json.dumps({
    "exitCode": done.returncode,
    "wallSeconds": wall,
    "cpuSeconds": usage.ru_utime + usage.ru_stime,
    "peakRssKiB": usage.ru_maxrss,
    "lastLine": last[0],
}))
