# Tries what the sandbox's system-call filter refuses, and what it must still allow; prints a JSON report.
import ctypes
import errno
import json
import os
import socket
import threading

libc = ctypes.CDLL(None, use_errno=True)
NR = {"x86_64": {"pidfd_open": 434, "pidfd_getfd": 438, "process_vm_readv": 310, "io_uring_setup": 425},
      "aarch64": {"pidfd_open": 434, "pidfd_getfd": 438, "process_vm_readv": 270, "io_uring_setup": 425}}[os.uname().machine]
report = {}


def name(code):
    return errno.errorcode.get(code, str(code))


def family(label, fam, kind):
    try:
        socket.socket(fam, kind).close()
        report[label] = "created"
    except OSError as error:
        report[label] = name(error.errno)


def syscall(label, number, *args):
    result = libc.syscall(number, *args)
    report[label] = "ok" if result >= 0 else name(ctypes.get_errno())
    return result


family("vsock", 40, socket.SOCK_STREAM)
family("packet", 17, socket.SOCK_RAW)
family("inet", socket.AF_INET, socket.SOCK_STREAM)
family("unix", socket.AF_UNIX, socket.SOCK_STREAM)
report["ptrace"] = "ok" if libc.ptrace(16, os.getppid(), 0, 0) == 0 else name(ctypes.get_errno())  # PTRACE_ATTACH
pidfd = libc.syscall(NR["pidfd_open"], os.getppid(), 0)
report["pidfd_open"] = "ok" if pidfd >= 0 else name(ctypes.get_errno())
syscall("pidfd_getfd", NR["pidfd_getfd"], max(pidfd, 0), 0, 0)
buf = ctypes.create_string_buffer(8)
iov = (ctypes.c_void_p * 2)(ctypes.cast(buf, ctypes.c_void_p), 8)
syscall("process_vm_readv", NR["process_vm_readv"], os.getppid(), iov, 1, iov, 1, 0)
params = ctypes.create_string_buffer(120)
syscall("io_uring_setup", NR["io_uring_setup"], 4, params)
report["unshare_user"] = "ok" if libc.unshare(0x10000000) == 0 else name(ctypes.get_errno())
seen = []
thread = threading.Thread(target=lambda: seen.append(1))
thread.start()
thread.join()
report["thread"] = "ok" if seen else "failed"
report["fork"] = "ok"
pid = os.fork()
if pid == 0:
    os._exit(7)
report["fork"] = "ok" if os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 7 else "failed"
print(json.dumps(report, sort_keys=True))
