// A worked example of a task, outside the handout (docs/authoring.md walks through it): a UDP time server
// answers any datagram with the seconds since the epoch as text, sent back to the request's source.
import {
  clientsExitCheck,
  crossRunCheck,
  crossRuns,
  datagramsCheck,
  defineTask,
  fail,
  packetRef,
  pass,
  type RunRecord,
  replyToSourceCheck,
  runOf,
  serverReadyCheck,
  taskCheck,
  udpConversations,
  z,
} from "../../harness/grade/index.ts";

const TOLERANCE_S = 5; // how far a reply's time may be from the capture's clock

/** The server's replies in the run (packet number, time, text), each with the seconds its text holds. */
function replies(run: RunRecord) {
  return udpConversations(run)
    .flatMap((c) => c.timeline ?? [])
    .filter((row) => row.protocol === "udp" && row.direction === "s2c")
    .map((row) => ({ ...row, seconds: Number(row.preview.text.replace(/\\[rnt]/g, "").trim()) }));
}

export default defineTask({
  id: "time-server",
  title: "UDP time server",
  section: "example",
  summary: "A UDP server answers each datagram with the time, sent back to its source; the client prints it.",
  defaults: { host: "127.0.0.1", port: 3700 },
  init: { match: [["time"], ["hora"]], rank: 60 },
  options: z.object({}),
  runs: ({ entry, reference }) => crossRuns({ entry, reference, protocol: "udp" }),
  checks: [
    serverReadyCheck({ points: 1 }),
    clientsExitCheck({ points: 1 }),
    datagramsCheck({ points: 1 }),
    replyToSourceCheck({ points: 2 }),
    taskCheck({
      id: "current-time",
      title: `each reply holds the current time, within ${TOLERANCE_S} s`,
      points: 2,
      dependsOn: "reply-to-source",
      run: (evidence) => {
        const run = runOf(evidence, "main");
        for (const row of replies(run)) {
          const off = row.seconds - row.timeUs / 1e6;
          if (!Number.isFinite(off) || Math.abs(off) > TOLERANCE_S) {
            return fail({
              message: `the reply in packet ${row.number} is not the current time`,
              expected: `seconds since the epoch as text, e.g. "${Math.floor(row.timeUs / 1e6)}"`,
              actual: `"${row.preview.text}"${Number.isFinite(off) ? `, ${Math.round(off)} s off the capture's clock` : ""}`,
              evidence: [packetRef(run, row.number)],
              help: "Read the clock for each request (time.time()) and send str(...).encode() of it.",
            });
          }
        }
        return pass(`every reply held the time, within ${TOLERANCE_S} s of the capture's clock`);
      },
    }),
    taskCheck({
      id: "client-output",
      title: "the client prints the seconds it got",
      points: 1,
      dependsOn: "current-time",
      run: (evidence) => {
        const run = runOf(evidence, "main");
        const printed = run.clients.map((c) => c.outcome.stdout).join("");
        const whole = replies(run).map((row) => Math.floor(row.seconds)); // or the next, if the client rounds
        const missing = whole.filter((s) => !printed.includes(String(s)) && !printed.includes(String(s + 1)));
        if (whole.length > 0 && missing.length === 0) return pass(`the client printed ${whole.join(", ")}`);
        return fail({
          message: "the client did not print the time it got",
          expected: `the seconds ${whole.join(", ")} in its output`,
          actual: printed.trim().slice(0, 200) || "no output",
          help: "Print the reply, decoded: print(data.decode()).",
        });
      },
    }),
    crossRunCheck({
      id: "cross-reference-client",
      title: "the server answers the reference client",
      points: 1,
      run: "reference-client",
      proves: "the reference client got a time from the student's server and exited 0",
      help: "Answer every datagram, whatever it holds, with sendto(reply, addr).",
    }),
    crossRunCheck({
      id: "cross-reference-server",
      title: "the client works with the reference server",
      points: 1,
      run: "reference-server",
      studentIsClient: true,
      proves: "the student's client got the reference server's time and exited 0",
      help: "Send one datagram to {host} {port}, wait for the reply with a timeout, print it.",
    }),
  ],
});
