import { describe, expect, it } from "vitest";
import { findPrintedValues, type PrintedLine, showsValue } from "./printed-values.ts";

const out = (text: string, stream: "stdout" | "stderr" = "stdout"): PrintedLine[] =>
  text.split("\n").map((t, i) => ({ stream, number: i + 1, text: t }));
const IIF = [1n, 4n, 2.7] as const;
const chars = ["i", "i", "f"] as const;

describe("finding printed struct values", () => {
  it.each([
    ["a tuple with float32 noise", "Unpacked: (1, 4, 2.700000047683716)"],
    ["a list", "[1, 4, 2.7]"],
    ["spaces after a label", "Valores: 1 4 2.7"],
    ["lower-case label", "unpacked: 1 4 2.7"],
    ["labelled and rounded", "a=1 b=4 c=2.70"],
    ["one per line", "entero 1: 1\nentero 2: 4\nflotante: 2.7"],
    ["tabs", "1\t4\t2.7"],
    ["a dict", "{'a': 1, 'b': 4, 'c': 2.700000047683716}"],
    ["names with digits", "int1=1 int2=4 float1=2.7"],
    ["a sentence", "I got the values 1, 4 and 2.7."],
    ["after an address", "Connected by ('127.0.0.1', 54321)\nvalues 1 4 2.7"],
    ["after a hex dump", 'Received "0100000004000000cdcc2c40"\n1 4 2.7'],
  ])("reads %s", (_, text) => {
    expect(findPrintedValues(out(text), [...IIF], [...chars])).not.toBeNull();
  });

  it("says which lines held the values", () => {
    const found = findPrintedValues(out("hola\nx = 1\ny = 4\nz = 2.7\nadios"), [...IIF], [...chars]);
    expect(found?.lines.map((l) => l.number)).toEqual([2, 3, 4]);
    expect(found?.values).toEqual(["1", "4", "2.7"]);
  });

  it("reads logging on stderr", () => {
    expect(
      findPrintedValues(out("INFO:root:recibido (1, 4, 2.7)", "stderr"), [...IIF], [...chars]),
    ).not.toBeNull();
  });

  it.each([
    ["other values", "Unpacked: (1, 5, 2.7)"],
    ["the wrong order", "(4, 1, 2.7)"],
    ["bytes read the other way round", "(16777216, 67108864, 4.6006e-41)"],
    ["a wrong float", "(1, 4, 2.8)"],
    ["a float rounded to an integer", "1 4 3"],
    ["nothing", ""],
    ["an IPv4 address only", "from 1.4.2.7"],
  ])("refuses %s", (_, text) => {
    expect(findPrintedValues(out(text), [...IIF], [...chars])).toBeNull();
  });

  it("compares with the precision printed", () => {
    expect(showsValue({ text: "3.14", kind: "number" }, 3.14258, "d")).toBe(true);
    expect(showsValue({ text: "3.15", kind: "number" }, 3.14258, "d")).toBe(false);
    expect(showsValue({ text: "3", kind: "number" }, 3.14258, "d")).toBe(false);
    expect(showsValue({ text: "2.7001", kind: "number" }, 2.7, "e")).toBe(true);
    expect(showsValue({ text: "True", kind: "bool" }, true)).toBe(true);
    expect(showsValue({ text: "0", kind: "number" }, false)).toBe(true);
  });

  it("reads booleans and bytes", () => {
    const values = [7n, true, new TextEncoder().encode("ab")];
    expect(findPrintedValues(out("(7, True, b'ab')"), values, ["h", "?", "s"])).not.toBeNull();
    expect(findPrintedValues(out("id=7 ok=True name=ab"), values, ["h", "?", "s"])).not.toBeNull();
    expect(findPrintedValues(out("(7, False, b'ab')"), values, ["h", "?", "s"])).toBeNull();
  });

  it("reads a fixed-size string field as unpacked, with its NUL padding", () => {
    const values = [7n, 2.7, true, new TextEncoder().encode("jonas")];
    const printed = "Unpacked: (7, 2.7, True, b'jonas\\x00\\x00\\x00\\x00\\x00\\x00\\x00')";
    expect(findPrintedValues(out(printed), values, ["B", "d", "?", "s"])).not.toBeNull();
    expect(findPrintedValues(out("(7, 2.7, True, b'jonax\\x00')"), values, ["B", "d", "?", "s"])).toBeNull();
  });
});
