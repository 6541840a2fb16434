// Checks on a run's UDP traffic, from the capture: datagrams and no handshake, an ephemeral source port,
// replies to the client's exact source address and port, echoed bytes.
import type { UdpConversation, UdpPacketRow } from "../../analyse/types.ts";
import type { RunRecord } from "../../session/index.ts";
import { type CheckDefinition, fail, pass } from "../check.ts";
import { carrying, packetRef, tcpConversations, udpConversations } from "../evidence.ts";
import { findPrintedBytes } from "../printed-bytes.ts";
import type { TaskEvidence } from "../task.ts";
import { type RunCheckOptions, runCheck } from "./run-check.ts";

type Check = CheckDefinition<TaskEvidence<unknown>>;

/** Linux's default ephemeral range (net.ipv4.ip_local_port_range), the same in every fresh namespace. */
export const EPHEMERAL_PORTS = { from: 32768, to: 60999 } as const;

/** The conversations whose server side is the run's port (the client's datagrams to the server). */
function toServer(run: RunRecord): UdpConversation[] {
  return udpConversations(run).filter((c) => c.server.port === run.port);
}

/** The message travels as UDP datagrams to the server's port, with no TCP connection. */
export function datagramsCheck(options: RunCheckOptions): Check {
  return runCheck(
    options,
    { id: "datagrams", title: "messages travel as UDP datagrams, no handshake", dependsOn: "server-ready" },
    (run) => {
      const tcp = tcpConversations(run);
      const convs = toServer(run);
      if (tcp.length > 0) {
        return fail({
          message: `the programs used TCP on port ${run.port}`,
          expected: "UDP datagrams (socket.SOCK_DGRAM), no connection",
          actual: `a TCP connection from port ${tcp[0]!.client.port}`,
          evidence: [packetRef(run, tcp[0]!.firstPacket)],
          help: "Create the socket with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) and send with sendto().",
        });
      }
      const count = convs.reduce((n, c) => n + c.c2s.datagrams, 0);
      if (count === 0) {
        return fail({
          message: `no UDP datagram reached port ${run.port}`,
          expected: `at least one datagram to port ${run.port}`,
          actual: `${run.analysis?.capture.packets ?? 0} packets in the capture, none a datagram to port ${run.port}`,
          help: "Send to the host and port the manifest gives ({host} {port}).",
        });
      }
      const sizes = convs.flatMap((c) => c.c2s.sizes);
      return pass(
        `${count} datagram(s) to port ${run.port} (payload sizes ${sizes.join(", ")} bytes), no handshake, no acknowledgements`,
      );
    },
  );
}

/** The sender's source port was chosen by the OS (bind to port 0): inside the ephemeral range. */
export function ephemeralPortCheck(options: RunCheckOptions): Check {
  return runCheck(
    options,
    { id: "ephemeral-port", title: "the sender uses an ephemeral source port", dependsOn: "datagrams" },
    (run) => {
      for (const c of toServer(run)) {
        const port = c.client.port;
        if (port < EPHEMERAL_PORTS.from || port > EPHEMERAL_PORTS.to) {
          return fail({
            message: `the sender's source port ${port} is not an ephemeral port`,
            expected: `a port the OS picks, ${EPHEMERAL_PORTS.from}–${EPHEMERAL_PORTS.to} on Linux`,
            actual: `source port ${port}`,
            evidence: [packetRef(run, c.firstPacket)],
            help: 'Bind the sending socket to port 0 — udp_socket.bind(("localhost", 0)) — so the OS chooses a free port, as the handout shows.',
          });
        }
      }
      const ports = toServer(run).map((c) => c.client.port);
      return pass(
        `the sender's source port${ports.length > 1 ? "s" : ""} ${ports.join(", ")} ${ports.length > 1 ? "are" : "is"} ephemeral (chosen by the OS)`,
      );
    },
  );
}

