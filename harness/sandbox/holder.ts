// The run holder (holder.sh): spawned once per run, it owns the run's namespaces and tcpdump. Node talks to it
// with lines: it prints READY when tcpdump listens; on STOP it sends the capture barrier's marker (MARKED),
// socklab waits until the marker is in the capture file, and on END the holder stops tcpdump and reports.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { open, readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { SandboxError, type SandboxErrorCode } from "./errors.ts";
import type { RunIdentity } from "./identity.ts";
import type { RunDirs } from "./run-dirs.ts";

export interface HolderSettings {
  readonly mode: "namespace" | "host";
  readonly dirs: RunDirs;
  readonly identity: RunIdentity;
  /** tmpfs size for the work directory; 0 for a plain directory. */
  readonly workBytes: number;
  readonly nft: boolean;
  readonly capture: boolean;
  /** tcpdump filter words (host mode). */
  readonly filter: string;
  readonly nonce: string;
  readonly readyTimeoutMs: number;
  readonly barrierTimeoutMs: number;
  /** The capture file's size limit and tcpdump's packet count (the budget plus the barrier's allowance). */
  readonly captureLimits: { readonly bytes: number; readonly packets: number };
}

/** What the holder reported at the end of the run. */
export interface HolderReport {
  readonly barrierMs: number | null;
  readonly barrierTimedOut: boolean;
  readonly tcpdumpExitCode: number | null;
  /** tcpdump had ended before STOP. */
  readonly captureEnded: boolean;
  readonly warnings: string[];
}

/** Extra time for starting the namespaces on top of tcpdump's own start-up wait. */
const START_SLACK_MS = 3000;
/** How long the holder may take to exit after SIGKILL (its pid namespace is torn down by the kernel). */
const KILL_WAIT_MS = 2000;

const ERROR_CODES: Readonly<Record<string, SandboxErrorCode>> = {
  TCPDUMP_NOT_READY: "TCPDUMP_NOT_READY",
  NFT: "NFT_FAILED",
};

/** A running holder process. */
export class Holder {
  readonly pid: number;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: string[] = [];
  private readonly lineListeners = new Set<(line: string) => void>();
  private stderr = "";
  private readonly closed: Promise<void>;
  private exited = false;

  private constructor(
    child: ChildProcessWithoutNullStreams,
    private readonly settings: HolderSettings,
  ) {
    this.child = child;
    this.pid = child.pid ?? -1;
    createInterface({ input: child.stdout }).on("line", (line) => {
      this.lines.push(line);
      for (const listener of this.lineListeners) listener(line);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (this.stderr.length < 65536) this.stderr += chunk.toString("utf8");
    });
    child.stdin.on("error", () => {
      // The holder is gone; its exit is reported through `closed`.
    });
    this.closed = new Promise((resolve) => {
      child.once("close", () => resolve());
      child.once("error", () => resolve());
    });
    child.once("exit", () => {
      this.exited = true;
    });
  }

  /** Starts the holder and waits until it prints READY; throws a SandboxError when it cannot. */
  static async start(settings: HolderSettings): Promise<Holder> {
    const { dirs, identity } = settings;
    const namespaces = ["unshare", "--user", "--map-current-user", "--keep-caps", "--net", "--pid", "--fork"];
    const command = [
      ...(settings.mode === "namespace" ? identity.prefix : []),
      ...["setpriv", "--pdeathsig=KILL", "--"],
      ...(settings.mode === "namespace" ? [...namespaces, "--kill-child", "--mount-proc", "--"] : []),
      ...["/bin/bash", dirs.holderScript, dirs.runDir, dirs.scratch],
    ];
    const child = spawn(command[0]!, command.slice(1), {
      cwd: "/",
      stdio: ["pipe", "pipe", "pipe"],
      env: {
        PATH: "/usr/sbin:/usr/bin:/sbin:/bin",
        LANG: "C.UTF-8",
        HOLDER_MODE: settings.mode,
        HOLDER_WORK_BYTES: String(settings.workBytes),
        HOLDER_SEED: dirs.sub === undefined ? "0" : "1",
        HOLDER_NFT: settings.nft ? "1" : "0",
        HOLDER_CAPTURE: settings.capture ? "1" : "0",
        HOLDER_FILTER: settings.filter,
        HOLDER_NONCE: settings.nonce,
        // ulimit -f counts KiB: rounded up, the file may hold the whole budget.
        HOLDER_CAPTURE_BLOCKS: String(Math.ceil(settings.captureLimits.bytes / 1024)),
        HOLDER_CAPTURE_PACKETS: String(settings.captureLimits.packets),
      },
    });
    const holder = new Holder(child, settings);
    const outcome = await holder.waitForLine(
      (line) => line === "READY" || line.startsWith("ERROR "),
      settings.readyTimeoutMs + START_SLACK_MS,
    );
    if (outcome === "READY") return holder;
    await holder.kill();
    if (outcome?.startsWith("ERROR ")) {
      const [, code = "", ...words] = outcome.split(" ");
      const text = words.join(" ");
      throw new SandboxError(ERROR_CODES[code] ?? "HOLDER_FAILED", `run holder: ${code}: ${text}`);
    }
    const why = holder.exited ? `it exited: ${holder.stderr.trim() || "no output"}` : "no READY in time";
    const tcpdump = settings.capture
      ? (await readFile(settings.dirs.tcpdumpErr, "utf8").catch(() => "")).trim().replaceAll("\n", " | ")
      : "";
    throw new SandboxError(
      tcpdump === "" ? "HOLDER_NOT_READY" : "TCPDUMP_NOT_READY",
      `the run holder did not become ready within ${settings.readyTimeoutMs + START_SLACK_MS} ms (${why}${tcpdump === "" ? "" : `; tcpdump said: ${tcpdump}`})`,
    );
  }

