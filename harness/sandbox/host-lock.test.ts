import { describe, expect, it } from "vitest";
import { acquireHostLock } from "./host-lock.ts";

describe("acquireHostLock", () => {
  it("lets one host run in at a time, in order", async () => {
    const order: string[] = [];
    const releaseA = await acquireHostLock(1000);
    const b = acquireHostLock(1000).then((release) => {
      order.push("b");
      return release;
    });
    const c = acquireHostLock(1000).then((release) => {
      order.push("c");
      release();
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual([]);
    releaseA();
    releaseA(); // a second release must not let two runs in
    (await b)();
    await c;
    expect(order).toEqual(["b", "c"]);
  });

  it("gives up after its timeout with a SandboxError, and the queue moves on", async () => {
    const release = await acquireHostLock(1000);
    await expect(acquireHostLock(30)).rejects.toMatchObject({ code: "HOST_LOCK_TIMEOUT" });
    const next = acquireHostLock(1000);
    release();
    (await next)();
  });
});
