// What grading costs the machine: runs `socklab check reference` (or one task of it) and prints its wall time,
// the CPU-seconds of socklab and every process it started (user+sys), its score, and with --launches the
// programs started per run (execve calls counted by strace, a measurement tool only: it slows the grading,
// so CPU and wall are measured in rounds without it).
//
//   node scripts/grading-cost.mjs [--task ID,…] [--rounds N] [--launches] [--json]
//
// CPU time is read two ways: the children's rusage as a shell `times` sees it (every process reaped in the
// tree), and, where cgroup v1's cpuacct is mounted, a control group made for the grading (socklab's own
// groups for the programs sit below it, so nothing it starts escapes the count).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;
const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const task = option("--task");
const rounds = Number(option("--rounds") ?? 1) || 1;
const launches = args.includes("--launches");
const json = args.includes("--json");
const CPUACCT = "/sys/fs/cgroup/cpuacct";
const USER_HZ = 100;

/** Runs the grading once; resolves with its exit code, wall ms, rusage CPU ms and cgroup CPU ms. */
function grade(out, straceFile) {
  const group =
    straceFile === undefined && existsSync(join(CPUACCT, "cpuacct.stat")) ? makeGroup() : undefined;
  const check = [
    "node",
    "bin/socklab.js",
    "check",
    "reference",
    "--out",
    out,
    "--json",
    ...(task ? ["--task", task] : []),
  ];
  const traced =
    straceFile === undefined
      ? check
      : ["strace", "-f", "-qq", "-e", "trace=execve", "-e", "signal=none", "-o", straceFile, ...check];
  const join_ = group === undefined ? "" : `echo $$ >${group}/cgroup.procs || exit 99; `;
  const script = `${join_}"$@" >"${out}.json" 2>"${out}.err"; s=$?; times >&2; exit $s`;
  const started = performance.now();
  const child = spawn("/bin/bash", ["-c", script, "cost", ...traced], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (c) => {
    stderr += c;
  });
  return new Promise((resolve) => {
    child.on("close", (code) => {
      const wallMs = performance.now() - started;
      // `times`: the shell's own line, then its children's ("0m9.120s 0m2.030s").
      const line = stderr.trim().split("\n").at(-1) ?? "";
      const m = line.match(/^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/);
      const rusageMs = m
        ? (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000
        : null;
      let cgroupMs = null;
      if (group !== undefined) {
        const stat = Object.fromEntries(
          readFileSync(join(group, "cpuacct.stat"), "utf8")
            .trim()
            .split("\n")
            .map((l) => l.split(" ")),
        );
        cgroupMs = ((Number(stat.user) + Number(stat.system)) * 1000) / USER_HZ;
        try {
          rmdirSync(group);
        } catch {
          // A process left in it: leave the group.
        }
      }
      resolve({ code, wallMs, rusageMs, cgroupMs });
    });
  });
}

function makeGroup() {
  const dir = join(CPUACCT, `grading-cost-${process.pid}-${Math.random().toString(16).slice(2, 8)}`);
  mkdirSync(dir);
  return dir;
}

/** Score and runs from socklab.json. */
function summary(out) {
  try {
    const doc = JSON.parse(readFileSync(`${out}.json`, "utf8"));
    const runs = doc.tasks.reduce((n, t) => n + (t.runs?.length ?? 0), 0);
    return { score: `${doc.score}/${doc.maxScore}`, runs };
  } catch {
    return { score: "?", runs: 0 };
  }
}

/** execve calls that succeeded, by program name. */
function countLaunches(file) {
  const byName = new Map();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = line.match(/execve\("([^"]+)".*\) = 0$/);
    if (!m) continue;
    const name = basename(m[1]);
    byName.set(name, (byName.get(name) ?? 0) + 1);
  }
  return byName;
}

const work = mkdtempSync(join(tmpdir(), "grading-cost-"));
const results = [];
try {
  for (let i = 0; i < rounds; i++) {
    const out = join(work, `round-${i}`);
    const r = await grade(out);
    const s = summary(out);
    results.push({ ...r, ...s });
    if (!json)
      console.log(
        `round ${i + 1}: ${s.score}, ${s.runs} runs, wall ${(r.wallMs / 1000).toFixed(2)} s, CPU ${((r.rusageMs ?? Number.NaN) / 1000).toFixed(2)} s (rusage)${r.cgroupMs === null ? "" : `, ${(r.cgroupMs / 1000).toFixed(2)} s (cgroup)`}, exit ${r.code}, load ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`,
      );
  }
  let launchReport;
  if (launches) {
    const out = join(work, "traced");
    const file = join(work, "execve.txt");
    const r = await grade(out, file);
    const s = summary(out);
    const byName = countLaunches(file);
    const total = [...byName.values()].reduce((a, b) => a + b, 0);
    launchReport = {
      total,
      runs: s.runs,
      perRun: total / s.runs,
      score: s.score,
      byName: Object.fromEntries([...byName].sort((a, b) => b[1] - a[1])),
    };
    if (!json) {
      console.log(
        `launches (strace, ${s.score}, exit ${r.code}): ${total} for ${s.runs} runs = ${(total / s.runs).toFixed(1)} per run`,
      );
      console.log(
        `  ${[...byName]
          .sort((a, b) => b[1] - a[1])
          .map(([n, c]) => `${n} ${c}`)
          .join(", ")}`,
      );
    }
  }
  if (json) console.log(JSON.stringify({ rounds: results, launches: launchReport }, null, 2));
} finally {
  rmSync(work, { recursive: true, force: true });
}
