# Prints a line, then sleeps forever (until killed).
import time

print("started", flush=True)
while True:
    time.sleep(1)
