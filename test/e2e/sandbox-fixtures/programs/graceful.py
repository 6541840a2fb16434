# Stops cleanly on Ctrl-C (SIGINT), exiting with code 0.
import time

try:
    print("running", flush=True)
    while True:
        time.sleep(1)
except KeyboardInterrupt:
    print("bye")
