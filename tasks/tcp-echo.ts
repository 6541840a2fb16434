// Task 1.1 — TCP echo server and client (127.0.0.1:65432). The student's pair runs together; the student's
// server is also driven by the reference client and by socklab's probe (a payload larger than one recv()
// buffer, sent in pieces), and the student's client meets the reference server.
import {
  allAckedCheck,
  clientsExitCheck,
  crossRunCheck,
  crossRuns,
  defineTask,
  endOfInputAdvice,
  fail,
  findPrintedBytes,
  handshakeCheck,
  orderlyCloseCheck,
  outputRefs,
  pass,
  probeReport,
  runOf,
  serverReadyCheck,
  serverSurvivesCheck,
  showBytes,
  streamBytes,
  studentClients,
  taskCheck,
  tcpConversations,
  tcpEchoCheck,
  typedInputOption,
  z,
} from "../harness/grade/index.ts";

const PROBE_SIZE = 6000;

export default defineTask({
  id: "tcp-echo",
  title: "TCP echo server and client",
  section: "1.1",
  summary:
    "The handout's TCP echo: the server accepts a connection and sends back every byte it receives; the client " +
    "sends a message and prints the reply. socklab checks the programs, then the traffic: the three-way " +
    "handshake, the echo byte for byte, the acknowledgements and the close.",
  defaults: { host: "127.0.0.1", port: 65432 },
  init: { match: [["echo"], ["eco"], ["tcp"]], rank: 10 },
  options: z.object({ input: typedInputOption }),
  runs: ({ entry, reference }) =>
    crossRuns({
      entry,
      reference,
      protocol: "tcp",
      probe: {
        script: "tcp_echo_probe.py",
        args: [entry.host, entry.port, PROBE_SIZE, 700],
        title: `the student's server with socklab's probe (${PROBE_SIZE} bytes in pieces)`,
      },
    }),
  checks: [
    serverReadyCheck({ points: 1 }),
    clientsExitCheck({ points: 1 }),
    taskCheck({
      id: "client-output",
      title: "the client prints the echoed text",
      points: 1,
      dependsOn: "server-ready",
      run: (evidence) => {
        const run = runOf(evidence, "main");
        const client = studentClients(run)[0];
        const echoes = tcpConversations(run)
          .map((conv) => streamBytes(conv.s2c.stream))
          .filter((b): b is Uint8Array => b !== null && b.length > 0);
        if (!client || echoes.length === 0) {
          return fail({
            message: "the server echoed nothing the client could print",
            expected: "an echo from the server",
            actual: tcpConversations(run).length > 0 ? "no bytes from the server" : "no connection",
          });
        }
        const lines = client.outcome.lines;
        const missing = echoes.find((bytes) => !findPrintedBytes(lines, bytes));
        if (!missing) {
          const line = findPrintedBytes(lines, echoes[0]!)!;
          return pass(
            `the client printed the echoed text (${line.stream} line ${line.number}: "${line.text.slice(0, 80)}")`,
            [
              {
                kind: "output",
                run: run.name,
                program: client.role.name,
                stream: line.stream,
                line: line.number,
                text: line.text.slice(0, 300),
              },
            ],
          );
        }
        return fail({
          message: "the client did not print the text the server echoed",
          expected: `the output to show "${showBytes(missing)}" (as text or as Python shows bytes)`,
          actual: client.outcome.stdout.trim()
            ? `"${client.outcome.stdout.trim().slice(0, 200)}"`
            : "no output",
          evidence: outputRefs(run, client),
          help: "Print what recv() returned, e.g. print('Received', repr(data)).",
        });
      },
    }),
    serverSurvivesCheck({ points: 1 }),
    handshakeCheck({ points: 2 }),
    tcpEchoCheck({ points: 2 }),
    allAckedCheck({ points: 1 }),
    orderlyCloseCheck({ points: 1 }),
    crossRunCheck({
      id: "cross-reference-client",
      title: "the reference client is served",
      points: 1,
      run: "reference-client",
      proves: "the reference client got its echo from the student's server",
      help: "Your server must work with any correct client, not only yours: echo whatever arrives, as it arrives.",
      also: (run) => tcpEchoCheck({ points: 0, run }),
    }),
    crossRunCheck({
      id: "cross-probe",
      title: `a ${PROBE_SIZE}-byte payload sent in pieces comes back whole`,
      points: 2,
      run: "probe",
      proves: `socklab's probe sent ${PROBE_SIZE} bytes in 700-byte pieces and got every byte back in order`,
      help: "TCP is a byte stream: one send() is not one recv(). Keep calling recv() in a loop and echo each chunk until recv() returns b''.",
      judge: (run) => {
        const report = probeReport(run, z.looseObject({ ok: z.boolean() }));
        return report?.ok
          ? null
          : fail({ message: "the probe's payload did not come back whole", actual: JSON.stringify(report) });
      },
    }),
    crossRunCheck({
      id: "cross-reference-server",
      title: "the client works with the reference server",
      points: 1,
      run: "reference-server",
      studentIsClient: true,
      proves: "the student's client exchanged its message with the reference server",
      help: "Your client must work with any correct server: connect to {host} {port}, send, and read until you have the whole reply.",
    }),
  ],
  advice: [endOfInputAdvice],
});
