// Grades folders of submissions several times in a row and reports whether every verdict stayed the same:
// the reference (full marks), the correct variants (fixtures/variants/, each must stay at full marks), the
// buggy fixtures (fixtures/submissions/, each must keep the verdicts of expected.yaml) and the hostile ones
// (fixtures/hostile/, their expected.yaml). With --load, a CPU-heavy process runs on every core meanwhile, to
// show that verdicts do not depend on the machine's load. The soak: --rounds 50 --load --only
// reference,fixtures,hostile. After each round a line says how many submissions were off so far.
//
//   node --import tsx scripts/repeat-grading.ts [--rounds 5] [--load] [--concurrency 3]
//     [--only reference,variants,fixtures,hostile]
import { spawn } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { parseYaml, type SubmissionResult } from "../harness/grade/index.ts";
import { explain, FIXTURES, grader, HOSTILE, REFERENCE, VARIANTS } from "../test/e2e/grader.ts";

const args = process.argv.slice(2);
const rounds = Number(args[args.indexOf("--rounds") + 1] ?? 5) || 5;
const load = args.includes("--load");
const sets = new Set(
  (args.includes("--only")
    ? (args[args.indexOf("--only") + 1] ?? "")
    : "reference,variants,fixtures,hostile"
  ).split(","),
);
const concurrency = args.includes("--concurrency") ? Number(args[args.indexOf("--concurrency") + 1]) : 3;
const { grade, dispose } = await grader("repeat", { concurrency });

/** task → failed or errored check ids, sorted. */
function failures(result: SubmissionResult): string {
  const parts = result.tasks
    .filter((t) => t.status !== "not-submitted")
    .map(
      (t) =>
        `${t.id}:[${t.checks
          .filter((c) => c.status === "failed" || c.status === "errored")
          .map((c) => c.id)
          .sort()
          .join(",")}]`,
    );
  return parts.join(" ");
}

const expectedText = await readFile(join(FIXTURES, "expected.yaml"), "utf8");
const parsed = parseYaml(expectedText);
const expected = (parsed.ok ? parsed.value : {}) as Record<string, Record<string, string[]> | null>;

const allPassed = (r: SubmissionResult) =>
  r.tasks.every((t) => t.status === "not-submitted" || t.status === "passed");
const subjects: { name: string; dir: string; want: (r: SubmissionResult) => boolean }[] = [];
if (sets.has("reference")) {
  subjects.push({ name: "reference", dir: REFERENCE, want: (r) => allPassed(r) && r.score === r.maxScore });
}
if (sets.has("variants")) {
  for (const d of await readdir(VARIANTS, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    subjects.push({
      name: `variants/${d.name}`,
      dir: join(VARIANTS, d.name),
      want: allPassed,
    });
  }
}
if (sets.has("fixtures")) {
  for (const [name, tasks] of Object.entries(expected)) {
    if (name === "reference") continue;
    const want = Object.entries(tasks ?? {})
      .map(([t, ids]) => `${t}:[${[...ids].sort().join(",")}]`)
      .sort();
    subjects.push({
      name: `fixtures/${name}`,
      dir: join(FIXTURES, name),
      want: (r) =>
        failures(r)
          .split(" ")
          .filter((p) => !p.endsWith(":[]"))
          .sort()
          .join(" ") === want.join(" "),
    });
  }
}

if (sets.has("hostile")) {
  const text = await readFile(join(HOSTILE, "expected.yaml"), "utf8");
  const hostile = parseYaml(text);
  for (const [name, ids] of Object.entries((hostile.ok ? hostile.value : {}) as Record<string, string[]>)) {
    const want = ids.length === 0 ? [] : [`tcp-echo:[${[...ids].sort().join(",")}]`];
    subjects.push({
      name: `hostile/${name}`,
      dir: join(HOSTILE, name),
      want: (r) =>
        failures(r)
          .split(" ")
          .filter((p) => !p.endsWith(":[]"))
          .sort()
          .join(" ") === want.join(" "),
    });
  }
}

const burners = load
  ? Array.from({ length: availableParallelism() }, () =>
      spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" }),
    )
  : [];
const verdicts = new Map<string, string[]>();
const wrong = new Map<string, number>();
/** What the checks said when a round was off, to tell a flaky verdict's cause. */
const details = new Map<string, string[]>();
const started = performance.now();
// SIGINT ends the soak after the round under way, with the summary of the rounds done.
let stopAsked = false;
let done = 0;
process.on("SIGINT", () => {
  if (stopAsked) process.exit(130);
  stopAsked = true;
  process.stderr.write("SIGINT: stopping after this round (again to stop at once)\n");
});
try {
  for (let round = 1; round <= rounds && !stopAsked; round++) {
    await Promise.all(
      subjects.map(async (s) => {
        const result = await grade(s.dir);
        verdicts.set(s.name, [...(verdicts.get(s.name) ?? []), failures(result)]);
        if (!s.want(result)) {
          wrong.set(s.name, (wrong.get(s.name) ?? 0) + 1);
          details.set(s.name, [...(details.get(s.name) ?? []), `round ${round}: ${explain(result)}`]);
          process.stderr.write(`round ${round}: ${s.name} off the expected verdict: ${explain(result)}\n`);
        }
      }),
    );
    done = round;
    const off = [...wrong.keys()];
    process.stderr.write(
      `round ${round}/${rounds} done (${Math.round((performance.now() - started) / 1000)} s): ` +
        `${off.length} of ${subjects.length} submissions off so far${off.length ? ` (${off.join(", ")})` : ""}\n`,
    );
  }
} finally {
  for (const b of burners) b.kill("SIGKILL");
  await dispose();
}

let unstable = 0;
for (const s of subjects) {
  const seen = new Set(verdicts.get(s.name));
  const bad = wrong.get(s.name) ?? 0;
  if (seen.size > 1 || bad > 0) {
    unstable++;
    process.stdout.write(
      `${s.name}: ${bad}/${done} rounds off the expected verdict; seen: ${[...seen].join(" | ")}\n`,
    );
  }
}
process.stdout.write(
  `${subjects.length} submissions × ${done} rounds${done < rounds ? ` (of ${rounds}, stopped)` : ""}${load ? ` under load (${burners.length} CPU burners)` : ""}: ` +
    `${subjects.length - unstable} always as expected, ${unstable} not (${Math.round((performance.now() - started) / 1000)} s)\n`,
);
process.exitCode = unstable === 0 ? 0 : 1;
