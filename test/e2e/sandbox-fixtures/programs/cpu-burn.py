# Burns CPU until a limit stops it.
print("burning", flush=True)
while True:
    pass
