// Task 1.3 — UDP echo server and client (localhost:5005 unless the manifest says otherwise). Each message is
// one datagram; the reply must go back to the client's source address and port.
import {
  clientsExitCheck,
  crossRunCheck,
  crossRuns,
  datagramsCheck,
  defineTask,
  endOfInputAdvice,
  fail,
  probeReport,
  type RunRecord,
  replyToSourceCheck,
  runOf,
  serverReadyCheck,
  taskAdvice,
  typedInputOption,
  udpEchoCheck,
  udpOutputCheck,
  z,
} from "../harness/grade/index.ts";

/** Datagram sizes that score: up to the handout's own receive buffer, recv(512). */
const SCORED_SIZES = [1, 100, 512];
/** Larger datagrams: a server whose buffer cuts them gets advice, not a lower score. */
const ADVICE_SIZES = [1400, 8000];
const PROBE_SIZES = [...SCORED_SIZES, ...ADVICE_SIZES];

/** What socklab's UDP echo probe (tasks/probes/udp_echo_probe.py) prints: one entry per datagram size. */
const echoReport = z.object({
  datagrams: z.array(
    z.object({
      size: z.number(),
      replySize: z.number().nullable(),
      intact: z.boolean(),
      error: z.string().optional(),
    }),
  ),
});
type ProbeDatagram = z.output<typeof echoReport>["datagrams"][number];

function probeDatagrams(run: RunRecord): ProbeDatagram[] | null {
  return probeReport(run, echoReport)?.datagrams ?? null;
}

function datagramText(d: ProbeDatagram): string {
  return `${d.size} bytes: ${d.intact ? "intact" : (d.error ?? "not intact")}`;
}

export default defineTask({
  id: "udp-echo",
  title: "UDP echo server and client",
  section: "1.3",
  summary:
    "The echo of 1.1 over UDP: the server answers each datagram with the same bytes, sent back to the address " +
    "recvfrom() returned. socklab compares the traffic with TCP's: no handshake, no acknowledgements, no close.",
  defaults: { host: "localhost", port: 5005 },
  init: {
    match: [
      ["udp", "echo"],
      ["udp", "eco"],
    ],
    rank: 30,
  },
  options: z.object({ input: typedInputOption }),
  runs: ({ entry, reference }) =>
    crossRuns({
      entry,
      reference,
      protocol: "udp",
      probe: {
        script: "udp_echo_probe.py",
        args: [entry.host, entry.port, ...PROBE_SIZES],
        title: `the student's server with socklab's probe (datagrams of ${PROBE_SIZES.join(", ")} bytes)`,
      },
    }),
  checks: [
    serverReadyCheck({ points: 1 }),
    clientsExitCheck({ points: 1 }),
    udpOutputCheck({
      id: "client-output",
      title: "the client prints the echoed text",
      program: "client",
      points: 1,
    }),
    datagramsCheck({ points: 1 }),
    replyToSourceCheck({ points: 2 }),
    udpEchoCheck({ points: 2 }),
    crossRunCheck({
      id: "cross-reference-client",
      title: "the reference client is served",
      points: 1,
      run: "reference-client",
      proves: "the reference client got its echoes from the student's server",
      help: "Your server must answer any client: reply to the address recvfrom() gave, with the same bytes.",
      also: (run) => udpEchoCheck({ points: 0, run }),
    }),
    crossRunCheck({
      id: "cross-probe",
      title: `datagrams of ${SCORED_SIZES.join(", ")} bytes come back intact`,
      points: 2,
      run: "probe",
      proves: `socklab's probe got each of its datagrams of ${SCORED_SIZES.join(", ")} bytes back intact`,
      help: "Answer every datagram with recvfrom() and sendto() its bytes back to the address recvfrom() returned; a buffer of at least 512 bytes (the handout's) keeps these whole.",
      judge: (run) => {
        const datagrams = probeDatagrams(run);
        const scored = datagrams?.filter((d) => SCORED_SIZES.includes(d.size)) ?? [];
        const bad = scored.filter((d) => !d.intact);
        if (datagrams && scored.length === SCORED_SIZES.length && bad.length === 0) return null;
        return fail({
          message: `${bad.length || "the"} probe datagram(s) of up to 512 bytes did not come back intact`,
          expected: `each of the datagrams of ${SCORED_SIZES.join(", ")} bytes echoed to the probe, byte for byte`,
          actual: datagrams ? bad.map(datagramText).join("; ") : "the probe printed no report",
          help: "Reply with sendto(data, address), where data and address are exactly what recvfrom() returned.",
        });
      },
    }),
    crossRunCheck({
      id: "cross-reference-server",
      title: "the client works with the reference server",
      points: 1,
      run: "reference-server",
      studentIsClient: true,
      proves: "the student's client got its echoes from the reference server",
      help: "Send each message with sendto({host}, {port}) and wait for its reply with recvfrom().",
    }),
  ],
  advice: [
    endOfInputAdvice,
    taskAdvice({
      id: "large-datagrams",
      run: (evidence) => {
        const datagrams = probeDatagrams(runOf(evidence, "probe"));
        const bad = datagrams?.filter((d) => ADVICE_SIZES.includes(d.size) && !d.intact) ?? [];
        if (bad.length === 0) return null;
        return {
          message: `larger datagrams did not come back whole (${bad.map(datagramText).join("; ")})`,
          help: "recvfrom(n) silently cuts a datagram longer than n bytes; a buffer of 65535 bytes keeps any UDP datagram whole.",
        };
      },
    }),
  ],
});
