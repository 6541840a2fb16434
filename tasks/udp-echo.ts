// Task 1.3 — UDP echo server and client (localhost:5005 unless the manifest says otherwise). Each message is
// one datagram; the reply must go back to the client's source address and port.
import {
  clientsExitCheck,
  crossRunCheck,
  crossRuns,
  datagramsCheck,
  defineTask,
  fail,
  probeReport,
  replyToSourceCheck,
  serverReadyCheck,
  udpEchoCheck,
  udpOutputCheck,
  z,
} from "../harness/grade/index.ts";

const PROBE_SIZES = [1, 100, 1400, 8000];

export default defineTask({
  id: "udp-echo",
  title: "UDP echo server and client",
  section: "1.3",
  summary:
    "The echo of 1.1 over UDP: the server answers each datagram with the same bytes, sent back to the address " +
    "recvfrom() returned. socklab compares the traffic with TCP's: no handshake, no acknowledgements, no close.",
  defaults: { host: "localhost", port: 5005 },
  options: z.object({}),
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
      title: `datagrams of ${PROBE_SIZES.join(", ")} bytes come back intact`,
      points: 2,
      run: "probe",
      proves: `socklab's probe got each of its ${PROBE_SIZES.length} datagrams back intact`,
      help: "recvfrom(n) cuts a datagram longer than n bytes: use a buffer as large as the largest datagram (65535 is safe).",
      judge: (run) => {
        const report = probeReport(run);
        return report?.ok
          ? null
          : fail({
              message: "some probe datagrams did not come back intact",
              actual: JSON.stringify(report),
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
});
