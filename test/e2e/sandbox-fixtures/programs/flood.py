# Writes 3 MiB to stdout, then a last line.
import sys

chunk = "x" * 1023 + "\n"
for _ in range(3 * 1024):
    sys.stdout.write(chunk)
print("end of flood")
