// Converts nanosecond pcap and pcapng to classic microsecond pcap with tcpdump, for pcap-file.ts to read.
// When tcpdump refuses a file, the fault finders say where the input went wrong.

import { spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import { resolve } from "node:path";
import { CaptureError } from "./capture-error.ts";
import { locateClassicFault } from "./pcap-faults.ts";
import type { ReadCaptureOptions } from "./pcap-header.ts";
import { locatePcapngFault } from "./pcapng-faults.ts";
import type { CaptureHeader } from "./record.ts";

type Format = CaptureHeader["format"];

/** Converts nanosecond pcap or pcapng to classic microsecond pcap; on failure discards the output. */
export async function convert(
  file: string,
  output: string,
  format: Format,
  options: ReadCaptureOptions,
): Promise<void> {
  const tcpdump = options.tcpdump ?? "tcpdump";
  const timeoutMs = options.conversionTimeoutMs ?? 120_000;
  const outcome = await new Promise<{
    code: number | null;
    stderr: string;
    error?: Error;
    timedOut: boolean;
  }>((done) => {
    let stderr = "";
    let timedOut = false;
    const child = spawn(tcpdump, ["-n", "-r", resolve(file), "-w", output], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      if (stderr.length < 65536) stderr += chunk;
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      done({ code: null, stderr, error, timedOut });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, stderr, timedOut });
    });
  });
  if (outcome.code === 0) return;
  await rm(output, { force: true }).catch(() => undefined);
  const from = format === "pcapng" ? "pcapng" : "nanosecond pcap";
  if (outcome.error !== undefined) {
    throw new CaptureError(
      "conversion-failed",
      file,
      0,
      `cannot convert ${from} to classic pcap`,
      `could not run ${tcpdump}: ${outcome.error.message}`,
      { cause: outcome.error },
    );
  }
  if (outcome.timedOut) {
    throw new CaptureError(
      "conversion-failed",
      file,
      0,
      `cannot convert ${from} to classic pcap`,
      `${tcpdump} did not finish within ${timeoutMs / 1000} s`,
    );
  }
  const said = lastLine(outcome.stderr) || `exit code ${outcome.code}`;
  const located = format === "pcapng" ? await locatePcapngFault(file) : await locateClassicFault(file);
  if (located !== undefined) throw located;
  throw new CaptureError(
    "conversion-failed",
    file,
    0,
    `cannot convert ${from} to classic pcap`,
    `tcpdump: ${said}`,
  );
}

/** The last line tcpdump wrote to stderr that says something, without its "tcpdump: " prefix. */
export function lastLine(text: string): string {
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("reading from file"));
  return (lines[lines.length - 1] ?? "").replace(/^tcpdump: /, "");
}
