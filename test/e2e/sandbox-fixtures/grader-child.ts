// A grader that is killed mid-run by the cleanup test: opens a sandbox, starts a stubborn server, reports
// the pids, then waits to be SIGKILLed.
import { startProgram, waitForPort } from "../../../harness/run/index.ts";
import { openSandbox } from "../../../harness/sandbox/index.ts";

const [outDir = "", submission = ""] = process.argv.slice(2);
const sandbox = await openSandbox({ outDir, submission });
const server = await startProgram(sandbox, {
  name: "server",
  command: "python3 stubborn-server.py",
  timeoutMs: 60_000,
});
const ready = await waitForPort(sandbox, { protocol: "tcp", port: 65432, program: server, timeoutMs: 5000 });
process.stdout.write(
  `${JSON.stringify({ holderPid: sandbox.holderPid, launcherPid: server.pid, ready: ready.status })}\n`,
);
setInterval(() => {}, 1000);
