import { access, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { main } from "./main.ts";
import { memoryOutput } from "./output.ts";

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "socklab-init-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const SERVER = [
  "import socket, sys",
  "port = int(sys.argv[1])",
  "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
  "s.bind(('localhost', port))",
  "while True:",
  "    data, addr = s.recvfrom(65535)",
  "    s.sendto(data, addr)",
].join("\n");
const CLIENT = [
  "import socket, sys",
  "host, port = sys.argv[1], int(sys.argv[2])",
  "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
  "s.sendto(b'hi', (host, port))",
  "print(s.recvfrom(65535))",
].join("\n");

describe("socklab init", () => {
  it("writes the draft, prints the table of what it placed and why, then what is left", async () => {
    const dir = await tempDir();
    await mkdir(join(dir, "udp"));
    await writeFile(join(dir, "udp", "srv.py"), SERVER);
    await writeFile(join(dir, "udp", "cli.py"), CLIENT);
    await writeFile(join(dir, "helper.py"), "print('hello')\n");
    const output = memoryOutput();
    expect(await main(["init", dir], output)).toBe(0);
    const manifest = await readFile(join(dir, "socklab.yaml"), "utf8");
    expect(manifest).toContain(
      "  udp-echo:\n    cwd: udp\n    server: python3 srv.py {port}\n    client: python3 cli.py {host} {port}\n",
    );
    const text = output.stdout.join("\n");
    expect(text).toMatch(/udp-echo {2,}server {2}python3 srv\.py \{port\} +SOCK_DGRAM \+ recvfrom \+ sendto/);
    expect(text).toContain("Left for you:\n  - helper.py: not placed");
    // a second run keeps the file unless told
    const again = memoryOutput();
    expect(await main(["init", dir], again)).toBe(2);
    expect(again.stderr.join("")).toContain("socklab.yaml already exists (use --force to overwrite it)");
    expect(await main(["init", dir, "--force"], memoryOutput())).toBe(0);
  });

  it("writes nothing and exits 1 with a one-line hint when no task could be placed", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "plot.py"), "import matplotlib\n");
    const output = memoryOutput();
    expect(await main(["init", dir], output)).toBe(1);
    expect(output.stderr).toEqual([
      `socklab init: no task placed in ${dir} (1 source file(s) read): write socklab.yaml by hand (docs/manifest.md)`,
    ]);
    await expect(access(join(dir, "socklab.yaml"))).rejects.toThrow();
  });
});
