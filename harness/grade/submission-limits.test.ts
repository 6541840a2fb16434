import { mkdir, mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkSubmissionSize } from "./submission-limits.ts";

describe("checkSubmissionSize", () => {
  it("counts files and bytes, and refuses a folder past either limit with one line", async ({
    onTestFinished,
  }) => {
    const dir = await mkdtemp(join(tmpdir(), "socklab-size-"));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await mkdir(join(dir, "sub"));
    await writeFile(join(dir, "a.py"), "x".repeat(100));
    await writeFile(join(dir, "sub", "b.py"), "y".repeat(50));
    expect(await checkSubmissionSize(dir)).toEqual({ files: 3, bytes: 150 });
    await expect(checkSubmissionSize(dir, { files: 2, bytes: 1000 })).rejects.toMatchObject({
      code: "submission-too-large",
      message: expect.stringMatching(/holds more than 2 files and folders/),
    });
    await expect(checkSubmissionSize(dir, { files: 10, bytes: 120 })).rejects.toThrow(/holds more than/);
  });

  it("counts a sparse file at its apparent size, and names the largest file", async ({ onTestFinished }) => {
    const dir = await mkdtemp(join(tmpdir(), "socklab-size-"));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, "server.py"), "print('hi')\n");
    // 96 MiB of holes: no blocks on disk, but a copy would write them all.
    await writeFile(join(dir, "holes.bin"), "");
    await truncate(join(dir, "holes.bin"), 96 * 1024 * 1024);
    await expect(checkSubmissionSize(dir)).rejects.toThrow(/largest file: holes\.bin, 96\.0 MiB/);
  });
});
