import { describe, expect, it } from "vitest";
import { commandArguments, meaningOfFlag, meaningOfName } from "./argv-placeholders.ts";
import type { Meaning, Role } from "./program-facts.ts";
import { readPythonModule } from "./python-module.ts";
import { pythonProgram } from "./python-program.ts";
import { pythonFacts } from "./python-source.ts";

const SENSOR: Meaning[] = ["host", "port", "count", "interval", "duration"];

/** The drafted arguments of `main.py` (with other files beside it) for a side and the placeholders offered. */
function drafted(files: Record<string, string>, role: Role, available: Meaning[] = ["host", "port"]) {
  const modules = new Map(Object.entries(files).map(([path, text]) => [path, readPythonModule(path, text)]));
  const facts = pythonFacts(pythonProgram(modules.get("main.py")!, modules));
  return commandArguments(facts.commandLine, role, available);
}

const argsOf = (source: string, role: Role, available?: Meaning[]) =>
  drafted({ "main.py": source }, role, available).args.join(" ");

describe("meanings of names and flags", () => {
  it.each([
    ["puerto", "port"],
    ["SERVER_PORT", "port"],
    ["hote", "host"],
    ["n_readings", "count"],
    ["intervalo", "interval"],
    ["quit_word", "quit"],
    ["fmt", "format"],
    ["timeout", null],
  ])("%s → %s", (name, meaning) => expect(meaningOfName(name)).toBe(meaning));

  it.each([
    ["-p", "port"],
    ["-n", "count"],
    ["--readings", "count"],
    ["--period", "interval"],
    ["-x", null],
  ])("%s → %s", (flag, meaning) => expect(meaningOfFlag(flag)).toBe(meaning));
});

describe("sys.argv", () => {
  it("orders the placeholders by what each index is used for, not by its name", () => {
    const source = [
      "import socket, sys",
      "a = sys.argv[1]",
      "b = int(sys.argv[2])",
      "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)",
      "s.connect((a, b))",
    ].join("\n");
    expect(argsOf(source, "client")).toBe("{host} {port}");
  });

  it("takes a server's int(sys.argv[1]) given to bind for its port, and leaves out a trailing host", () => {
    const source = [
      "import socket, sys",
      "port = int(sys.argv[1]) if len(sys.argv) > 1 else 65432",
      "host = sys.argv[2] if len(sys.argv) > 2 else '127.0.0.1'",
      "s = socket.socket()",
      "s.bind((host, port))",
      "s.listen()",
    ].join("\n");
    expect(argsOf(source, "server")).toBe("{port}");
  });

  it("reads tuple assignments, arguments passed to the program's own functions, and slices", () => {
    const source = [
      "import socket, sys",
      "class Client:",
      "    def __init__(self, host, port):",
      "        self.s = socket.create_connection((host, port))",
      "c = Client(sys.argv[1], int(sys.argv[2]))",
      "quit_word = sys.argv[3:]",
    ].join("\n");
    expect(argsOf(source, "client", ["host", "port", "quit"])).toBe("{host} {port} {quit}");
    expect(
      argsOf(
        "import sys\nhote, port, nombre, intervalle = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])",
        "client",
        SENSOR,
      ),
    ).toBe("{host} {port} {count} {interval}");
  });

  it("gives one host:port argument as {host}:{port}", () => {
    const source = "import sys\naddr = sys.argv[1]\nhost, _, port = addr.rpartition(':')";
    expect(argsOf(source, "client")).toBe("{host}:{port}");
  });

  it("stops at an argument it has no value for, and says so when it is required", () => {
    const source = "import sys\nname = sys.argv[1]\nport = int(sys.argv[2])";
    const result = drafted({ "main.py": source }, "server");
    expect(result.args).toEqual([]);
    expect(result.notes).toEqual(["takes argument 1 (name), which socklab has no value for: add it by hand"]);
  });

  it("gives a client's required message argument the line socklab types by default", () => {
    const source = "import sys\nhost, port, mensaje = sys.argv[1], int(sys.argv[2]), sys.argv[3]";
    expect(argsOf(source, "client")).toBe('{host} {port} "Hello, world"');
  });
});

describe("argparse, getopt and the environment", () => {
  it("maps argparse positionals and options by name (--count/-n/--readings → {count}, --period → {interval})", () => {
    const source = [
      "import argparse",
      "ap = argparse.ArgumentParser()",
      'ap.add_argument("host", nargs="?", default="127.0.0.1")',
      'ap.add_argument("puerto", type=int, nargs="?", default=9000)',
      'ap.add_argument("-n", "--readings", type=int, default=20)',
      'ap.add_argument("--period", type=float, default=0.2)',
      'ap.add_argument("--seed", type=int)',
      'ap.add_argument("-v", "--verbose", action="store_true")',
    ].join("\n");
    expect(argsOf(source, "client", SENSOR)).toBe(
      "{host} {puerto} --readings {count} --period {interval}".replace("{puerto}", "{port}"),
    );
  });

  it("finds the parser in a shared module: the function the program calls, not the other one", () => {
    const common = [
      "import argparse",
      "def client_args():",
      "    ap = argparse.ArgumentParser()",
      '    ap.add_argument("host", nargs="?")',
      '    ap.add_argument("port", nargs="?", type=int)',
      '    ap.add_argument("--count", type=int, default=20)',
      '    ap.add_argument("--interval", type=float, default=0.2)',
      "    return ap.parse_args()",
      "def server_args():",
      "    ap = argparse.ArgumentParser()",
      '    ap.add_argument("port", nargs="?", type=int)',
      "    return ap.parse_args()",
    ].join("\n");
    const client = "from common import client_args\nargs = client_args()";
    expect(drafted({ "main.py": client, "common.py": common }, "client", SENSOR).args.join(" ")).toBe(
      "{host} {port} --count {count} --interval {interval}",
    );
    const server = "from common import server_args\nargs = server_args()";
    expect(drafted({ "main.py": server, "common.py": common }, "server", SENSOR).args.join(" ")).toBe(
      "{port}",
    );
  });

  it("reads getopt options by the variable each flag sets", () => {
    const source = [
      "import getopt, sys",
      'opts, _ = getopt.getopt(sys.argv[1:], "h:p:c:i:")',
      "for o, v in opts:",
      '    if o == "-h":',
      "        host = v",
      '    elif o == "-p":',
      "        puerto = int(v)",
      '    elif o == "-c":',
      "        lecturas = int(v)",
      '    elif o == "-i":',
      "        intervalo = float(v)",
    ].join("\n");
    expect(argsOf(source, "client", SENSOR)).toBe("-h {host} -p {port} -c {count} -i {interval}");
  });

  it("sets environment variables a program reads its address from", () => {
    const source =
      'import os\nHOST = os.environ.get("ECHO_HOST", "127.0.0.1")\nPORT = int(os.getenv("ECHO_PORT", "65432"))';
    expect(drafted({ "main.py": source }, "client").env).toEqual({
      ECHO_HOST: "{host}",
      ECHO_PORT: "{port}",
    });
  });
});
