// A port below 1024 is privileged on the host, not inside a run's own network namespace: a student server on
// port 80 is graded like any other (the handout's "privileged ports" are the host's).
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { explain, grader, REFERENCE } from "./grader.ts";

const { grade, dispose } = await grader("low-port", { only: ["tcp-echo"] });
afterAll(dispose);

it("grades a TCP echo server on port 80 inside the run's namespace", async ({ onTestFinished }) => {
  const dir = join(await mkdtemp(join(tmpdir(), "socklab-low-port-")), "submission");
  onTestFinished(() => rm(join(dir, ".."), { recursive: true, force: true }));
  await cp(REFERENCE, dir, { recursive: true });
  const manifest = await readFile(join(dir, "socklab.yaml"), "utf8");
  await writeFile(
    join(dir, "socklab.yaml"),
    manifest.replace(
      "    client: python3 client_echo.py {host} {port}\n",
      "    client: python3 client_echo.py {host} {port}\n    port: 80\n",
    ),
  );
  const result = await grade(dir);
  const task = result.tasks.find((t) => t.id === "tcp-echo")!;
  expect(task.status, explain(result)).toBe("passed");
});
