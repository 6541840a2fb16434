// The capture-analysis benchmark: the commands users run (`socklab analyse`, as the installed CLI runs, and
// tshark and tcpdump beside it), each a process timed from outside by measure-child.py, several times, on
// real-looking captures (captures.ts). A failed, crashed or timed-out run is recorded as such, not thrown.
import { execFileSync } from "node:child_process";
import { copyFileSync, createReadStream, mkdirSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { type BenchCapture, benchCaptures } from "./captures.ts";
import { checkCommandJson, type JsonCheck } from "./json-check.ts";

/** One run of one command, as measure-child.py reports it. */
export interface Measured {
  exitCode: number | null;
  signal: number | null;
  timedOut: boolean;
  wallSeconds: number;
  cpuSeconds: number;
  peakRssKiB: number;
  treeRssKiB: number;
  stderrTail: string[];
}

/** A command measured on one capture. */
export interface Row {
  readonly label: string;
  readonly capture: string;
  readonly packets: number;
  readonly command: string[];
  readonly runs: Measured[];
}

interface Planned {
  label: string;
  command: string[];
}

const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT ?? 1800);
const TSHARK_CONV = "tshark -q -z conv,tcp";
const TCPDUMP = "tcpdump -nr";

/** Runs one command through measure-child.py (stdout to /dev/null). */
export function measure(here: string, command: string[], stdout = "/dev/null"): Measured {
  const text = execFileSync(
    "python3",
    [join(here, "measure-child.py"), "--stdout", stdout, "--timeout", String(TIMEOUT_S), "--", ...command],
    { encoding: "utf8", maxBuffer: 1 << 20 },
  );
  return JSON.parse(text.trim().split("\n").pop() ?? "{}") as Measured;
}

function ok(run: Measured): boolean {
  return run.exitCode === 0 && !run.timedOut;
}

