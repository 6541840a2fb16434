# Starts up to 60 threads (as a threaded server would) and reports how many started.
import threading
import time

started = 0
try:
    for _ in range(60):
        threading.Thread(target=time.sleep, args=(1,), daemon=True).start()
        started += 1
except RuntimeError as e:
    print("stopped by", e)
print("threads", started)
