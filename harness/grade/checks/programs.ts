// Checks on the programs themselves: the server becomes ready, does not crash; the clients exit 0 in time and
// print what they should. Each factory names the run it looks at.
import { limitText } from "../../run/index.ts";
import type { ProgramRecord } from "../../session/index.ts";
import { type CheckDefinition, fail, pass } from "../check.ts";
import { crashLines, outputRefs, studentClients, tracebackLine, tracebackLines } from "../evidence.ts";
import type { AdviceDefinition, TaskEvidence } from "../task.ts";
import { type RunCheckOptions, runCheck } from "./run-check.ts";

type Check = CheckDefinition<TaskEvidence<unknown>>;

/** The server of `run` listened (TCP) or was bound (UDP) on its port in time. */
export function serverReadyCheck(options: Omit<RunCheckOptions, "dependsOn">): Check {
  return runCheck(options, { id: "server-ready", title: "the server becomes ready" }, (run) => {
    const ready = run.serverReady;
    const what = `${run.protocol.toUpperCase()} port ${run.port}`;
    if (ready?.status === "done") {
      return pass(
        `the server ${run.protocol === "tcp" ? "listened" : "was bound"} on ${ready.value.localAddress}:${run.port} after ${ready.elapsedMs} ms`,
      );
    }
    const server = run.server;
    const seen =
      ready === null
        ? "the server was not started"
        : ready.status === "ended"
          ? `the server ended first: ${ready.outcome.description}${tracebackLine(ready.outcome) ? ` (${tracebackLine(ready.outcome)})` : ""}`
          : `nothing ${run.protocol === "tcp" ? "listening" : "bound"} on ${what} after ${ready.timeoutMs} ms`;
    return fail({
      message: `the server did not become ready on ${what}`,
      expected: `a socket ${run.protocol === "tcp" ? "in LISTEN state" : "bound"} on ${what}`,
      actual: seen,
      evidence: server ? outputRefs(run, server) : [],
      help:
        `Check that the server binds the port the manifest gives (${run.port}; use {port} in the command) and ` +
        `${run.protocol === "tcp" ? "calls listen()" : "calls bind()"} before anything that blocks. Run it by hand and look for a traceback.`,
    });
  });
}

/**
 * A client that socklab typed input to, which did its work and then, asking for more, died of the end of
 * input (EOFError from input()): the end of input was socklab's doing, so this is not a crash of the client.
 */
export function endedAtEndOfInput(record: ProgramRecord): boolean {
  return (
    record.role.stdin === "pipe" &&
    record.outcome.exitCode === 1 &&
    record.outcome.killedBy === undefined &&
    /^EOFError\b/.test(tracebackLines(record.outcome).at(-1) ?? "")
  );
}

/** Whether a client ended as it should: exit code 0, or the end of socklab's typed input (see above). */
export function clientEndedWell(record: ProgramRecord): boolean {
  return record.outcome.exitCode === 0 || endedAtEndOfInput(record);
}

function describeClient(record: ProgramRecord): string {
  const tb = tracebackLine(record.outcome);
  return `${record.role.name} ${record.outcome.description}${tb ? ` — ${tb}` : ""}`;
}

/** Every student client of `run` exited with code 0 before its time limit. */
export function clientsExitCheck(options: RunCheckOptions): Check {
  return runCheck(
    options,
    { id: "client-exit", title: "the client exits with code 0 in time", dependsOn: "server-ready" },
    (run) => {
      const clients = studentClients(run);
      if (clients.length === 0) {
        return fail({
          message: "no client was started",
          expected: "the client to run",
          actual: "no client",
        });
      }
      const bad = clients.filter((c) => !clientEndedWell(c));
      if (bad.length === 0) {
        return pass(
          `${clients.map((c) => `${c.role.name} ${c.outcome.exitCode === 0 ? "exited with code 0" : "ended when its typed input ran out (EOFError)"} after ${c.outcome.wallMs} ms`).join("; ")}`,
        );
      }
      const first = bad[0]!;
      const hung = first.outcome.killedBy === "timeout" || first.outcome.killedBy === "stop";
      return fail({
        message: `${bad.length === 1 ? first.role.name : `${bad.length} clients`} did not exit normally`,
        expected: "exit code 0 within the time limit",
        actual: bad.map(describeClient).join("; "),
        evidence: outputRefs(run, first),
        help: hung
          ? "The client was still running: make sure it closes its socket and returns once it has its reply (a recv() waiting for data that never comes blocks for ever)."
          : "Read the client's error output: the traceback's last line says what went wrong.",
      });
    },
  );
}