function outcome(run: Measured): string {
  if (run.timedOut) return `timed out after ${TIMEOUT_S} s`;
  if (run.signal !== null) return `killed by signal ${run.signal}`;
  if (run.exitCode === 0) return "ok";
  const why = run.stderrTail.filter((l) => !/DeprecationWarning|trace-deprecation/.test(l)).pop() ?? "";
  return `exit ${run.exitCode}${why ? `: ${why.slice(0, 120).replaceAll("|", "\\|")}` : ""}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

// The commands measured on a capture: every command on the 1 M file; on the others socklab, tcpdump and
// (for the ratio column) `tshark -z conv,tcp`, which on the 10 M file only runs when BENCH_TSHARK_10M=1.
function commands(cli: string, capture: BenchCapture): Planned[] {
  const f = capture.path;
  const socklab = [process.execPath, cli, "analyse", f];
  const list: Planned[] = [
    { label: "socklab analyse (Markdown)", command: socklab },
    { label: "socklab analyse --json", command: [...socklab, "--json"] },
  ];
  const big = capture.counts.packets > 5_000_000;
  if (!big && capture.name.startsWith("mixed")) {
    list.push({
      label: "tshark -T fields (frame.number, tcp.analysis.flags)",
      command: ["tshark", "-r", f, "-T", "fields", "-e", "frame.number", "-e", "tcp.analysis.flags"],
    });
  }
  if (!big || process.env.BENCH_TSHARK_10M === "1") {
    list.push({ label: TSHARK_CONV, command: ["tshark", "-r", f, "-q", "-z", "conv,tcp"] });
  }
  if (!big && capture.name.startsWith("mixed")) {
    list.push({
      label: "tshark -2 -q -z conv,tcp",
      command: ["tshark", "-r", f, "-2", "-q", "-z", "conv,tcp"],
    });
  }
  list.push({ label: TCPDUMP, command: ["tcpdump", "-nr", f] });
  return list;
}

// Reads the file once, untimed, so that every measured run reads it from the page cache alike.
async function warm(path: string): Promise<void> {
  for await (const _ of createReadStream(path, { highWaterMark: 8 << 20 })) {
    // nothing: reading is the point
  }
}

/** Runs the commands on one capture, round-robin (run 1 of each, then run 2 of each…); a command that
 * failed is not run again. */
async function measureCapture(here: string, cli: string, capture: BenchCapture): Promise<Row[]> {
  await warm(capture.path);
  const rows: Row[] = commands(cli, capture).map((p) => ({
    label: p.label,
    capture: capture.name,
    packets: capture.counts.packets,
    command: p.command,
    runs: [],
  }));
  for (let r = 0; r < REPEATS; r++) {
    for (const row of rows) {
      if (row.runs.some((run) => !ok(run))) continue;
      process.stderr.write(`bench: ${row.label} on ${row.capture} (run ${r + 1}/${REPEATS}) …`);
      const run = measure(here, row.command);
      process.stderr.write(` ${run.wallSeconds.toFixed(1)} s, ${outcome(run)}\n`);
      row.runs.push(run);
    }
  }
  return rows;
}

function ratio(row: Row, rows: Row[], baseline: string): string {
  const base = rows.find((r) => r.capture === row.capture && r.label === baseline);
  if (!base || base.runs.length === 0 || !base.runs.every(ok) || !row.runs.every(ok)) return "–";
  const value = median(row.runs.map((r) => r.wallSeconds)) / median(base.runs.map((r) => r.wallSeconds));
  return `${value.toFixed(value < 1 ? 2 : 1)}×`;
}

function tableRow(row: Row, rows: Row[]): string {
  const walls = row.runs.map((r) => r.wallSeconds);
  const good = row.runs.every(ok);
  const wall = walls.length
    ? `${Math.min(...walls).toFixed(2)} / ${median(walls).toFixed(2)} / ${Math.max(...walls).toFixed(2)}`
    : "–";
  const rss = Math.max(...row.runs.map((r) => r.treeRssKiB)) / 1024;
  const pps = good ? Math.round(row.packets / median(walls)).toLocaleString("en") : "–";
  const result = good ? "ok" : outcome(row.runs.find((r) => !ok(r))!);
  return `| ${row.label} | ${row.capture} | ${row.runs.length} | ${wall} | ${median(row.runs.map((r) => r.cpuSeconds)).toFixed(2)} | ${rss.toFixed(0)} | ${pps} | ${ratio(row, rows, TSHARK_CONV)} | ${ratio(row, rows, TCPDUMP)} | ${result} |`;
}

function describe(c: BenchCapture): string {
  const n = c.counts;
  return `- **${c.name}** (\`${c.path}\`): ${n.packets.toLocaleString("en")} packets, ${(c.fileBytes / 2 ** 20).toFixed(0)} MiB; TCP ${n.tcp.toLocaleString("en")}, UDP ${n.udp.toLocaleString("en")}; IPv4 ${n.ipv4.toLocaleString("en")}, IPv6 ${n.ipv6.toLocaleString("en")}; ${n.syn.toLocaleString("en")} SYNs (about one per TCP conversation), ${n.rst.toLocaleString("en")} RSTs. ${c.made}.`;
}

function environment(root: string): string {
  const line = (file: string, args: string[]) => {
    try {
      return execFileSync(file, args, { encoding: "utf8", cwd: root, stdio: ["ignore", "pipe", "pipe"] })
        .trim()
        .split("\n")[0];
    } catch {
      return "?";
    }
  };
  const dirty = line("git", ["status", "--porcelain", "--", "harness", "bin"])
    ? " (harness has changes)"
    : "";
  return `socklab ${line("git", ["rev-parse", "--short", "HEAD"])}${dirty}, Node ${process.version}, ${line("tshark", ["--version"])}, ${line("tcpdump", ["--version"])}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`;
}

/** The JSON check of the 10 M-packet `--json` output, run once more through the streaming checker. */
async function jsonValidity(cli: string, capture: BenchCapture): Promise<JsonCheck & { seconds: number }> {
  process.stderr.write(
    `bench: checking that socklab analyse --json on ${capture.name} prints valid JSON …\n`,
  );
  const started = performance.now();
  const check = await checkCommandJson([process.execPath, cli, "analyse", capture.path, "--json"]);
  return { ...check, seconds: (performance.now() - started) / 1000 };
}

function verdictLine(check: JsonCheck & { seconds: number }): string {
  const v = check.verdict;
  const command = check.exitCode === 0 ? "exit 0" : `exit ${check.exitCode ?? `signal ${check.signal}`}`;
  const verdict = v.valid
    ? `**valid JSON** (${v.bytes.toLocaleString("en")} bytes, nesting ${v.maxDepth})`
    : `**not valid JSON**: ${v.error} at byte ${v.offset?.toLocaleString("en")} of ${v.bytes.toLocaleString("en")}`;
  const why =
    check.exitCode === 0
      ? ""
      : ` (${check.stderrTail.filter((l) => l && !/Deprecation/.test(l)).pop() ?? ""})`;
  return `${verdict}; the command: ${command}${why}, ${check.seconds.toFixed(1)} s with the checker reading its output`;
}

// Builds socklab and copies what an installed socklab runs (bin/socklab.js, dist/, package.json: no TypeScript
// sources, so bin/socklab.js loads the bundle) to bench/out/socklab/, so that a rebuild of dist/ by someone
// else in the checkout cannot change the program between runs. Returns the copy's bin/socklab.js.
function snapshot(here: string, root: string): string {
  if (process.env.BENCH_NO_BUILD !== "1") {
    execFileSync(process.execPath, [join(root, "scripts", "build.mjs")], { stdio: "inherit" });
  }
  const copy = join(here, "out", "socklab");
  rmSync(copy, { recursive: true, force: true });
  for (const file of ["bin/socklab.js", "dist/socklab.mjs", "dist/impair_proxy.mjs", "package.json"]) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    copyFileSync(join(root, file), join(copy, file));
  }
  return join(copy, "bin", "socklab.js");
}

