import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gradingFingerprint } from "./fingerprint.ts";

const dir = await mkdtemp(join(tmpdir(), "socklab-fingerprint-"));
afterAll(() => rm(dir, { recursive: true, force: true }));
const context = { version: "1.0.0", seed: 7, tasks: ["tcp-echo", "udp-echo"] };

describe("gradingFingerprint", () => {
  it("is stable, and changes with any file, the version, the seed or the tasks", async () => {
    await writeFile(join(dir, "server.py"), "print('hi')\n");
    const first = await gradingFingerprint(dir, context);
    expect(await gradingFingerprint(dir, { ...context, tasks: ["udp-echo", "tcp-echo"] })).toBe(first);
    expect(await gradingFingerprint(dir, { ...context, seed: 8 })).not.toBe(first);
    expect(await gradingFingerprint(dir, { ...context, version: "1.0.1" })).not.toBe(first);
    expect(await gradingFingerprint(dir, { ...context, tasks: ["tcp-echo"] })).not.toBe(first);
    await writeFile(join(dir, "server.py"), "print('hi!')\n");
    const edited = await gradingFingerprint(dir, context);
    expect(edited).not.toBe(first);
    await chmod(join(dir, "server.py"), 0o755);
    expect(await gradingFingerprint(dir, context)).not.toBe(edited);
  });
});
