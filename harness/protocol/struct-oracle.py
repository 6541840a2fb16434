# CPython's struct module as an oracle for struct-parity.property.test.ts: one JSON question per line on
# stdin, one JSON answer per line on stdout, until stdin closes.
#
# Question: {"fmt": str, "values": [value, ...] (optional), "buffers": [hex, ...]}
# Answer:   {"size": result, "pack": result (if values were given), "unpack": [result, ...]}
# result:   {"ok": ...} or {"err": [exception, message]}; unpack's ok is {"values": [value, ...], "printed": str}
# value:    {"i": "123"} int, {"f": "<hex of the little-endian double>" or "nan"} float, {"t": true} bool,
#           {"b": "hex"} bytes

import json
import math
import struct
import sys


def decode(value):
    kind, x = next(iter(value.items()))
    if kind == "i":
        return int(x)
    if kind == "f":
        return struct.unpack("<d", bytes.fromhex(x))[0]
    if kind == "t":
        return bool(x)
    return bytes.fromhex(x)


def encode(value):
    if isinstance(value, bool):
        return {"t": value}
    if isinstance(value, int):
        return {"i": str(value)}
    if isinstance(value, float):
        return {"f": "nan" if math.isnan(value) else struct.pack("<d", value).hex()}
    return {"b": value.hex()}


def attempt(action):
    try:
        return {"ok": action()}
    except Exception as e:  # the exception is the answer
        name = "struct.error" if isinstance(e, struct.error) else type(e).__name__
        return {"err": [name, str(e)]}


def unpacked(values):
    return {"values": [encode(v) for v in values], "printed": str(values)}


def answer(question):
    fmt = question["fmt"]
    out = {"size": attempt(lambda: str(struct.calcsize(fmt)))}
    if "values" in question:
        values = [decode(v) for v in question["values"]]
        out["pack"] = attempt(lambda: struct.pack(fmt, *values).hex())
    out["unpack"] = [
        attempt(lambda: unpacked(struct.unpack(fmt, bytes.fromhex(b))))
        for b in question.get("buffers", [])
    ]
    return out


for line in sys.stdin:
    sys.stdout.write(json.dumps(answer(json.loads(line))) + "\n")
    sys.stdout.flush()