/** The server of `run` did not crash: no traceback, no non-zero exit before socklab stopped it. */
export function serverSurvivesCheck(
  options: Omit<RunCheckOptions, "dependsOn"> & { readonly help?: string },
): Check {
  return runCheck(
    options,
    { id: "server-survives", title: "the server does not crash", dependsOn: "server-ready" },
    (run) => {
      const server = run.server;
      if (!server) return fail({ message: "the server was not started", actual: "no server" });
      const stoppedBySocklab = server.outcome.killedBy === "stop";
      // A client that resets its connection can make one handler's recv() raise; when the server keeps
      // serving (socklab had to stop it), that is advice, not a crash — and whether the reset lands while
      // the handler is in recv() is a matter of timing.
      const tb = crashLines(server.outcome).filter((l) => !(stoppedBySocklab && PEER_ERROR.test(l)))[0];
      const exitedBadly = !stoppedBySocklab && server.outcome.exitCode !== 0;
      if (!tb && !exitedBadly) {
        return pass(
          stoppedBySocklab
            ? "the server kept running until socklab stopped it"
            : `the server ${server.outcome.description}`,
        );
      }
      return fail({
        message: "the server crashed",
        expected: "the server to keep serving (or to end cleanly) without a traceback",
        actual: `${server.outcome.description}${tb ? ` — ${tb}` : ""}`,
        evidence: outputRefs(run, server, /Traceback|Error|Exception/),
        help:
          options.help ??
          "Handle a client that disconnects: recv() returns b'' then, and send() may raise BrokenPipeError or ConnectionResetError — end that client's loop instead of the program.",
      });
    },
  );
}

/** Errors a peer causes by resetting or closing its end of a connection. */
const PEER_ERROR = /^(ConnectionResetError|BrokenPipeError|ConnectionAbortedError)\b/;

/** Advice for a server that kept serving but printed a traceback when a client reset its connection. */
export const peerErrorAdvice: AdviceDefinition<TaskEvidence<unknown>> = {
  id: "connection-reset-traceback",
  run: (evidence) => {
    for (const run of Object.values(evidence.runs)) {
      const server = run.server;
      if (server?.role.source !== "student" || server.outcome.killedBy !== "stop") continue;
      const line = tracebackLines(server.outcome).find((l) => PEER_ERROR.test(l));
      if (line) {
        return {
          message: `a server thread ended with a traceback (${line}) when a client reset or closed its connection (run ${run.name}); the server kept serving`,
          evidence: outputRefs(run, server, PEER_ERROR),
          help: "Catch ConnectionResetError and BrokenPipeError in each client's loop and end that client quietly.",
        };
      }
    }
    return null;
  },
};

/** Advice for a client that ended with an EOFError traceback when its typed input ran out. */
export const endOfInputAdvice: AdviceDefinition<TaskEvidence<unknown>> = {
  id: "end-of-input",
  run: (evidence) => {
    for (const run of Object.values(evidence.runs)) {
      const client = run.clients.find((c) => c.role.source === "student" && endedAtEndOfInput(c));
      if (client) {
        return {
          message: `${client.role.name} ended with an EOFError traceback when its input ran out (run ${run.name})`,
          evidence: outputRefs(run, client, /EOFError/),
          help: "End cleanly at the end of input (Ctrl+D): catch EOFError around input(), or read with `for line in sys.stdin`.",
        };
      }
    }
    return null;
  },
};

/** Advice for a student server that ends with a KeyboardInterrupt traceback when stopped with Ctrl+C. */
export const ctrlCAdvice: AdviceDefinition<TaskEvidence<unknown>> = {
  id: "ctrl-c-traceback",
  run: (evidence) => {
    for (const run of Object.values(evidence.runs)) {
      const server = run.server;
      if (
        server?.role.source === "student" &&
        server.outcome.killedBy === "stop" &&
        tracebackLines(server.outcome).some((l) => /^KeyboardInterrupt\b/.test(l))
      ) {
        return {
          message: `the server prints a KeyboardInterrupt traceback when stopped with Ctrl+C (run ${run.name})`,
          evidence: outputRefs(run, server, /KeyboardInterrupt/),
          help: "Catch KeyboardInterrupt around the server's loop (or handle SIGINT) to close the socket and exit cleanly.",
        };
      }
    }
    return null;
  },
};

/**
 * The resource limits the student's programs ran into (processes, memory, output, disk), named with their sizes:
 * what a failed check's message already says, said also for a task whose checks passed.
 */
export const limitsAdvice: AdviceDefinition<TaskEvidence<unknown>> = {
  id: "resource-limits",
  run: (evidence) => {
    const seen = new Map<string, string>();
    for (const run of Object.values(evidence.runs)) {
      for (const program of [run.server, ...run.clients]) {
        if (program?.role.source !== "student") continue;
        for (const hit of program.outcome.limits) {
          const text = `the ${program.role.name}: ${limitText(hit)}`;
          const key = `${program.role.name}/${hit.kind}/${hit.kind === "disk" ? hit.what : ""}`;
          if (!seen.has(key)) seen.set(key, text);
        }
      }
    }
    if (seen.size === 0) return null;
    const kinds = new Set([...seen.keys()].map((key) => key.split("/")[1]));
    const loops = [
      kinds.has("processes") ? "forks or starts threads" : "",
      kinds.has("memory") ? "allocates" : "",
      kinds.has("output") ? "prints" : "",
      kinds.has("disk") ? "writes files" : "",
    ].filter((s) => s !== "");
    return {
      message: `socklab's limits stopped part of what the programs did: ${[...seen.values()].join("; ")}`,
      evidence: [],
      help: `A program for this lab needs few processes, little memory, little output and almost no disk: look for a loop that ${loops.join(", ").replace(/, ([^,]*)$/, " or $1")} without end.`,
    };
  },
};
