// Checks on a run's TCP traffic, from the capture: the three-way handshake, the echo byte for byte, every byte
// acknowledged, an orderly close. Retransmissions are reported as notes with their likely cause, never
// penalised by themselves.
import type { TcpConversation } from "../../analyse/types.ts";
import type { RunRecord } from "../../session/index.ts";
import { type CheckDefinition, fail, pass } from "../check.ts";
import { carriesData, packetRef, showBytes, streamBytes, tcpConversations } from "../evidence.ts";
import type { TaskEvidence } from "../task.ts";
import { type RunCheckOptions, runCheck } from "./run-check.ts";

type Check = CheckDefinition<TaskEvidence<unknown>>;

function noConnection(run: RunRecord) {
  return fail({
    message: `no TCP connection to port ${run.port} in the capture`,
    expected: `a TCP connection from the client to port ${run.port}`,
    actual: run.analysis
      ? `${run.analysis.capture.packets} packets, none of a TCP connection to port ${run.port}`
      : "no capture",
    help: "Check that the client connects to the host and port the manifest gives ({host} {port}).",
  });
}

/**
 * The connections a check judges: those that carried data either way. One that carried none (opened and
 * closed, or a connection attempt the server's full backlog never answered) has nothing of the exchange to
 * judge; when no connection carried data, all are judged. The note counts those left out.
 */
function judged(convs: readonly TcpConversation[]): { convs: TcpConversation[]; notes: string[] } {
  const withData = convs.filter(carriesData);
  if (withData.length === 0 || withData.length === convs.length) return { convs: [...convs], notes: [] };
  const left = convs.length - withData.length;
  return {
    convs: withData,
    notes: [
      `${left} of ${convs.length} connections carried no data either way (opened and closed, or never answered): not judged.`,
    ],
  };
}

/** Notes about retransmissions: facts and a likely cause, not a penalty. */
export function retransmissionNotes(run: RunRecord, conv: TcpConversation): string[] {
  const notes: string[] = [];
  for (const d of [conv.c2s, conv.s2c]) {
    for (const r of d.retransmissions.slice(0, 3)) {
      const who = d.sender;
      const what = r.kind === "data" ? `bytes ${r.from}–${r.to - 1}` : r.kind.toUpperCase();
      const cause =
        r.kind === "fin"
          ? "on loopback the kernel's tail-loss probe re-sends a FIN when the peer delays its ACK — normal, not penalised"
          : r.alreadyAcked
            ? "already acknowledged: a spurious retransmission, usually a timer firing under load — not penalised"
            : "not yet acknowledged when sent again: the first copy was lost or its ACK late — not penalised";
      notes.push(`The ${who} sent ${what} again in packet ${r.packet} of run '${run.name}' (${cause}).`);
    }
  }
  return notes;
}

/** SYN, SYN/ACK acknowledging ISN+1, ACK acknowledging the server's ISN+1. */
export function handshakeCheck(options: RunCheckOptions): Check {
  return runCheck(
    options,
    { id: "handshake", title: "three-way handshake (SYN, SYN/ACK, ACK)", dependsOn: "server-ready" },
    (run) => {
      const all = tcpConversations(run);
      if (all.length === 0) return noConnection(run);
      const { convs, notes } = judged(all);
      const bad = convs.find((c) => !c.handshake.complete);
      if (!bad) {
        const c = convs[0]!;
        return pass(
          `SYN (packet ${c.handshake.syn?.packet}), SYN/ACK acknowledging ISN+1 (packet ${c.handshake.synAck?.packet}), ` +
            `ACK (packet ${c.handshake.ack?.packet})${convs.length > 1 ? ` — and for all ${convs.length} connections` : ""}`,
          [packetRef(run, c.handshake.syn!.packet), packetRef(run, c.handshake.synAck!.packet)],
          notes,
        );
      }
      const finding = bad.handshake.findings[0];
      return fail({
        message: `the three-way handshake of the connection from port ${bad.client.port} is not complete`,
        expected: finding
          ? String(finding.expected)
          : "SYN, then SYN/ACK with ack = client ISN + 1, then ACK",
        actual: finding?.message ?? "the handshake packets were not all seen",
        evidence: finding?.packet
          ? [packetRef(run, finding.packet)]
          : bad.firstPacket
            ? [packetRef(run, bad.firstPacket)]
            : [],
        help:
          finding?.code === "missing-syn-ack"
            ? "A SYN answered by RST (or nothing) means nothing listened on that port: does the client use the server's port?"
            : "The kernel does the handshake when the client calls connect() and the server has called listen().",
      });
    },
  );
}