/** Each reply went back to the client's exact source address and port. */
export function replyToSourceCheck(options: RunCheckOptions): Check {
  return runCheck(
    options,
    {
      id: "reply-to-source",
      title: "replies go back to the client's source address and port",
      dependsOn: "datagrams",
    },
    (run) => {
      for (const c of toServer(run)) {
        const stray = c.replies.strayReplies[0];
        if (stray || c.s2c.datagrams === 0) {
          return fail({
            message: stray
              ? `the server's reply went to ${stray.to.address}:${stray.to.port}, not to the client's ${c.client.address}:${c.client.port}`
              : `the server sent no reply to ${c.client.address}:${c.client.port}`,
            expected: `replies to ${c.client.address}:${c.client.port}, where the request came from`,
            actual: stray
              ? `${stray.datagrams} datagram(s) to ${stray.to.address}:${stray.to.port}`
              : "no datagram back",
            evidence: stray ? [packetRef(run, stray.firstPacket)] : [packetRef(run, c.firstPacket)],
            help: "Reply with sendto(data, addr), using the addr that recvfrom() returned with the request.",
          });
        }
      }
      const pairs = toServer(run).reduce((n, c) => n + c.replies.pairCount, 0);
      return pass(
        `${pairs} repl${pairs === 1 ? "y" : "ies"} went back to the client's exact source address and port`,
      );
    },
  );
}

function rowsByNumber(c: UdpConversation): Map<number, UdpPacketRow> {
  const rows = new Map<number, UdpPacketRow>();
  for (const r of c.timeline ?? []) if (r.protocol === "udp") rows.set(r.number, r);
  return rows;
}

/** Each reply carries exactly the bytes of its request (the whole payload, from the capture). */
export function udpEchoCheck(options: RunCheckOptions): Check {
  return runCheck(
    options,
    { id: "echo-bytes", title: "each reply carries the request's bytes", dependsOn: "datagrams" },
    (run) => {
      let compared = 0;
      for (const c of toServer(run)) {
        const rows = rowsByNumber(c);
        for (const pair of c.replies.pairs) {
          const request = rows.get(pair.request);
          const reply = rows.get(pair.reply);
          if (!request || !reply) continue;
          compared++;
          const same =
            request.payloadLength === reply.payloadLength &&
            (request.payload !== null && reply.payload !== null
              ? request.payload === reply.payload
              : request.preview.hex === reply.preview.hex);
          if (!same) {
            return fail({
              message: `the reply in packet ${reply.number} differs from the request in packet ${request.number}`,
              expected: `${request.payloadLength} bytes: "${request.preview.text}"`,
              actual: `${reply.payloadLength} bytes: "${reply.preview.text}"`,
              evidence: [packetRef(run, request.number), packetRef(run, reply.number)],
              help: "An echo server sends back exactly the bytes recvfrom() returned — and recvfrom(n) cuts datagrams longer than n.",
            });
          }
        }
      }
      if (compared === 0) {
        return fail({
          message: "no request/reply pair to compare",
          expected: "a reply after each request",
          actual: "no reply",
        });
      }
      return pass(`${compared} repl${compared === 1 ? "y" : "ies"} carried exactly the request's bytes`);
    },
  );
}

/** A program printed the text of the datagrams it received (the first one's printable text). */
export function udpOutputCheck(options: RunCheckOptions & { readonly program: "server" | "client" }): Check {
  const defaults = {
    id: `${options.program}-output`,
    title: `the ${options.program} prints what it received`,
    dependsOn: "datagrams",
  };
  return runCheck(options, defaults, (run) => {
    const record =
      options.program === "server" ? run.server : run.clients.find((c) => c.role.source === "student");
    // The flow that carried the datagrams this program received (a first try to ::1 may have carried none).
    const conv = carrying(toServer(run), (c) => (options.program === "server" ? c.c2s : c.s2c).datagrams > 0);
    const rows = conv ? [...rowsByNumber(conv).values()] : [];
    const received = rows.find(
      (r) => r.direction === (options.program === "server" ? "c2s" : "s2c") && r.payloadLength > 0,
    );
    if (!record || !received) {
      return fail({
        message: `the ${options.program} received no datagram`,
        expected: `a datagram to the ${options.program}`,
        actual: "none in the capture",
      });
    }
    const payload =
      received.payload === null ? null : new Uint8Array(Buffer.from(received.payload, "base64"));
    const line = payload ? findPrintedBytes(record.outcome.lines, payload) : null;
    if (line) {
      return pass(
        `the ${options.program} printed the payload of packet ${received.number} (${line.stream} line ${line.number}: "${line.text.slice(0, 80)}")`,
        [packetRef(run, received.number)],
      );
    }
    return fail({
      message: `the ${options.program}'s output does not show the payload it received`,
      expected: `the output to show "${received.preview.text.slice(0, 60)}" (packet ${received.number}), as text or as Python shows bytes`,
      actual: record.outcome.stdout.trim() ? `"${record.outcome.stdout.trim().slice(0, 200)}"` : "no output",
      evidence: [packetRef(run, received.number)],
      help: "Print the bytes recv()/recvfrom() returned, e.g. print('Received', data).",
    });
  });
}
