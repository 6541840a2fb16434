# Runs one command and prints how it went as one JSON line: the same yardstick for socklab, tshark and tcpdump.
#
# Usage: python3 measure-child.py [--stdout FILE] [--timeout SECONDS] -- CMD ARGS...
#
# - stdout goes to FILE (default /dev/null: nothing is held in memory, however much the command prints);
#   stderr goes to a temporary file, of which the last lines are reported (why a command failed).
# - Wall time is from just before the fork to the moment wait4() reaps the command.
# - CPU time and peak RSS come from wait4() on the command's pid: its rusage includes every descendant it
#   waited for. ru_maxrss is the largest single process of that tree, not their sum, so the tree's summed RSS
#   is also sampled from /proc every 50 ms by a thread beside the blocking wait4() (treeRssKiB; a process shorter than 50 ms may be missed).
# - On timeout the whole process group is killed (SIGKILL) and timedOut is true.
import argparse
import json
import os
import signal
import subprocess
import tempfile
import threading
import time

PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def tree_rss_kib(root):
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * PAGE_KIB
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    todo.extend(int(child) for child in f.read().split())
        except (OSError, ValueError):
            continue
    return total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stdout", default=os.devnull)
    parser.add_argument("--timeout", type=float, default=0)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command

    with open(args.stdout, "wb") as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL, start_new_session=True)
        done, timed_out, tree_peak = threading.Event(), threading.Event(), [0]

        def sample():
            while not done.wait(0.05):
                tree_peak[0] = max(tree_peak[0], tree_rss_kib(child.pid))
                if args.timeout and time.perf_counter() - start > args.timeout and not timed_out.is_set():
                    timed_out.set()
                    os.killpg(child.pid, signal.SIGKILL)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        # Blocking in wait4 (the sampler runs beside it) so that the wall time is not rounded to the sampling.
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
        child.returncode = 0  # reaped above; keeps Popen from waiting again
        err.seek(0)
        stderr_tail = err.read()[-2000:].decode(errors="replace").strip().splitlines()[-5:]

    print(json.dumps({
        "exitCode": os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else None,
        "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        "timedOut": timed_out.is_set(),
        "wallSeconds": wall,
        "userSeconds": usage.ru_utime,
        "systemSeconds": usage.ru_stime,
        "cpuSeconds": usage.ru_utime + usage.ru_stime,
        "peakRssKiB": usage.ru_maxrss,
        "treeRssKiB": max(tree_peak[0], usage.ru_maxrss),
        "stdoutBytes": os.path.getsize(args.stdout) if args.stdout != os.devnull else None,
        "stderrTail": stderr_tail,
    }))


if __name__ == "__main__":
    main()
