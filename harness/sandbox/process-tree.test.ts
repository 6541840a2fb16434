import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { listProcesses, namespacePids, parseProcStat, processTree, runnableThreads } from "./process-tree.ts";

describe("parseProcStat", () => {
  it("reads a name with spaces and parentheses, sums CPU ticks to ms, keeps the start time", () => {
    const text = "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 12 3 4 1 20 0 1 0 555 0 0";
    expect(parseProcStat(4242, text)).toEqual({
      pid: 4242,
      ppid: 1,
      pgid: 4242,
      sid: 4242,
      comm: "my (odd) name",
      state: "S",
      cpuMs: (12 + 3 + 4 + 1) * 10,
      startTicks: 555,
    });
  });

  it("rejects text that is not a stat line", () => {
    expect(parseProcStat(1, "nonsense")).toBeUndefined();
    expect(parseProcStat(1, "1 (x) S 0")).toBeUndefined();
  });
});

describe("processTree", () => {
  it("finds this process below its parent", () => {
    const table = listProcesses();
    const tree = processTree(process.ppid, table);
    expect(tree[0]?.pid).toBe(process.ppid);
    expect(tree.map((p) => p.pid)).toContain(process.pid);
  });

  it("is empty for a pid that does not exist", () => {
    expect(processTree(2 ** 22 + 12345)).toEqual([]);
  });

  it("knows this process's pid in its own namespace", () => {
    expect(namespacePids(process.pid)?.at(0)).toBe(process.pid);
  });
});

describe("runnableThreads", () => {
  /** Resolves when the child prints its first line (it has started and is about to do its work). */
  const started = (child: ReturnType<typeof spawn>) =>
    new Promise<void>((resolve) => child.stdout?.once("data", () => resolve()));

  it("finds a thread that spins and none in a process that waits", async ({ onTestFinished }) => {
    const spinner = spawn("python3", ["-u", "-c", "print('spinning')\nwhile True: pass"], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    const sleeper = spawn("python3", ["-u", "-c", "import time; print('sleeping'); time.sleep(30)"], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    onTestFinished(() => {
      spinner.kill("SIGKILL");
      sleeper.kill("SIGKILL");
    });
    await Promise.all([started(spinner), started(sleeper)]);
    // A spinning thread is R in nearly every look; one look may catch it between time slices. The sleeper
    // may still be on its way from print() into sleep(): it is looked at until it sleeps (bounded).
    const looks = Array.from({ length: 20 }, () => runnableThreads([spinner.pid!]));
    expect(looks.filter((n) => n > 0).length).toBeGreaterThan(10);
    await expect.poll(() => runnableThreads([sleeper.pid!]), { timeout: 5000, interval: 10 }).toBe(0);
    expect(runnableThreads([999_999_999])).toBe(0);
  });
});
