// Task 1.2 — a UDP receiver and a sender bound to an ephemeral port (localhost:5005). One datagram, no
// connection; the sender's source port must be one the OS chose (bind to port 0).
import {
  awaitServerLine,
  clientsExitCheck,
  crossRunCheck,
  datagramsCheck,
  defineTask,
  endOfInputAdvice,
  ephemeralPortCheck,
  type ProgramRole,
  type RunContext,
  role,
  runTypedClient,
  serverReadyCheck,
  typedInput,
  typedInputOption,
  udpOutputCheck,
  z,
} from "../harness/grade/index.ts";

// The receiver prints after recv(): the sender runs with its typed input, then socklab waits (bounded) for a
// line the receiver printed since the sender started (a banner printed before does not count).
async function sendThenAwait(ctx: RunContext, sender: ProgramRole, input: readonly string[]): Promise<void> {
  const { serverLinesBefore } = await runTypedClient(ctx, sender, input);
  await awaitServerLine(ctx, serverLinesBefore, "the receiver to print what it received");
}

export default defineTask({
  id: "udp-oneway",
  title: "UDP receiver and sender",
  section: "1.2",
  summary:
    "The handout's one-way UDP exchange: a receiver bound to a port, and a sender that binds to port 0 (an " +
    "ephemeral port the OS chooses) and sends one datagram with sendto(). No handshake, no acknowledgement.",
  defaults: { host: "localhost", port: 5005 },
  init: { match: [["udp"], ["receiver"], ["receptor"], ["sender"], ["emisor"]], rank: 20 },
  options: z.object({ input: typedInputOption }),
  runs: ({ entry, reference }) => [
    {
      name: "main",
      title: "the student's receiver with the student's sender",
      protocol: "udp",
      port: entry.port,
      server: role(entry, "server", "student", "receiver"),
      drive: (ctx) => sendThenAwait(ctx, role(entry, "client", "student", "sender"), typedInput(entry)),
    },
    {
      name: "reference-sender",
      title: "the student's receiver with the reference sender",
      protocol: "udp",
      port: entry.port,
      server: role(entry, "server", "student", "receiver"),
      drive: (ctx) => sendThenAwait(ctx, role(reference, "client", "reference", "reference sender"), []),
    },
    {
      name: "reference-receiver",
      title: "the reference receiver with the student's sender",
      protocol: "udp",
      port: entry.port,
      server: role(reference, "server", "reference", "reference receiver"),
      drive: (ctx) => sendThenAwait(ctx, role(entry, "client", "student", "sender"), typedInput(entry)),
    },
  ],
  checks: [
    serverReadyCheck({ id: "receiver-ready", title: "the receiver binds its port", points: 1 }),
    clientsExitCheck({
      id: "sender-exit",
      title: "the sender exits with code 0 in time",
      points: 1,
      dependsOn: "receiver-ready",
    }),
    datagramsCheck({ points: 2, dependsOn: "receiver-ready" }),
    ephemeralPortCheck({ points: 2 }),
    udpOutputCheck({
      id: "receiver-output",
      title: "the receiver prints the payload it received",
      program: "server",
      points: 2,
    }),
    crossRunCheck({
      id: "cross-reference-sender",
      title: "the reference sender's datagram is received",
      points: 1,
      run: "reference-sender",
      dependsOn: "receiver-ready",
      proves: "the student's receiver printed the reference sender's message",
      help: "Your receiver must print whatever datagram arrives on its port.",
      also: (run) => udpOutputCheck({ program: "server", points: 0, run }),
    }),
    crossRunCheck({
      id: "cross-reference-receiver",
      title: "the reference receiver gets the sender's datagram",
      points: 1,
      run: "reference-receiver",
      studentIsClient: true,
      proves: "the reference receiver printed the student sender's datagram",
      help: "Send one datagram to {host} {port} with sendto().",
      also: (run) => udpOutputCheck({ program: "server", points: 0, run }),
    }),
  ],
  advice: [endOfInputAdvice],
});
