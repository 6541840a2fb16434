// `npm run bench [-- PART…]`: PART is `analyse` (socklab analyse against tshark and tcpdump, as processes, on
// real-looking captures), `grading` (checking the reference), `sensor` (the sensor tasks against their floor)
// or `internal` (in-process decode/analyse loops, for socklab's developers); default: analyse grading sensor.
// Prints Markdown and saves it, with the raw measurements, in bench/out/.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { analyseBenchmark } from "./analyse-bench.ts";
import { type AloneRun, checkBenchmark, gradeAlone } from "./check-bench.ts";
import { internalBenchmark } from "./internal-bench.ts";
import { SENSOR_TASKS, sensorBenchmark } from "./sensor-bench.ts";

const PARTS = ["analyse", "grading", "sensor", "internal"] as const;
type Part = (typeof PARTS)[number];

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const out = join(here, "out");
mkdirSync(out, { recursive: true });

const asked = process.argv.slice(2);
const unknown = asked.filter((a) => !(PARTS as readonly string[]).includes(a));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown part ${unknown.join(", ")}; parts: ${PARTS.join(", ")}\n`);
  process.exit(2);
}
const parts = new Set<Part>(asked.length > 0 ? (asked as Part[]) : ["analyse", "grading", "sensor"]);

const sections: string[] = [];
const raw: Record<string, unknown> = { date: new Date().toISOString(), parts: [...parts] };
if (parts.has("analyse")) {
  const analysis = await analyseBenchmark(here, root);
  sections.push(`## Capture analysis: socklab analyse, tshark, tcpdump\n\n${analysis.markdown}`);
  raw.analyse = analysis;
}
let alone: Record<string, AloneRun> | undefined;
if (parts.has("grading")) {
  process.stderr.write("bench: grading the reference (each task alone, then all together) …\n");
  const grading = await checkBenchmark(3);
  alone = grading.alone;
  sections.push(`## Grading the reference\n\n${grading.markdown}`);
}
if (parts.has("sensor")) {
  process.stderr.write("bench: the sensor tasks against their floor, and the lossy link's latency …\n");
  sections.push(`## Sensor tasks\n\n${await sensorBenchmark(alone ?? (await gradeAlone(SENSOR_TASKS, 3)))}`);
}
if (parts.has("internal")) {
  const internal = await internalBenchmark(here, root);
  sections.push(
    `## Internal: in-process decode and analysis loops (not what users run)\n\n${internal.markdown}`,
  );
  raw.internal = internal.rows;
}

const text = `${sections.join("\n\n")}\n`;
process.stdout.write(text);
writeFileSync(join(out, "results.md"), text);
writeFileSync(join(out, "results.json"), JSON.stringify(raw, null, 2));
