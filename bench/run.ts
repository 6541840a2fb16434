// `npm run bench`: measures socklab's capture decoding and full TCP analysis on generated captures, side by
// side with tshark and tcpdump on the same files in the same run, and prints a table (also saved as JSON).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkBenchmark } from "./check-bench.ts";
import { generateTcpCapture } from "./generate.ts";
import { sensorBenchmark } from "./sensor-bench.ts";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "out");
mkdirSync(out, { recursive: true });

interface Measured {
  exitCode: number;
  wallSeconds: number;
  cpuSeconds: number;
  peakRssKiB: number;
  lastLine: string;
}

function measure(command: string[]): Measured {
  const text = execFileSync("python3", [join(here, "measure-child.py"), ...command], { encoding: "utf8" });
  return JSON.parse(text.trim().split("\n").pop() ?? "{}") as Measured;
}

function capture(packets: number): string {
  const file = join(out, `tcp-${packets / 1000}k.pcap`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${file} …\n`);
    generateTcpCapture(file, { packets, perConnection: 500, concurrent: 64, seed: 1 });
  }
  return file;
}

const node = [process.execPath, "--import", "tsx", join(here, "measure.ts")];
const sizes = [250_000, 1_000_000];
const rows: Record<string, string | number>[] = [];
for (const size of sizes) {
  const file = capture(size);
  const tools: [string, string[]][] = [
    ["socklab decode", [...node, "decode", file]],
    ["socklab analyse", [...node, "analyse", file]],
  ];
  if (size === 1_000_000) {
    tools.push(
      ["tcpdump -r", ["tcpdump", "-n", "-r", file]],
      [
        "tshark -T fields",
        [
          "tshark",
          "-r",
          file,
          "-T",
          "fields",
          "-e",
          "frame.number",
          "-e",
          "ip.src",
          "-e",
          "ip.dst",
          "-e",
          "tcp.srcport",
          "-e",
          "tcp.dstport",
          "-e",
          "tcp.seq_raw",
          "-e",
          "tcp.ack_raw",
          "-e",
          "tcp.flags",
          "-e",
          "tcp.len",
        ],
      ],
    );
  }
  for (const [name, command] of tools) {
    process.stderr.write(`${name} on ${size.toLocaleString("en")} packets …\n`);
    const m = measure(command);
    let inner: { packetsPerSecond?: number; seconds?: number } = {};
    try {
      inner = JSON.parse(m.lastLine);
    } catch {
      // tshark and tcpdump print packets, not a JSON summary.
    }
    rows.push({
      tool: name,
      packets: size,
      "wall s": m.wallSeconds.toFixed(2),
      "packets/s (whole process)": Math.round(size / m.wallSeconds),
      "packets/s (reading loop)": inner.packetsPerSecond ?? "–",
      "peak RSS MiB": (m.peakRssKiB / 1024).toFixed(0),
      exit: m.exitCode,
    });
  }
}

const headers = Object.keys(rows[0] ?? {});
const table = [
  `| ${headers.join(" | ")} |`,
  `| ${headers.map(() => "---").join(" | ")} |`,
  ...rows.map((r) => `| ${headers.map((h) => String(r[h])).join(" | ")} |`),
].join("\n");
const tshark = rows.find((r) => r.tool === "tshark -T fields" && r.packets === 1_000_000);
const ours = rows.filter((r) => r.packets === 1_000_000 && String(r.tool).startsWith("socklab"));
const ratios = ours.map(
  (r) =>
    `${r.tool}: ${(Number(tshark?.["wall s"]) / Number(r["wall s"])).toFixed(1)}× tshark (whole process)`,
);
process.stderr.write("grading the reference (each task alone, then all together) …\n");
const grading = await checkBenchmark(3);
process.stderr.write("the sensor tasks against their floor, and the lossy link's latency …\n");
const sensors = await sensorBenchmark(grading.alone);
const text = `## Capture decoding and analysis\n\n${table}\n\n${ratios.join("\n")}\n\n## Grading the reference\n\n${grading.markdown}\n\n## Sensor tasks\n\n${sensors}\n`;
process.stdout.write(text);
writeFileSync(join(out, "results.json"), JSON.stringify({ date: new Date().toISOString(), rows }, null, 2));
writeFileSync(join(out, "results.md"), text);