/** The server sent back exactly the bytes the client sent, in order, on every connection. */
export function tcpEchoCheck(options: RunCheckOptions): Check {
  return runCheck(
    options,
    { id: "echo-bytes", title: "the payload is echoed byte for byte, in order", dependsOn: "server-ready" },
    (run) => {
      const all = tcpConversations(run);
      if (all.length === 0) return noConnection(run);
      const { convs, notes: emptyNote } = judged(all);
      if (convs.every((c) => c.c2s.stream.length === 0 && c.s2c.stream.length === 0)) {
        const c = all[0]!;
        return fail({
          message: `the client sent no data on ${all.length === 1 ? `the connection from port ${c.client.port}` : `any of its ${all.length} connections`}`,
          expected: "the client's message in a data segment",
          actual: "no payload from the client",
          help: "Send the message with sendall() after connect().",
        });
      }
      for (const c of convs) {
        const sent = streamBytes(c.c2s.stream);
        const back = streamBytes(c.s2c.stream);
        if (c.c2s.stream.length === 0) {
          return fail({
            message: `the server sent ${c.s2c.stream.length} bytes on the connection from port ${c.client.port}, where the client sent none`,
            expected: "the server sends back only what it received",
            actual: back ? `${back.length} bytes: "${showBytes(back)}"` : `${c.s2c.stream.length} bytes`,
            help: "An echo server sends back exactly what recv() returned, and nothing before it.",
          });
        }
        if (c.c2s.stream.sha256 !== c.s2c.stream.sha256) {
          let at = 0;
          if (sent && back) while (at < sent.length && at < back.length && sent[at] === back[at]) at++;
          const row = c.timeline?.find((r) => r.direction === "s2c" && r.payloadLength > 0);
          return fail({
            message: `the bytes the server sent back differ from what the client sent (connection from port ${c.client.port})`,
            expected: sent ? `${sent.length} bytes: "${showBytes(sent)}"` : `${c.c2s.stream.length} bytes`,
            actual: back
              ? `${back.length} bytes: "${showBytes(back)}"${back.length > 0 ? `, first difference at byte ${at}` : ""}`
              : `${c.s2c.stream.length} bytes`,
            evidence: row ? [packetRef(run, row.number)] : [],
            help: "An echo server sends back exactly what recv() returned, with sendall(data) — no decoding, changing or adding.",
          });
        }
      }
      const total = convs.reduce((n, c) => n + c.c2s.stream.length, 0);
      return pass(
        `${total} bytes went out and came back identical and in order`,
        [],
        [...emptyNote, ...convs.flatMap((c) => retransmissionNotes(run, c))],
      );
    },
  );
}

/** Every byte, SYN and FIN each side sent was acknowledged by the other. */
export function allAckedCheck(options: RunCheckOptions): Check {
  return runCheck(
    options,
    { id: "all-acked", title: "every byte is acknowledged", dependsOn: "server-ready" },
    (run) => {
      const all = tcpConversations(run);
      if (all.length === 0) return noConnection(run);
      const { convs, notes } = judged(all);
      for (const c of convs) {
        for (const d of [c.c2s, c.s2c]) {
          if (!d.acked.allAcked) {
            const peer = d.sender === "client" ? "server" : "client";
            return fail({
              message: `${d.acked.unackedBytes} byte(s) the ${d.sender} sent were never acknowledged by the ${peer}`,
              expected: `an ACK up to ${d.nextSeq} (relative) from the ${peer}`,
              actual: `the ${peer}'s highest ACK was ${d.acked.highestAck ?? "none"}${d.acked.highestAckPacket ? ` (packet ${d.acked.highestAckPacket})` : ""}`,
              evidence: d.acked.highestAckPacket ? [packetRef(run, d.acked.highestAckPacket)] : [],
              help: c.close.rst
                ? `The ${c.close.rst.by} reset the connection (packet ${c.close.rst.packet}) before the data was acknowledged: data sent to a socket that is already closed is answered with RST.`
                : "The peer's kernel acknowledges data as it arrives; unacknowledged bytes mean the connection ended (or the capture stopped) first.",
            });
          }
        }
      }
      return pass(
        "every byte, SYN and FIN was acknowledged by the peer",
        [],
        [...notes, ...convs.flatMap((c) => retransmissionNotes(run, c))],
      );
    },
  );
}

/** A FIN each way, each acknowledged; an RST is a finding naming who sent it and why it usually happens. */
export function orderlyCloseCheck(options: RunCheckOptions): Check {
  return runCheck(
    options,
    {
      id: "orderly-close",
      title: "orderly close (FIN each way, each acknowledged)",
      dependsOn: "server-ready",
    },
    (run) => {
      const all = tcpConversations(run);
      if (all.length === 0) return noConnection(run);
      const { convs, notes } = judged(all);
      for (const c of convs) {
        if (c.close.state === "graceful") continue;
        const rst = c.close.rst;
        if (rst) {
          const unread = rst.peerBytesUnacked > 0 || rst.unansweredPeerBytes > 0;
          return fail({
            message: `the ${rst.by} reset the connection from port ${c.client.port} (packet ${rst.packet})`,
            expected: "a FIN from each side, each acknowledged",
            actual: `RST from the ${rst.by} ${rst.phase === "established" ? "while the connection was open" : `(${rst.phase.replace(/-/g, " ")})`}`,
            evidence: [packetRef(run, rst.packet)],
            help: unread
              ? `An RST like this usually means the ${rst.by} closed its socket while data from its peer was still unread, or data arrived after it had closed. Read until recv() returns b'' before closing, and do not send after the peer has closed.`
              : `An RST usually means a socket was closed with unread data, or the ${rst.by} was killed. Close sockets with close() (or a with-block) after the exchange.`,
          });
        }
        const missing = [
          !c.close.clientFin
            ? "the client sent no FIN"
            : !c.close.clientFin.acked
              ? "the client's FIN was not acknowledged"
              : "",
          !c.close.serverFin
            ? "the server sent no FIN"
            : !c.close.serverFin.acked
              ? "the server's FIN was not acknowledged"
              : "",
        ].filter(Boolean);
        return fail({
          message: `the connection from port ${c.client.port} was not closed in order`,
          expected: "a FIN from each side, each acknowledged",
          actual: missing.join("; ") || c.close.state,
          evidence: c.close.clientFin ? [packetRef(run, c.close.clientFin.packet)] : [],
          help: "Both programs should close their socket when done (a with-block does it); the server closes its side after recv() returns b''.",
        });
      }
      return pass(
        `FIN each way, each acknowledged, on ${convs.length === 1 ? "the connection" : `all ${convs.length} connections`}`,
        [],
        [...notes, ...convs.flatMap((c) => retransmissionNotes(run, c))],
      );
    },
  );
}
