import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { crc32, zipArchive } from "./zip-archive.ts";

const dir = await mkdtemp(join(tmpdir(), "socklab-zip-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("zipArchive", () => {
  it("computes CRC-32 as ZIP does", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
  });

  it("writes an archive Python's zipfile reads, executable bits kept", async () => {
    const archive = zipArchive([
      { name: "setup.sh", data: new TextEncoder().encode("#!/bin/sh\necho hi\n"), mode: 0o755 },
      { name: "data/notes.txt", data: new TextEncoder().encode("é".repeat(1000)) },
    ]);
    await writeFile(join(dir, "a.zip"), archive);
    const python = (code: string) =>
      promisify(execFile)("python3", ["-c", code, join(dir, "a.zip"), join(dir, "out")]);
    await python(
      "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; z.extractall(sys.argv[2])",
    );
    const mode = await python(
      "import sys, zipfile; print(oct(zipfile.ZipFile(sys.argv[1]).getinfo('setup.sh').external_attr >> 16))",
    );
    expect(mode.stdout.trim()).toBe("0o100755");
    expect(await readFile(join(dir, "out", "setup.sh"), "utf8")).toBe("#!/bin/sh\necho hi\n");
    expect(await readFile(join(dir, "out", "data", "notes.txt"), "utf8")).toBe("é".repeat(1000));
  });
});
