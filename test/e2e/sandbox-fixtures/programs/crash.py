# Fails at once with a traceback (ValueError), exit code 1.
int("not a number")
