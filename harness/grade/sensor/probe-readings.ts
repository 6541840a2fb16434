// Valid readings built from the student's protocol description, for socklab's sensor probe: match fields take
// their match values, the sequence field counts from 0, other fields get plain values of their type.
import { type Protocol, type ProtocolMessage, pack } from "../../protocol/index.ts";

/** A JSON value the probe packs with struct (strings become latin-1 bytes). */
export type ProbeValue = number | boolean | string;

/** The message the client sends (the first one described). */
export function readingMessage(protocol: Protocol): ProtocolMessage | null {
  return protocol.messages.find((m) => m.from === "client") ?? null;
}

/** The first message the server sends, if described. */
export function replyMessage(protocol: Protocol): ProtocolMessage | null {
  return protocol.messages.find((m) => m.from === "server") ?? null;
}

/** The values of the k-th probe reading (k from 0), in format order. */
export function probeValues(message: ProtocolMessage, k: number): ProbeValue[] {
  return message.slots.map((slot) => {
    const fixed = message.match[slot.name];
    if (fixed !== undefined) return fixed as ProbeValue;
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
    replySize: replyMessage(protocol)?.layout.size ?? 0,
    readings,
  };
  return Buffer.from(JSON.stringify(config)).toString("base64");
}
