import { describe, expect, it } from "vitest";
import { isPythonWord, resolveInterpreter, substituteInterpreter, visibleInSandbox } from "./interpreter.ts";

const python = {
  path: "/usr/bin/python3",
  version: "3.11.2",
  prefix: "/usr",
  basePrefix: "/usr",
  readOnlyBinds: [],
};

describe("substituteInterpreter", () => {
  it.each([
    [
      ["python3", "server.py"],
      ["/usr/bin/python3", "server.py"],
    ],
    [
      ["python", "-u", "server.py"],
      ["/usr/bin/python3", "-u", "server.py"],
    ],
    [
      ["./run.sh", "python3"],
      ["./run.sh", "python3"],
    ],
    [
      ["python3.11", "x.py"],
      ["python3.11", "x.py"],
    ],
  ])("turns %j into %j", (argv, expected) => {
    expect(substituteInterpreter(argv, python)).toEqual(expected);
  });

  it("knows which words ask for Python", () => {
    expect(["python", "python3", "python2", "py"].map(isPythonWord)).toEqual([true, true, false, false]);
  });
});

describe("visibleInSandbox", () => {
  it.each([
    ["/usr/bin/python3.11", true],
    ["/usr/local/bin/python3", true],
    ["/lib64/ld-linux-x86-64.so.2", true],
    ["/root/.pyenv/versions/3.11.7/bin/python3.11", false],
    ["/usrx/bin/python3", false],
  ])("%s: %s", (path, visible) => {
    expect(visibleInSandbox(path)).toBe(visible);
  });
});

describe("resolveInterpreter", () => {
  it("finds a real Python 3 that the sandbox can run, once", async () => {
    const first = await resolveInterpreter();
    expect(first.version).toMatch(/^3\.\d+\.\d+$/);
    expect(visibleInSandbox(first.path) || first.readOnlyBinds.length > 0).toBe(true);
    expect(await resolveInterpreter()).toBe(first);
  });
});
