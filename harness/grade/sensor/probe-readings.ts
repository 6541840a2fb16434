// Valid readings built from the student's protocol description, for socklab's sensor probe: match fields take
// their match values, the sequence field counts from 0, other fields get plain values of their type.
import { type Protocol, type ProtocolMessage, pack } from "../../protocol/index.ts";

/** A JSON value the probe packs with struct (strings become latin-1 bytes). */
export type ProbeValue = number | boolean | string;

/** The client's reading: the one declared `kind: reading`, else the client message with a sequence field,
 * else the one with the most fields (a control message, such as a greeting, carries fewer than the
 * readings), else the first; never one declared `kind: control`. */
export function readingMessage(protocol: Protocol): ProtocolMessage | null {
  const declared = protocol.messages.find((m) => m.from === "client" && m.kind === "reading");
  if (declared) return declared;
  const sent = protocol.messages.filter((m) => m.from === "client" && m.kind !== "control");
  const richest = [...sent].sort((a, b) => b.slots.length - a.slots.length)[0];
  return sent.find((m) => m.sequence !== undefined) ?? richest ?? null;
}

/** The values of the k-th probe reading (k from 0), in format order. */
export function probeValues(message: ProtocolMessage, k: number): ProbeValue[] {
  return message.slots.map((slot) => {
    const fixed = message.match[slot.name];
    // A match value read from YAML is a number; one past 2^53 would have been rounded there already.
    if (fixed !== undefined) return typeof fixed === "bigint" ? Number(fixed) : fixed;
    if (slot.name === message.sequence) return k;
    switch (slot.char) {
      case "?":
        return k % 2 === 0;
      case "e":
      case "f":
      case "d":
        return 20.5 + k;
      case "c":
        return "A";
      case "s":
        return "S".repeat(slot.size);
      case "p":
        return "P".repeat(Math.max(0, slot.size - 1));
      default:
        return 1 + k;
    }
  });
}

function serverSizes(protocol: Protocol): number[] {
  const sizes = protocol.messages.filter((m) => m.from === "server").map((m) => m.layout.size);
  return sizes.length > 0 ? sizes : [0];
}

/** The probe's command-line argument: base64 of its JSON configuration. */
export function probeConfig(
  protocol: Protocol,
  transport: "tcp" | "udp",
  host: string,
  port: number,
): string | null {
  const reading = readingMessage(protocol);
  if (!reading) return null;
  const readings = [0, 1, 2].map((k) => probeValues(reading, k));
  // Values that do not pack (a match value of another type was already refused by the descriptor) are a bug.
  for (const values of readings) {
    const asStruct = values.map((v) => (typeof v === "string" ? new TextEncoder().encode(v) : v));
    if (!pack(reading.layout, asStruct).ok) return null;
  }
  const config = {
    transport,
    host,
    port,
    format: reading.format,
    // The smallest server message: how many bytes at least one reply is.
    replySize: Math.min(...serverSizes(protocol)),
    readings,
  };
  return Buffer.from(JSON.stringify(config)).toString("base64");
}
