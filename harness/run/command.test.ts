import { describe, expect, it } from "vitest";
import { formatCommand, splitCommand } from "./command.ts";
import { RunError } from "./errors.ts";

describe("splitCommand", () => {
  it.each([
    ["python3 server.py", ["python3", "server.py"]],
    ["  python3   -u\tserver.py  ", ["python3", "-u", "server.py"]],
    ["python3 client.py 'hello world'", ["python3", "client.py", "hello world"]],
    ['python3 c.py "say \\"hi\\"" x', ["python3", "c.py", 'say "hi"', "x"]],
    ['echo "a\\nb"', ["echo", "a\\nb"]],
    ["echo a\\ b", ["echo", "a b"]],
    ["echo ''", ["echo", ""]],
    ["echo pre'fix'\"ed\"", ["echo", "prefixed"]],
    ["python3 c.py 'x|y' \">\"", ["python3", "c.py", "x|y", ">"]],
  ])("splits %j", (text, words) => {
    expect(splitCommand(text)).toEqual(words);
  });

  it.each([
    ["python3 'server.py", /single quote is not closed/],
    ['python3 "server.py', /double quote is not closed/],
    ["python3 server.py \\", /ends with a backslash/],
    ["python3 server.py > out.txt", /'>' needs a shell/],
    ["python3 a.py | tee", /'\|' needs a shell/],
    ["echo $HOME", /'\$' needs a shell/],
    ["   ", /it is empty/],
  ])("refuses %j", (text, why) => {
    expect(() => splitCommand(text)).toThrow(why);
    expect(() => splitCommand(text)).toThrow(RunError);
  });
});

describe("formatCommand", () => {
  it("quotes only the words that need it, and round-trips", () => {
    const words = ["python3", "c.py", "hello world", "it's"];
    const text = formatCommand(words);
    expect(text).toBe("python3 c.py 'hello world' 'it'\\''s'");
    expect(splitCommand(text)).toEqual(words);
  });
});