  /** Stops the run: barrier, tcpdump stop, holder exit. Kills the holder if it does not finish in time. */
  async stop(timeoutMs: number): Promise<HolderReport> {
    const warnings: string[] = [];
    let barrierMs: number | null = null;
    let barrierTimedOut = false;
    if (!this.exited) {
      const deadline = performance.now() + timeoutMs;
      // The marker can only be after what the file holds now.
      const from = await fileSize(this.settings.dirs.stagedCapture);
      this.child.stdin.write("STOP\n");
      const said = this.settings.capture
        ? await this.waitForLine(
            (line) => line === "MARKED" || line === "CAPTURE_ENDED" || line === "DONE",
            this.settings.barrierTimeoutMs,
          )
        : undefined;
      if (said === "MARKED") {
        const started = performance.now();
        const found = await waitForMarker(
          this.settings.dirs.stagedCapture,
          `GRADER-END-${this.settings.nonce}`,
          from,
          this.settings.barrierTimeoutMs,
        );
        barrierMs = Math.round(performance.now() - started);
        barrierTimedOut = !found;
      }
      this.child.stdin.end("END\n");
      if (!(await this.waitClosed(Math.max(KILL_WAIT_MS, deadline - performance.now())))) {
        warnings.push(`the run holder did not finish within ${timeoutMs} ms after STOP and was killed`);
        await this.kill();
      }
    } else {
      warnings.push("the run holder had already exited before the end of the run");
    }
    const value = (prefix: string) => {
      const line = this.lines.find((l) => l.startsWith(prefix));
      return line === undefined ? null : Number(line.slice(prefix.length));
    };
    // bash's own note of tcpdump dying of SIGXFSZ at the capture budget is said by the close result instead.
    const stderr = this.stderr
      .split("\n")
      .filter((l) => !/\bFile size limit exceeded\b.*tcpdump/.test(l))
      .join("\n")
      .trim();
    if (stderr !== "") warnings.push(`run holder stderr: ${stderr}`);
    return {
      barrierMs,
      barrierTimedOut,
      captureEnded: this.lines.includes("CAPTURE_ENDED"),
      tcpdumpExitCode: value("TCPDUMP_RC="),
      warnings,
    };
  }

  /** SIGKILLs the holder (its pid namespace and everything in it go too) and waits for it. */
  async kill(): Promise<void> {
    if (!this.exited) this.child.kill("SIGKILL");
    await this.waitClosed(KILL_WAIT_MS);
  }

  private async waitClosed(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const done = await Promise.race([this.closed.then(() => true as const), timedOut]);
    clearTimeout(timer);
    return done;
  }

  /** Resolves with the first line matching `accept`, or undefined on exit or timeout. */
  private waitForLine(accept: (line: string) => boolean, timeoutMs: number): Promise<string | undefined> {
    const seen = this.lines.find(accept);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const finish = (value: string | undefined) => {
        clearTimeout(timer);
        this.lineListeners.delete(listener);
        resolve(value);
      };
      const listener = (line: string) => {
        if (accept(line)) finish(line);
      };
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      this.lineListeners.add(listener);
      this.closed.then(() => finish(this.lines.find(accept)));
    });
  }
}

async function fileSize(path: string): Promise<number> {
  const handle = await open(path, "r").catch(() => undefined);
  if (!handle) return 0;
  try {
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}

/** How often the capture file is looked at for the marker: at once, then a little later each time. */
const MARKER_POLL_MS = { first: 2, most: 25 } as const;

/**
 * Waits until `marker` is in the capture file past `from` (so every packet before it is in the file too);
 * false after `timeoutMs`. Reads only what was added since the last look (and a marker's length before it).
 */
async function waitForMarker(
  file: string,
  marker: string,
  from: number,
  timeoutMs: number,
): Promise<boolean> {
  const needle = Buffer.from(marker, "latin1");
  const deadline = performance.now() + timeoutMs;
  let offset = Math.max(0, from - needle.length);
  let pause: number = MARKER_POLL_MS.first;
  const handle = await open(file, "r").catch(() => undefined);
  if (!handle) return false;
  try {
    for (;;) {
      const size = (await handle.stat()).size;
      if (size > offset) {
        const chunk = Buffer.alloc(size - offset);
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, offset);
        if (chunk.subarray(0, bytesRead).includes(needle)) return true;
        offset = Math.max(offset, offset + bytesRead - needle.length + 1);
      }
      const left = deadline - performance.now();
      if (left <= 0) return false;
      await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
      pause = Math.min(pause * 2, MARKER_POLL_MS.most);
    }
  } finally {
    await handle.close();
  }
}