// Before timing anything: socklab must print a report at all (a command that does nothing is fast).
function preflight(root: string, cli: string): void {
  const text = execFileSync(
    process.execPath,
    [cli, "analyse", join(root, "fixtures", "captures", "tcp-echo.pcap")],
    { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
  );
  if (!text.includes("# Analysis of")) throw new Error("bench: the built socklab analyse printed no report");
}

/** Runs the analysis benchmark; returns Markdown and everything measured. */
export async function analyseBenchmark(
  here: string,
  root: string,
): Promise<{ markdown: string; rows: Row[]; captures: BenchCapture[]; json?: JsonCheck }> {
  const cli = snapshot(here, root);
  preflight(root, cli);
  const before = environment(root);
  const captures = benchCaptures(here, join(here, "out"));
  const rows: Row[] = [];
  for (const capture of captures) rows.push(...(await measureCapture(here, cli, capture)));
  const largest = captures.reduce((a, b) => (b.counts.packets > a.counts.packets ? b : a));
  const json = process.env.BENCH_SKIP_JSON_CHECK === "1" ? undefined : await jsonValidity(cli, largest);
  const markdown = [
    `Measured ${new Date().toISOString()} — ${before}; at the end: load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}.`,
    "",
    ...captures.map(describe),
    "",
    "| command | capture | runs | wall s (min / median / max) | CPU s (median) | peak RSS MiB | packets/s | wall vs `tshark -z conv,tcp` | wall vs `tcpdump -nr` | result |",
    "| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ...rows.map((row) => tableRow(row, rows)),
    "",
    json
      ? `\`socklab analyse ${largest.name}.pcap --json\` checked by bench/json-check.ts: ${verdictLine(json)}.`
      : "(JSON check skipped: BENCH_SKIP_JSON_CHECK=1)",
  ].join("\n");
  return { markdown, rows, captures, ...(json ? { json } : {}) };
}
