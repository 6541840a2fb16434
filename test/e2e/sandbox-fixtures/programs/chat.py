# An interactive client: asks for a name, then echoes messages until "quit".
name = input("Name: ")
print(f"Hello, {name}!")
while True:
    message = input("> ")
    if message == "quit":
        break
    print(f"you said {message!r}")
print("goodbye")
