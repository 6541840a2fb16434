import { execFile } from "node:child_process";
import { createSocket } from "node:dgram";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { encodeLinkConfig, LISTENING_LINE } from "./link-config.ts";
import { parseLinkOutput } from "./link-role.ts";
import { bundleProxy, proxyBundleText } from "./proxy-bundle.ts";

describe("the bundled link program", () => {
  it("is one self-contained file, built once per process", async () => {
    const text = await proxyBundleText();
    expect(await proxyBundleText()).toBe(text);
    expect(text).not.toMatch(/from "\.\.?\//);
    expect(text).not.toMatch(/from "(?!node:)[^"]+"/);
  });

  it("listens, logs each datagram, and prints its stats on SIGINT", async () => {
    const dir = await mkdtemp(join(tmpdir(), "impair-bundle-"));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, "impair_proxy.mjs");
    await bundleProxy(file);
    const server = createSocket("udp4");
    server.on("message", (payload, from) => server.send(payload, from.port, from.address));
    await new Promise<void>((resolve) => server.bind(0, "127.0.0.1", resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const config = {
      listenPort: 0,
      target: { port: server.address().port },
      seed: 1,
      script: { dropFirst: "c2s" },
    };
    let stdout = "";
    const child = execFile(process.execPath, [file, encodeLinkConfig(config as never)], { timeout: 10_000 });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const listening = new Promise<void>((resolve) =>
      child.stdout?.on("data", (chunk: string) => {
        stdout += chunk;
        if (LISTENING_LINE.test(stdout)) resolve();
      }),
    );
    await listening;
    const port = parseLinkOutput(stdout).port!;
    const client = createSocket("udp4");
    onTestFinished(() => new Promise<void>((resolve) => client.close(() => resolve())));
    const replies: string[] = [];
    const replied = new Promise<void>((resolve) =>
      client.on("message", (payload) => {
        replies.push(String(payload));
        resolve();
      }),
    );
    client.send("one", port, "127.0.0.1");
    client.send("two", port, "127.0.0.1");
    await replied;
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    const output = parseLinkOutput(stdout);
    expect(replies).toEqual(["two"]);
    expect(output.log.map((e) => `${e.dir} ${e.k} ${e.action}`)).toEqual([
      "c2s 1 drop",
      "c2s 2 forward",
      "s2c 1 forward",
    ]);
    expect(output.stats).toMatchObject({ seed: 1, arrived: { c2s: 2, s2c: 1 }, held: 0 });
  });

  it("refuses a bad argument with one line and exit code 2", async () => {
    const dir = await mkdtemp(join(tmpdir(), "impair-bundle-"));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await bundleProxy(join(dir, "impair_proxy.mjs"));
    const outcome = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, [join(dir, "impair_proxy.mjs"), "{}"], (_, __, stderr) =>
        resolve({ code: child.exitCode, stderr }),
      );
    });
    expect(outcome).toEqual({
      code: 2,
      stderr: "socklab-link: impair: link config listenPort undefined is not a port (0 = any)\n",
    });
  });
});
